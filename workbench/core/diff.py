"""Build-to-build size diffs: per section, per function and per source file.

Functions are matched by name, not index: indices shift whenever anything is added.
Rust legacy mangling appends a hash (`::h0123456789abcdef`) that changes with unrelated
edits, so it is ignored when matching. Several functions can share a name (generic
instantiations, static functions in different files); the n-th one of a name in the old
build is matched with the n-th one in the new build, and shown as "name #n".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from workbench.core.dwarf_result import SourceAttribution
from workbench.core.wasm.model import Module

Status = Literal["added", "removed", "changed", "same"]
_RUST_HASH = re.compile(r"(::h[0-9a-f]{16}|17h[0-9a-f]{16}E)$")


def match_key(name: str) -> str:
    """Function name with a Rust hash suffix removed (demangled or mangled form)."""
    return _RUST_HASH.sub("", name)


@dataclass(frozen=True, slots=True)
class DiffRow:
    name: str
    old: int  # 0 when added
    new: int  # 0 when removed
    status: Status

    @property
    def delta(self) -> int:
        return self.new - self.old

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "old": self.old, "new": self.new, "delta": self.delta,
                "status": self.status}


@dataclass(frozen=True)
class ModuleDiff:
    old_size: int
    new_size: int
    sections: tuple[DiffRow, ...]
    functions: tuple[DiffRow, ...]
    sources: tuple[DiffRow, ...] | None  # None unless both builds have DWARF
    note: str | None = None

    @property
    def delta(self) -> int:
        return self.new_size - self.old_size

    def to_json(self) -> dict[str, Any]:
        return {"total": {"old": self.old_size, "new": self.new_size, "delta": self.delta},
                "sections": [r.to_json() for r in self.sections],
                "functions": [r.to_json() for r in self.functions],
                "sources": None if self.sources is None else [r.to_json() for r in self.sources],
                "note": self.note}


def _keyed(items: Iterable[tuple[str, int]]) -> dict[str, int]:
    """name -> size, with repeated names numbered "name #2", "name #3" in order."""
    seen: Counter[str] = Counter()
    out: dict[str, int] = {}
    for name, size in items:
        seen[name] += 1
        out[name if seen[name] == 1 else f"{name} #{seen[name]}"] = size
    return out


def diff_sizes(old: dict[str, int], new: dict[str, int]) -> tuple[DiffRow, ...]:
    """Rows for the union of names, sorted by |delta| (largest first), then name."""
    rows = []
    for name in old.keys() | new.keys():
        if name not in new:
            rows.append(DiffRow(name, old[name], 0, "removed"))
        elif name not in old:
            rows.append(DiffRow(name, 0, new[name], "added"))
        else:
            status: Status = "same" if old[name] == new[name] else "changed"
            rows.append(DiffRow(name, old[name], new[name], status))
    rows.sort(key=lambda r: (-abs(r.delta), r.name))
    return tuple(rows)


def _functions(module: Module) -> dict[str, int]:
    return _keyed((match_key(f.name), f.size) for f in sorted(module.functions,
                                                              key=lambda f: f.index))


def _sources(attr: SourceAttribution) -> dict[str, int]:
    return {row.file: row.size for row in attr.rows()}


def diff_modules(old: Module, new: Module, old_sources: SourceAttribution | None = None,
                 new_sources: SourceAttribution | None = None) -> ModuleDiff:
    """Compare two builds. Pass both attributions to get the per-source-file diff."""
    sections = diff_sizes(_keyed((s.name, s.size) for s in old.sections),
                          _keyed((s.name, s.size) for s in new.sections))
    functions = diff_sizes(_functions(old), _functions(new))
    sources = None
    note = None
    if old_sources is not None and new_sources is not None:
        if old_sources.status == "absent" or new_sources.status == "absent":
            gone = [n for n, a in (("old", old_sources), ("new", new_sources))
                    if a.status == "absent"]
            which = "neither build has" if len(gone) == 2 else f"the {gone[0]} build has no"
            note = f"no per-file diff: {which} DWARF"
        else:
            sources = diff_sizes(_sources(old_sources), _sources(new_sources))
    return ModuleDiff(old.size, new.size, sections, functions, sources, note)
