"""The size-attribution parts of `workbench inspect`: `sources` (DWARF), `--by` views and
`--diff OLD`.

Kept out of inspect.py so that command stays small: inspect.py calls `size_json` for
the JSON document and appends `SIZE_BLOCKS` to its human report. Attribution results are
cached per report so JSON and human output never compute them twice. `load_old` is
called before any output, so a bad `--diff OLD` fails the command up front instead of
after a full report.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import MalformedModule, UsageError

if TYPE_CHECKING:
    from workbench.core.size.breakdown import SizeView
    from workbench.core.size.diff import ModuleDiff
    from workbench.core.size.dwarf.result import SourceAttribution
    from workbench.core.size.inspect import InspectReport
    from workbench.core.wasm.model import Module

# what `sources*` say for a module without .debug_info (no DWARF import needed)
ABSENT: dict[str, Any] = {"sources": None, "sources_status": "absent", "sources_warning": None}

_OLD: dict[str, tuple[Module, SourceAttribution]] = {}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--diff", metavar="OLD", type=Path,
                        help="compare with an older build OLD: size delta per section, "
                        "function and source file (JSON key `diff`)")


def _sources(module: Module) -> SourceAttribution:
    from workbench.core.size.dwarf.attribute import attribute

    return attribute(module)


def load_old(path: Path) -> tuple[Module, SourceAttribution]:
    """The `--diff OLD` module and its attribution (read once per process).

    Raises UsageError (unreadable, a component) or MalformedModule naming OLD."""
    key = str(path)
    if key not in _OLD:
        from workbench.core.files import FileRefused, read_wasm
        from workbench.core.wasm import parse_module

        try:
            data = read_wasm(path)
        except FileRefused as err:
            what = err.message.removeprefix("cannot read: ")
            raise UsageError(f"cannot read the --diff module: {what}",
                             where=key, hint="pass the path of an older .wasm build") from None
        try:
            module = parse_module(data, file=key)
        except MalformedModule as err:
            raise MalformedModule(f"the --diff module is malformed: {err.message}",
                                  err.offset, file=key, hint=err.hint) from None
        if module.kind != "module":
            raise UsageError("the --diff module is a component; diffs compare core modules",
                             where=key, hint="pass an older build of the same core module")
        _OLD[key] = (module, _sources(module))
    return _OLD[key]


def module_analysis(module: Module,
                    args: argparse.Namespace) -> tuple[SourceAttribution, ModuleDiff | None]:
    """(sources, diff-or-None) of a core module."""
    sources = _sources(module)
    diff = None
    if getattr(args, "diff", None) is not None:
        from workbench.core.size.diff import diff_modules

        old, old_sources = load_old(args.diff)
        diff = diff_modules(old, module, old_sources, sources)
    return sources, diff


def analysis(report: Any,
             args: argparse.Namespace) -> tuple[SourceAttribution | None, ModuleDiff | None]:
    """(sources, diff) for a report, computed once; None where not applicable."""
    module = getattr(report, "module", None)
    if module is None or module.kind != "module":
        return None, None
    cached = getattr(report, "_size_analysis", None)
    if cached is None:
        cached = module_analysis(module, args)
        object.__setattr__(report, "_size_analysis", cached)
    return cached


def view_of(report: Any, args: argparse.Namespace) -> SizeView | None:
    """The `--by` view of a report, reusing the cached DWARF attribution."""
    from workbench.core.size.breakdown import view

    module = getattr(report, "module", None)
    if module is None:
        return None
    sources, _diff = analysis(report, args) if args.by == "source" else (None, None)
    return view(module, args.by, sources)


def _doc(sources: SourceAttribution | None, diff: ModuleDiff | None,
         args: argparse.Namespace) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "sources": sources.to_json() if sources is not None else None,
        "sources_status": sources.status if sources is not None else None,
        "sources_warning": sources.warning if sources is not None else None}
    if getattr(args, "diff", None) is not None:
        doc["diff"] = diff.to_json() if diff is not None else None
    return doc


def failed_json(args: argparse.Namespace) -> dict[str, Any]:
    """The size keys of a file that could not be read: all null, never missing."""
    return _doc(None, None, args)


def size_json(report: Any, args: argparse.Namespace) -> dict[str, Any]:
    """`sources` (null without DWARF), `sources_status`/`sources_warning`, and `diff`."""
    return _doc(*analysis(report, args), args)


def module_json(module: Module, args: argparse.Namespace) -> dict[str, Any]:
    """Like `size_json`, straight from a module (the fast `inspect --json` path)."""
    if module.kind != "module":
        return _doc(None, None, args)
    if getattr(args, "diff", None) is None and module.custom(".debug_info") is None:
        return dict(ABSENT)  # the common release build: skip the DWARF layer's import
    return _doc(*module_analysis(module, args), args)


def sources_block(report: Any, args: argparse.Namespace) -> Any:
    from rich.console import Group
    from rich.text import Text

    from workbench.cli.commands._inspect_blocks import make_table  # rich: lazily


    sources, _diff = analysis(report, args)
    if sources is None or getattr(args, "by", None):
        return None
    if sources.status == "absent":
        return Text("Code by source file: no DWARF in this module (build with -g, e.g. "
                    'profile = "debug", to see bytes per source file)', style="dim")
    total = sources.code_size or 1
    table = make_table(f"Code by source file (DWARF): {sources.code_size:,d} B of the code "
                   "section payload", "file", "size", "%", "largest functions")
    rows = [r for r in sources.rows() if not r.file.startswith("<")]
    for row in rows[: args.top]:
        largest = ", ".join(f.name for f in row.functions[:3])
        table.add_row(row.file, f"{row.size:,d}", f"{100.0 * row.size / total:.1f}", largest)
    if len(rows) > args.top:
        rest = sum(r.size for r in rows[args.top:])
        table.add_row(f"… {len(rows) - args.top} more", f"{rest:,d}",
                      f"{100.0 * rest / total:.1f}", "", style="dim")
    if sources.unattributed:
        what = ", ".join(f.name for f in sources.unattributed_functions[:3])
        table.add_row("<unattributed>", f"{sources.unattributed:,d}",
                      f"{100.0 * sources.unattributed / total:.1f}", what, style="dim")
    table.add_row("total", f"{sources.code_size:,d}", "100.0", "", style="bold")
    if sources.warning:
        return Group(table, Text(f"warning: {sources.warning}", style="yellow"))
    return table


def diff_block(report: Any, args: argparse.Namespace) -> Any:
    """Changed sections, functions and source files; per kind, the rows shown plus the
    `… more` row add up to that kind's total delta."""
    from rich.console import Group
    from rich.text import Text

    from workbench.cli.commands._inspect_blocks import make_table  # rich: lazily


    _sources_, diff = analysis(report, args)
    if diff is None:
        if getattr(args, "diff", None) is not None and report.kind == "component":
            return Text(f"--diff: {report.file} is a component; diffs compare core modules",
                        style="yellow")
        return None
    table = make_table(f"Diff against {args.diff}: {diff.old_size:,d} → {diff.new_size:,d} B "
                   f"({diff.delta:+,d})", "what", "name", "old", "new", "delta")
    kinds: list[tuple[str, Any]] = [("section", diff.sections), ("function", diff.functions)]
    if diff.sources is not None:
        kinds.append(("source", diff.sources))
    for kind, rows in kinds:
        changed = [r for r in rows if r.status != "same"]
        for r in changed[: args.top]:
            mark = f" ({r.status})" if r.status in ("added", "removed") else ""
            table.add_row(kind, r.name + mark, f"{r.old:,d}", f"{r.new:,d}", f"{r.delta:+,d}",
                          style="red" if r.delta > 0 else "green")
        if len(changed) > args.top:
            rest = sum(r.delta for r in changed[args.top:])
            table.add_row(kind, f"… {len(changed) - args.top} more changed", "", "",
                          f"{rest:+,d}", style="dim")
        if kind == "section" and diff.header_delta:
            table.add_row(kind, "(section ids + size LEBs)", "", "",
                          f"{diff.header_delta:+,d}", style="dim")
        if not changed and not (kind == "section" and diff.header_delta):
            table.add_row(kind, "(no change)", "", "", "", style="dim")
        table.add_section()
    notes = [Text(n, style="yellow") for n in (diff.note, diff.functions_note) if n]
    return Group(table, *notes) if notes else table


