"""Result records of DWARF attribution, and the half-open interval helpers it uses.

Kept apart from the walk so the TUI, the CLI and `size.py` can import the records
without pulling in pyelftools.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

UNATTRIBUTED = "<unattributed>"


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping union of half-open spans."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if out and lo <= out[-1][1]:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def subtract(base: list[tuple[int, int]], cut: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`base` minus `cut`; both sorted and non-overlapping."""
    out: list[tuple[int, int]] = []
    j = 0
    for lo, hi in base:
        pos = lo
        while j < len(cut) and cut[j][1] <= pos:
            j += 1
        k = j
        while k < len(cut) and cut[k][0] < hi:
            if cut[k][0] > pos:
                out.append((pos, cut[k][0]))
            pos = max(pos, cut[k][1])
            k += 1
        if pos < hi:
            out.append((pos, hi))
    return out


def total(spans: list[tuple[int, int]]) -> int:
    return sum(hi - lo for lo, hi in spans)


@dataclass(frozen=True, slots=True)
class InlinedRow:
    """A function inlined into another one: bytes its outermost inlined copies occupy."""

    name: str
    size: int
    count: int

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "count": self.count}


@dataclass(frozen=True, slots=True)
class FunctionRow:
    """Bytes credited to one function. `name` is the module's (name section) name when the
    DWARF range starts at a function body, else the DWARF name; `index` is the wasm
    function index when known. The inlined bytes are part of `size`, not extra."""

    name: str
    size: int
    index: int | None
    dwarf_name: str | None
    inlined: tuple[InlinedRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "index": self.index,
                "inlined": [i.to_json() for i in self.inlined]}


@dataclass(frozen=True, slots=True)
class FileRow:
    file: str
    size: int
    functions: tuple[FunctionRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "size": self.size,
                "functions": [f.to_json() for f in self.functions]}


@dataclass(frozen=True, slots=True)
class UnitRow:
    """A compile unit and the code bytes its functions were credited with."""

    name: str
    comp_dir: str | None
    producer: str | None
    version: int
    size: int
    functions: int

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "comp_dir": self.comp_dir, "producer": self.producer,
                "version": self.version, "size": self.size, "functions": self.functions}


@dataclass(frozen=True)
class SourceAttribution:
    """Where the code section's bytes come from.

    Invariant: sum(file.size) + unattributed == code_size, and the unattributed
    functions (functions without DWARF, plus the LEB overhead row) sum to unattributed.
    """

    status: Literal["ok", "absent", "broken"]
    warning: str | None
    code_size: int
    units: tuple[UnitRow, ...]
    files: tuple[FileRow, ...]
    unattributed: int
    unattributed_functions: tuple[FunctionRow, ...]
    dead_functions: int  # subprograms wasm-ld discarded (dead-code markers), skipped

    @property
    def attributed(self) -> int:
        return self.code_size - self.unattributed

    def rows(self) -> tuple[FileRow, ...]:
        """Every file plus one explicit unattributed row (when non-zero): sums to code_size."""
        if not self.unattributed:
            return self.files
        return self.files + (FileRow(UNATTRIBUTED, self.unattributed,
                                     self.unattributed_functions),)

    def to_json(self) -> list[dict[str, Any]] | None:
        """The `sources` list of `workbench inspect --json`; None when there is no DWARF."""
        if self.status == "absent":
            return None
        return [row.to_json() for row in self.rows()]

    def report_json(self) -> dict[str, Any]:
        """Everything, including status and warning, for tools that want the detail."""
        return {"status": self.status, "warning": self.warning, "code_size": self.code_size,
                "attributed": self.attributed, "unattributed": self.unattributed,
                "dead_functions": self.dead_functions,
                "units": [u.to_json() for u in self.units], "sources": self.to_json()}
