"""Monomorphizations: functions that are copies of one generic (Rust generics, C++
templates), grouped by their demangled name with the type arguments removed.

`bloat` is what the copies add over the largest one (twiggy's approximation of what
de-generifying would save): total - largest. Groups plus the other functions plus the
bytes outside function bodies add up to the file size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.core.wasm.model import Module


@dataclass(frozen=True, slots=True)
class MonoGroup:
    generic: str
    count: int
    size: int  # all copies' body bytes
    largest: int
    bloat: int
    members: tuple[str, ...]  # largest first

    def to_json(self) -> dict[str, Any]:
        return {"generic": self.generic, "count": self.count, "size": self.size,
                "largest": self.largest, "bloat": self.bloat, "members": list(self.members)}


@dataclass(frozen=True)
class MonoView:
    total: int  # file size
    groups: tuple[MonoGroup, ...]  # by bloat, largest first
    other_functions: int  # bodies in no group of two or more
    outside: int  # everything but function bodies

    def to_json(self) -> dict[str, Any]:
        return {"by": "monos", "total": self.total, "other_functions": self.other_functions,
                "outside": self.outside, "groups": [g.to_json() for g in self.groups]}


def strip_generics(name: str) -> str:
    """`Vec<T>::push<u8>` -> `Vec::push`; `<T as Trait>::f` keeps its leading qualifier
    whole, and operators like `operator<` survive (only balanced brackets go)."""
    out: list[str] = []
    depth = 0
    i = 0
    if name.startswith("<"):  # Rust `<X as Trait>::f`: strip generics inside X and Trait
        close = _matching(name, 0)
        if close > 0:
            out.append("<" + strip_generics(name[1:close]) + ">")
            i = close + 1
    for ch in name[i:]:
        if ch == "<":
            depth += 1
        elif ch == ">" and depth:
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out) if depth == 0 else name


def _matching(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "<":
            depth += 1
        elif text[i] == ">":
            depth -= 1
            if depth == 0:
                return i
    return -1


def monomorphizations(module: Module) -> MonoView:
    groups: dict[str, list[tuple[int, str]]] = {}
    for f in module.functions:
        base = strip_generics(f.name)
        if base != f.name:
            groups.setdefault(base, []).append((f.size, f.name))
    out = []
    in_groups = 0
    for base, members in groups.items():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: (-m[0], m[1]))
        total = sum(s for s, _ in members)
        in_groups += total
        out.append(MonoGroup(base, len(members), total, members[0][0], total - members[0][0],
                             tuple(n for _, n in members)))
    out.sort(key=lambda g: (-g.bloat, g.generic))
    bodies = sum(f.size for f in module.functions)
    return MonoView(module.size, tuple(out), bodies - in_groups, module.size - bodies)