SIZE_BLOCKS = (sources_block, diff_block)


def by_view(report: InspectReport, args: argparse.Namespace) -> Any:
    """`--by VIEW`: core.size's breakdown. The largest `--top` items, one row for the
    rest, every overhead / unattributed row, and a total that equals the container."""
    from rich.console import Group
    from rich.text import Text

    from workbench.cli.commands._inspect_blocks import make_table  # rich: lazily

    v = view_of(report, args)
    if v is None:
        return None
    table = make_table(f"By {v.by}: {v.total:,d} B of {CONTAINERS.get(v.container, v.container)}",
                   "name", "size", "%")

    def pct(n: int) -> str:
        return f"{100.0 * n / v.total if v.total else 0.0:.1f}"

    items = [r for r in v.rows if r.kind == "item"]
    shown = items[:args.top]
    for row in shown:
        table.add_row(row.name, f"{row.size:,d}", pct(row.size))
    if len(items) > len(shown):
        rest = sum(r.size for r in items[len(shown):])
        table.add_row(f"… {len(items) - len(shown):,d} more", f"{rest:,d}", pct(rest),
                      style="dim")
    for row in v.rows:
        if row.kind != "item":
            table.add_row(row.name, f"{row.size:,d}", pct(row.size), style="dim")
    table.add_row("total", f"{sum(r.size for r in v.rows):,d}", pct(v.total), style="bold",
                  end_section=False)
    if not v.note:
        return table
    return Group(table, Text(v.note, style="yellow"))


CONTAINERS = {"file": "the file", "code": "the code section payload",
              "data": "the data section payload"}
