"""Code size by crate (Rust), package (Go) or compile unit source file (C/C++ via DWARF).

Each function body goes to exactly one group, so the groups plus the bytes outside
function bodies add up to the file size. The group is read from the demangled name:
Rust `core::fmt::write` -> `core`, `<alloc::vec::Vec<T> as Drop>::drop` -> `alloc`;
Go `github.com/a/b.(*T).M` -> `github.com/a/b`, `runtime.mallocgc` -> `runtime`.
Functions without such a name take the DWARF source file of their code when the module
has DWARF, else `<unknown>`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.core.wasm.model import Module

UNKNOWN = "<unknown>"
_GO = re.compile(r"^((?:[\w.\-~]+/)*[\w\-~]+)\.[\w(*$]")
_IDENT = re.compile(r"[A-Za-z_][\w]*")


@dataclass(frozen=True, slots=True)
class CrateRow:
    name: str
    size: int
    functions: int
    kind: str = "item"  # "item" | "overhead"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "functions": self.functions,
                "kind": self.kind}


@dataclass(frozen=True)
class CrateView:
    total: int  # file size; sum(row.size) == total
    rows: tuple[CrateRow, ...]
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"by": "crate", "total": self.total, "note": self.note,
                "rows": [r.to_json() for r in self.rows]}


def rust_crate(name: str) -> str | None:
    """First path segment of a demangled Rust path (the self type's, for `<T as Tr>`)."""
    text = name
    while text.startswith("<"):
        text = text[1:].lstrip("&*").removeprefix("mut ").removeprefix("const ")
        text = text.removeprefix("dyn ").lstrip("[(&*")
    m = _IDENT.match(text)
    if m is None or text[m.end():m.end() + 2] != "::":
        trait = name.find(" as ")
        return rust_crate(name[trait + 4:]) if trait > 0 else None
    return m.group(0)


def go_package(name: str) -> str | None:
    m = _GO.match(name)
    return m.group(1) if m else None


def crate_of(name: str) -> str | None:
    if "::" in name:
        return rust_crate(name)
    return go_package(name)


def by_crate(module: Module, files: Mapping[int, str] | None = None) -> CrateView:
    """`files` maps a function index to its DWARF source file (C/C++ fallback)."""
    sizes: dict[str, list[int]] = {}
    for f in module.functions:
        group = crate_of(f.name)
        if group is None and files is not None:
            group = files.get(f.index)
        entry = sizes.setdefault(group or UNKNOWN, [0, 0])
        entry[0] += f.size
        entry[1] += 1
    rows = [CrateRow(n, s, c) for n, (s, c) in sizes.items()]
    rows.sort(key=lambda r: (-r.size, r.name))
    bodies = sum(f.size for f in module.functions)
    rows.append(CrateRow("outside function bodies (other sections, headers, LEBs)",
                         module.size - bodies, 0, "overhead"))
    note = None if files is not None else (
        "functions without a Rust or Go path name are <unknown>; a module with DWARF "
        "groups them by source file")
    return CrateView(module.size, tuple(rows), note)
