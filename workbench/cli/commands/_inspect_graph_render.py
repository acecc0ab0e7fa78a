"""Rich tables for the call-graph views of `inspect --by` (imported only for text output).

Each table ends with rows that reconcile it with the file size: what the rows shown
leave out is one `… more` row, and the total is the file's.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from rich.console import Group
from rich.text import Text

from workbench.cli.commands._inspect_blocks import make_table


def _pct(n: int, total: int) -> str:
    return f"{100.0 * n / total if total else 0.0:.1f}"


def retained(v: Any, args: argparse.Namespace) -> Any:
    table = make_table(f"By retained size: what would go with each item "
                       f"({v.total:,d} B file)", "name", "kind", "size", "retained", "%")
    for r in v.rows[:args.top]:
        table.add_row(r.name, r.kind, f"{r.size:,d}", f"{r.retained:,d}",
                      _pct(r.retained, v.total))
    if len(v.rows) > args.top:
        table.add_row(f"… {len(v.rows) - args.top:,d} more items", "", "", "", "",
                      style="dim")
    table.add_section()
    table.add_row("retained by <module>", "", "", f"{v.reachable:,d}",
                  _pct(v.reachable, v.total), style="dim")
    table.add_row("unreachable (--by garbage)", "", "", f"{v.unreachable:,d}",
                  _pct(v.unreachable, v.total), style="dim")
    table.add_row("total", "", "", f"{v.total:,d}", "100.0", style="bold")
    return table


def dominators(v: Any, args: argparse.Namespace) -> Any:
    table = make_table(f"Dominator tree: each item keeps the items below it "
                       f"({v.total:,d} B file)", "name", "kind", "size", "retained", "%")
    for r in v.rows:
        style = "dim" if r.kind in ("header", "unreachable", "more") else None
        table.add_row("  " * r.depth + r.name, r.kind, f"{r.size:,d}", f"{r.retained:,d}",
                      _pct(r.retained, v.total), style=style)
    table.add_row("total (top-level rows)", "", "", f"{v.total:,d}", "100.0", style="bold")
    return Group(table, Text(v.note, style="yellow")) if v.note else table


def garbage(v: Any, args: argparse.Namespace) -> Any:
    table = make_table(f"Garbage: items nothing reachable refers to "
                       f"({v.unreachable:,d} B of {v.total:,d})", "name", "kind", "size", "%")
    for r in v.rows[:args.top]:
        table.add_row(r.name, r.kind, f"{r.size:,d}", _pct(r.size, v.total))
    if len(v.rows) > args.top:
        rest = sum(r.size for r in v.rows[args.top:])
        table.add_row(f"… {len(v.rows) - args.top:,d} more", "", f"{rest:,d}",
                      _pct(rest, v.total), style="dim")
    table.add_row("total unreachable", "", f"{v.unreachable:,d}",
                  _pct(v.unreachable, v.total), style="bold")
    return Group(table, Text(v.note, style="yellow")) if v.note else table


def paths(items: Any, args: argparse.Namespace) -> Any:
    out = []
    for it in items:
        text = Text.assemble((it.name, "bold"), f"  {it.kind}, {it.size:,d} B, retains "
                             f"{it.retained:,d} B")
        if it.reachable:
            text.append("\n  path: " + " → ".join(it.path))
        else:
            text.append("\n  unreachable: nothing the module's roots keep refers to it",
                        style="yellow")
        text.append("\n  kept by: " + (", ".join(it.kept_by[:args.top]) or "-"))
        if len(it.kept_by) > args.top:
            text.append(f" … {len(it.kept_by) - args.top} more")
        if it.dominators:
            text.append("\n  would go with: " + " ← ".join(it.dominators))
        out.append(text)
    return Group(*out)


def monos(v: Any, args: argparse.Namespace) -> Any:
    table = make_table(f"Monomorphizations: copies of one generic ({v.total:,d} B file)",
                       "generic", "count", "size", "bloat", "%")
    for g in v.groups[:args.top]:
        table.add_row(g.generic, f"{g.count:,d}", f"{g.size:,d}", f"{g.bloat:,d}",
                      _pct(g.size, v.total))
    rest = v.groups[args.top:]
    if rest:
        size = sum(g.size for g in rest)
        table.add_row(f"… {len(rest):,d} more groups", "", f"{size:,d}",
                      f"{sum(g.bloat for g in rest):,d}", _pct(size, v.total), style="dim")
    if not v.groups:
        table.add_row("(no generic function has two or more copies)", "", "", "", "",
                      style="dim")
    table.add_row("functions in no group", "", f"{v.other_functions:,d}", "",
                  _pct(v.other_functions, v.total), style="dim")
    table.add_row("outside function bodies", "", f"{v.outside:,d}", "",
                  _pct(v.outside, v.total), style="dim")
    table.add_row("total", "", f"{v.total:,d}", "", "100.0", style="bold")
    return table


def crate(v: Any, args: argparse.Namespace) -> Any:
    table = make_table(f"By crate / package / source file ({v.total:,d} B file)",
                       "name", "functions", "size", "%")
    items = [r for r in v.rows if r.kind == "item"]
    for r in items[:args.top]:
        table.add_row(r.name, f"{r.functions:,d}", f"{r.size:,d}", _pct(r.size, v.total))
    if len(items) > args.top:
        rest = items[args.top:]
        size = sum(r.size for r in rest)
        table.add_row(f"… {len(rest):,d} more", f"{sum(r.functions for r in rest):,d}",
                      f"{size:,d}", _pct(size, v.total), style="dim")
    for r in v.rows:
        if r.kind != "item":
            table.add_row(r.name, "", f"{r.size:,d}", _pct(r.size, v.total), style="dim")
    table.add_row("total", "", f"{v.total:,d}", "100.0", style="bold")
    return Group(table, Text(v.note, style="yellow")) if v.note else table


RENDERERS: dict[str, Callable[[Any, argparse.Namespace], Any]] = {
    "retained": retained, "dominators": dominators, "garbage": garbage, "paths": paths,
    "monos": monos, "crate": crate,
}
