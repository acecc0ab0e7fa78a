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
from rich.text import Text

from workbench.core.size.inspect import HEADER_BYTES, InspectReport
from workbench.core.text import printable

LIST_ROWS = 100
NUMERIC = frozenset(("start", "end", "size", "count", "%", "index", "bytes", "disk", "old",
                     "new", "delta", "functions", "code", "data", "imports", "names",
                     "other custom", "header + other sections"))


class PlainTable(Table):
    """A Table whose string cells are plain text, never rich markup: names come from the
    module (`<[u8] as Debug>::fmt`, `x[/]y`) and markup would eat them or raise; terminal
    control characters in them (an export named "\x1b[2J") are shown as escapes."""

    def add_row(self, *renderables: Any, **kwargs: Any) -> None:
        super().add_row(*(Text(printable(c)) if isinstance(c, str) else c
                          for c in renderables), **kwargs)


def make_table(title: str, *columns: str) -> Table:
    """The report's one table style. `min_width` keeps a long title on one line (rich
    otherwise wraps it to the width of a narrow table)."""
    table = PlainTable(title=Text(printable(title)), title_justify="left", box=box.SIMPLE_HEAD,
                       pad_edge=False, min_width=len(title))
    for col in columns:
        numeric = col in NUMERIC
        table.add_column(col, justify="right" if numeric else "left",
                         overflow="fold" if col in ("name", "type") else "ellipsis")
    return table


def rows_for(args: argparse.Namespace) -> int:
    """Rows of a list table (sections, imports, exports, embedded modules) in the human
    report: a hostile file can hold 50,000 sections or 20,000 core modules, and rich
    takes about a millisecond a row (a minute of output); `--json` lists them all."""
    return max(LIST_ROWS, args.top)


def _more(table: Table, n: int, what: str) -> None:
    """Say under the table how many rows were left out (a caption: a row's narrow first
    cell would wrap the sentence into a column of words)."""
    if n > 0:
        line = f"… {n:,d} more {what} (--json lists all)"
        table.caption = f"{table.caption}\n{line}" if table.caption else line
        table.caption_justify = "left"
        table.caption_style = "dim"
        table.min_width = max(table.min_width or 0, len(line))  # else the caption wraps


def sections_block(report: InspectReport, args: argparse.Namespace) -> Table:
    """Every section as wasm-objdump -h counts it (payload sizes), plus the bytes outside
    payloads (file header, each section's id byte and size LEB) so the column adds up.
    Above `rows_for(args)` sections, the largest are shown in file order and the rest
    summed in one row."""
    table = make_table("Sections", "name", "start", "end", "size", "count", "%")
    table.add_row("(header)", "0x0", f"0x{HEADER_BYTES:x}", f"{HEADER_BYTES:,d}", "",
                  f"{report.percent(HEADER_BYTES):.1f}")
    shown = report.sections
    limit = rows_for(args)
    if len(shown) > limit:
        keep = set(sorted(range(len(shown)), key=lambda i: -shown[i].size)[:limit])
        shown = tuple(s for i, s in enumerate(report.sections) if i in keep)
    for s in shown:
        name = s.name if s.id or s.name == "custom" else f'custom "{s.name}"'
        table.add_row(name, f"0x{s.start:x}", f"0x{s.end:x}", f"{s.size:,d}",
                      "" if s.count is None else f"{s.count:,d}",
                      f"{report.percent(s.size):.1f}")
    if len(shown) < len(report.sections):
        rest = sum(s.size for s in report.sections) - sum(s.size for s in shown)
        table.add_row(f"… {len(report.sections) - len(shown):,d} smaller sections", "", "",
                      f"{rest:,d}", "", f"{report.percent(rest):.1f}", style="dim")
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
    table = make_table(f"Largest functions ({len(top)} of {len(report.functions):,d}; bodies "
                   f"{code:,d} B; % of the file)", "index", "name", "size", "%")
    for f in top:
        table.add_row(str(f.index), f.name, f"{f.size:,d}", f"{report.percent(f.size):.1f}")
    if len(top) < len(report.functions):
        rest = code - sum(f.size for f in top)
        table.add_row("", f"… {len(report.functions) - len(top):,d} more", f"{rest:,d}",
                      f"{report.percent(rest):.1f}", style="dim")
    return table


