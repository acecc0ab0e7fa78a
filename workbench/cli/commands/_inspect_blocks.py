"""Rich blocks of the human `workbench inspect` report, one function each.

Every block takes `(report, args)` and returns a renderable or None (nothing to show).
Imported only for the human report, so `--json` never loads rich.
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from rich import box
from rich.table import Table

from workbench.cli.render import human_bytes
from workbench.core.inspect import HEADER_BYTES, InspectReport


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for col in columns:
        numeric = col in ("start", "end", "size", "count", "%", "index", "bytes", "disk")
        table.add_column(col, justify="right" if numeric else "left",
                         overflow="fold" if col in ("name", "type") else "ellipsis")
    return table


def sections_block(report: InspectReport, args: argparse.Namespace) -> Table:
    """Every section as wasm-objdump -h counts it (payload sizes), plus the bytes outside
    payloads (file header, each section's id byte and size LEB) so the column adds up."""
    table = _table("Sections", "name", "start", "end", "size", "count", "%")
    table.add_row("(header)", "0x0", f"0x{HEADER_BYTES:x}", f"{HEADER_BYTES:,d}", "",
                  f"{report.percent(HEADER_BYTES):.1f}")
    for s in report.sections:
        name = s.name if s.id or s.name == "custom" else f'custom "{s.name}"'
        table.add_row(name, f"0x{s.start:x}", f"0x{s.end:x}", f"{s.size:,d}",
                      "" if s.count is None else f"{s.count:,d}",
                      f"{report.percent(s.size):.1f}")
    heads = sum(s.disk_size - s.size for s in report.sections)
    table.add_row("(section ids + size LEBs)", "", "", f"{heads:,d}", "",
                  f"{report.percent(heads):.1f}", style="dim")
    total = HEADER_BYTES + sum(s.disk_size for s in report.sections)
    table.add_row("total", "", "", f"{total:,d}", "", f"{report.percent(total):.1f}",
                  style="bold")
    return table


def functions_block(report: InspectReport, args: argparse.Namespace) -> Table | None:
    if not report.functions:
        return None
    top = report.top_functions(args.top)
    code = sum(f.size for f in report.functions)
    table = _table(f"Largest functions ({len(top)} of {len(report.functions):,d}, "
                   f"bodies total {human_bytes(code)})", "index", "name", "size", "%")
    for f in top:
        table.add_row(str(f.index), f.name, f"{f.size:,d}", f"{report.percent(f.size):.1f}")
    return table


def data_block(report: InspectReport, args: argparse.Namespace) -> Table | None:
    segs = report.data_segments
    if not segs:
        return None
    modes = Counter(s.mode for s in segs)
    summary = ", ".join(f"{n:,d} {mode}" for mode, n in sorted(modes.items()))
    largest = sorted(segs, key=lambda s: (-s.size, s.index))[:args.top]
    table = _table(f"Data segments ({summary}; {human_bytes(report.data_total())} of bytes)",
                   "index", "name", "mode", "start", "size", "%")
    for s in largest:
        table.add_row(str(s.index), s.name or "", s.mode, f"0x{s.start:x}", f"{s.size:,d}",
                      f"{report.percent(s.size):.1f}")
    return table


def imports_block(report: InspectReport, args: argparse.Namespace) -> Table | None:
    if not report.imports:
        return None
    table = _table(f"Imports ({len(report.imports)})", "module", "name", "kind", "type")
    for i in report.imports:
        table.add_row(i.module, i.name, i.kind, i.type)
    return table


def exports_block(report: InspectReport, args: argparse.Namespace) -> Table | None:
    if not report.exports:
        return None
    table = _table(f"Exports ({len(report.exports)})", "name", "kind", "type")
    for e in report.exports:
        table.add_row(e.name, e.kind, e.type)
    return table


def components_block(report: InspectReport, args: argparse.Namespace) -> Table | None:
    if report.kind != "component":
        return None
    table = _table(f"Embedded core modules ({len(report.components)})", "index", "start",
                   "size")
    for c in report.components:
        table.add_row(str(c.index), f"0x{c.start:x}", f"{c.size:,d}")
    return table


def by_view(report: InspectReport, args: argparse.Namespace) -> Any:
    """`--by VIEW`: core.size's breakdown, whose rows add up exactly to its container."""
    from workbench.core.size import view

    if report.module is None or report.kind != "module":
        return None
    v = view(report.module, args.by)
    table = _table(f"By {v.by}: {v.total:,d} B of {v.container}", "name", "size", "%")
    rows = list(v.rows)
    shown = rows if args.top is None else rows[:max(args.top, 1)]
    for row in shown:
        pct = 100.0 * row.size / v.total if v.total else 0.0
        table.add_row(row.name, f"{row.size:,d}", f"{pct:.1f}",
                      style="dim" if row.kind != "item" else None)
    if len(shown) < len(rows):
        rest = sum(r.size for r in rows[len(shown):])
        table.add_row(f"… {len(rows) - len(shown):,d} more", f"{rest:,d}",
                      f"{100.0 * rest / v.total if v.total else 0:.1f}", style="dim")
    if v.note:
        table.caption = v.note
    return table


BLOCKS = (sections_block, functions_block, data_block, imports_block, exports_block,
          components_block)
