"""Size views of a parsed module: by section, function, data segment and source file.

Every view is a list of rows that adds up *exactly* to its container: the file for the
section view, the code section payload for the function and source views, the data
section payload for the data view. Bytes that belong to no item (the 8-byte header,
section id bytes and size LEBs, vector count LEBs, body size LEBs, segment headers) are
explicit "overhead" rows rather than silently dropped, so a reader can always reconcile
a view with the file (see docs/size.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from workbench.core.size.dwarf.result import SourceAttribution
from workbench.core.wasm.model import Module

if TYPE_CHECKING:  # the DWARF reader (pyelftools) loads only when a view needs it
    from workbench.core.size.dwarf.variables import DataSymbol

RowKind = Literal["item", "overhead", "unattributed"]
VIEWS = ("section", "function", "data", "source")


@dataclass(frozen=True, slots=True)
class SizeRow:
    name: str
    size: int
    kind: RowKind = "item"
    index: int | None = None  # function / segment index, section position

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "kind": self.kind, "index": self.index}


@dataclass(frozen=True)
class SizeView:
    """Rows of one breakdown. Invariant: sum(row.size) == total."""

    by: str
    container: str  # "file" | "code" | "data"
    total: int
    rows: tuple[SizeRow, ...]
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"by": self.by, "container": self.container, "total": self.total,
                "note": self.note, "rows": [r.to_json() for r in self.rows]}


def _items_first(items: list[SizeRow], overhead: list[SizeRow]) -> tuple[SizeRow, ...]:
    items.sort(key=lambda r: (-r.size, r.name))
    return tuple(items) + tuple(r for r in overhead if r.size)


def by_section(module: Module) -> SizeView:
    """Each section's payload, plus the header and the section headers (id + size LEB)."""
    items = [SizeRow(s.name, s.size, "item", i) for i, s in enumerate(module.sections)]
    headers = sum(s.disk_size - s.size for s in module.sections)
    preamble = module.sections[0].offset if module.sections else module.size
    overhead = [SizeRow("header (magic + version)", preamble, "overhead"),
                SizeRow("section headers (id byte + size LEB)", headers, "overhead")]
    return SizeView("section", "file", module.size, _items_first(items, overhead))


def by_function(module: Module) -> SizeView:
    """Each function body (objdump's `size=`), plus body size LEBs and the count LEB."""
    code = module.section("code")
    if code is None:
        return SizeView("function", "code", 0, (), "no code section")
    items = [SizeRow(f.name, f.size, "item", f.index) for f in module.functions]
    lebs = sum(f.disk_size - f.size for f in module.functions)
    count = code.size - sum(f.disk_size for f in module.functions)
    overhead = [SizeRow("body size LEBs", lebs, "overhead"),
                SizeRow("function count LEB", count, "overhead")]
    return SizeView("function", "code", code.size, _items_first(items, overhead))


def by_data(module: Module, symbols: tuple[DataSymbol, ...] | None = None) -> SizeView:
    """Each data segment's bytes, plus segment headers and the segment count LEB.

    With `symbols` (DWARF variables, `dwarf.variables.data_symbols`), a segment's bytes
    split into one row per variable (`SIN_TABLE (sin_table.h:3)`) and one row for the
    bytes no variable covers; still adding up to the data section payload."""
    data = module.section("data")
    if data is None:
        return SizeView("data", "data", 0, (), "no data section")
    owned: dict[int, int] = {}
    items = []
    for sym in symbols or ():
        items.append(SizeRow(sym.label, sym.size, "item", sym.segment))
        owned[sym.segment] = owned.get(sym.segment, 0) + sym.size
    for seg in module.data_segments:
        name = seg.name or f"segment[{seg.index}]"
        if seg.index in owned:
            if seg.size - owned[seg.index]:
                items.append(SizeRow(f"{name}: bytes no variable covers",
                                     seg.size - owned[seg.index], "unattributed", seg.index))
        else:
            items.append(SizeRow(name, seg.size, "item", seg.index))
    headers = sum(s.disk_size - s.size for s in module.data_segments)
    count = data.size - sum(s.disk_size for s in module.data_segments)
    overhead = [SizeRow("segment headers (flags, memory, offset expr, size LEB)", headers,
                        "overhead"),
                SizeRow("segment count LEB", count, "overhead")]
    return SizeView("data", "data", data.size, _items_first(items, overhead))


def by_source(module: Module, sources: SourceAttribution | None = None) -> SizeView:
    """Code bytes per source file from DWARF, plus one explicit unattributed row.

    Without DWARF this falls back to the function view (names from the name section) and
    says so in `note`. `sources` may be passed when already computed (attribution of a
    big module takes a while); otherwise it is computed here.
    """
    if sources is None:
        from workbench.core.size.dwarf.attribute import attribute

        sources = attribute(module)
    if sources.status == "absent":
        fallback = by_function(module)
        return SizeView("source", "code", fallback.total, fallback.rows,
                        "no DWARF in this module: functions from the name section instead "
                        "(build with -g for per-file sizes)")
    items = [SizeRow(f.file, f.size, "item") for f in sources.files]
    rows = tuple(items)
    if sources.unattributed:
        rows += (SizeRow("<unattributed>", sources.unattributed, "unattributed"),)
    return SizeView("source", "code", sources.code_size, rows, sources.warning)


def _component_note(module: Module, what: str) -> str:
    n = len(module.components)
    if not n:
        return f"this is a component: {what}, and it embeds no core module"
    pick = "--core 0" if n == 1 else f"--core N (0-{n - 1})"
    return (f"this is a component: {what}; {pick} shows this view of one of its {n} "
            "embedded core module(s), which `workbench inspect` lists")


def view(module: Module, by: str, sources: SourceAttribution | None = None) -> SizeView:
    """The view named `by` (one of VIEWS). A component has only the section view: its
    code lives in its embedded core modules, each of which is a module of its own."""
    if by == "section":
        return by_section(module)
    if by in VIEWS and module.kind == "component":
        return SizeView(by, "code" if by != "data" else "data", 0, (),
                        _component_note(module, f"it has no {by} view of its own"))
    if by == "function":
        return by_function(module)
    if by == "data":
        if module.custom(".debug_info") is None or module.section("data") is None:
            return by_data(module)
        from workbench.core.size.dwarf.variables import read_data_symbols

        symbols, warning = read_data_symbols(module)
        data = by_data(module, symbols)
        if warning is None:
            return data
        note = f"{data.note}; {warning}" if data.note else warning
        return SizeView(data.by, data.container, data.total, data.rows, note)
    if by == "source":
        return by_source(module, sources)
    raise ValueError(f"unknown size view {by!r}; expected one of {', '.join(VIEWS)}")