def data_block(report: InspectReport, args: argparse.Namespace) -> Table | None:
    segs = report.data_segments
    if not segs:
        return None
    modes = Counter(s.mode for s in segs)
    summary = ", ".join(f"{n:,d} {mode}" for mode, n in sorted(modes.items()))
    largest = sorted(segs, key=lambda s: (-s.size, s.index))[:args.top]
    table = make_table(f"Data segments ({summary}; {report.data_total():,d} B of segment bytes; "
                   "% of the file)",
                   "index", "name", "mode", "start", "size", "%")
    for s in largest:
        table.add_row(str(s.index), s.name or "", s.mode, f"0x{s.start:x}", f"{s.size:,d}",
                      f"{report.percent(s.size):.1f}")
    if len(largest) < len(segs):
        rest = report.data_total() - sum(s.size for s in largest)
        table.add_row("", f"… {len(segs) - len(largest):,d} more", "", "", f"{rest:,d}",
                      f"{report.percent(rest):.1f}", style="dim")
    return table


def imports_block(report: InspectReport, args: argparse.Namespace) -> Table | None:
    if not report.imports:
        return None
    table = make_table(f"Imports ({len(report.imports)})", "module", "name", "kind", "type")
    limit = rows_for(args)
    for i in report.imports[:limit]:
        table.add_row(i.module, i.name, i.kind, i.type)
    _more(table, len(report.imports) - limit, "imports")
    return table


def exports_block(report: InspectReport, args: argparse.Namespace) -> Table | None:
    if not report.exports:
        return None
    table = make_table(f"Exports ({len(report.exports)})", "name", "kind", "type")
    limit = rows_for(args)
    for e in report.exports[:limit]:
        table.add_row(e.name, e.kind, e.type)
    _more(table, len(report.exports) - limit, "exports")
    return table


def components_block(report: InspectReport, args: argparse.Namespace) -> Table | None:
    """A component's embedded core modules, each parsed: what the component is made of."""
    if report.kind != "component":
        return None
    table = make_table(f"Embedded core modules ({len(report.core_modules)})", "index", "in",
                   "start", "size", "functions", "code", "data", "imports", "exports")
    limit = rows_for(args)
    for c in report.core_modules[:limit]:
        where = "component" if not c.depth else f"nested component (depth {c.depth})"
        if c.error is not None:
            table.add_row(str(c.index), where, f"0x{c.start:x}", f"{c.size:,d}", "", "", "",
                          "", c.error["message"], style="red")
            continue
        names = ", ".join(e.name for e in c.exports[:4])
        if len(c.exports) > 4:
            names += f", … {len(c.exports) - 4} more"
        table.add_row(str(c.index), where, f"0x{c.start:x}", f"{c.size:,d}",
                      f"{c.functions or 0:,d}", f"{c.code_size or 0:,d}",
                      f"{c.data_size or 0:,d}", str(len(c.imports)), names)
    _more(table, len(report.core_modules) - limit, "core modules")
    return table


def core_bytes_block(report: InspectReport, args: argparse.Namespace) -> Table | None:
    """Each embedded core module's bytes by part; every row adds up to the module size."""
    cores = [c for c in report.core_modules if c.breakdown]
    if not cores:
        return None
    parts = [k for k, _ in cores[0].breakdown]
    table = make_table("Embedded core modules by part (bytes on disk; each row adds up to "
                       "its size)", "index", *parts, "size")
    limit = rows_for(args)
    for c in cores[:limit]:
        table.add_row(str(c.index), *(f"{v:,d}" for _, v in c.breakdown), f"{c.size:,d}")
    _more(table, len(cores) - limit, "core modules")
    return table


def _count(n: int) -> str:
    return "" if not n else f"{n} function" + ("" if n == 1 else "s")


def world_block(report: InspectReport, args: argparse.Namespace) -> Table | None:
    """A component's world as `wasm-tools component wit` names it, with each function."""
    world = report.world
    if world is None:
        return None
    table = make_table(f"World ({len(world.imports)} imports, {len(world.exports)} exports; "
                       "functions of exports, first N of imports by --top)",
                       "dir", "name", "function", "type")
    limit = rows_for(args)
    for direction, items in (("export", world.exports), ("import", world.imports)):
        for item in items[:limit]:
            table.add_row(direction, item.name, "" if item.kind == "instance" else item.kind,
                          _count(len(item.functions)))
            shown = item.functions if direction == "export" else item.functions[:args.top]
            for fname, sig in shown:
                table.add_row("", "", fname, sig or "?", style="dim" if direction == "import"
                              else "")
            if len(shown) < len(item.functions):
                table.add_row("", "", f"… {len(item.functions) - len(shown)} more", "",
                              style="dim")
        _more(table, len(items) - limit, f"{direction}s")
    if world.partial:
        table.add_row("", "partial", world.partial, "", style="yellow")
    return table


BLOCKS = (sections_block, functions_block, data_block, imports_block, exports_block,
          world_block, components_block, core_bytes_block)
