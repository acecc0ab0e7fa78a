"""The size-attribution parts of `workbench inspect`: `sources` (DWARF) and `--diff OLD`.

Kept out of inspect.py so that command stays small: inspect.py calls `size_json` for
the JSON document and appends `SIZE_BLOCKS` to its human report. Attribution results are
cached per report so JSON and human output never compute them twice.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.core.dwarf_result import SourceAttribution
from workbench.core.errors import MalformedModule, UsageError
from workbench.core.wasm.model import Module

_OLD: dict[str, tuple[Module, SourceAttribution]] = {}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--diff", metavar="OLD", type=Path,
                        help="compare with an older build OLD: size delta per section, "
                        "function and source file (JSON key `diff`)")


def _sources(module: Module) -> SourceAttribution:
    from workbench.core.dwarf import attribute

    return attribute(module)


def _old(path: Path) -> tuple[Module, SourceAttribution]:
    key = str(path)
    if key not in _OLD:
        from workbench.core.wasm import parse_module

        try:
            data = path.read_bytes()
        except OSError as err:
            raise UsageError(f"cannot read the --diff module: {err.strerror}",
                             where=key, hint="pass the path of an older .wasm build") from None
        try:
            module = parse_module(data, file=key)
        except MalformedModule as err:
            raise err.with_file(key) from None
        _OLD[key] = (module, _sources(module))
    return _OLD[key]


def module_analysis(module: Module,
                    args: argparse.Namespace) -> tuple[SourceAttribution, Any]:
    """(sources, diff-or-None) of a core module."""
    sources = _sources(module)
    diff = None
    if getattr(args, "diff", None) is not None:
        from workbench.core.diff import diff_modules

        old, old_sources = _old(args.diff)
        diff = diff_modules(old, module, old_sources, sources)
    return sources, diff


def analysis(report: Any, args: argparse.Namespace) -> tuple[SourceAttribution | None, Any]:
    """(sources, diff) for a report, computed once; None where not applicable."""
    module = getattr(report, "module", None)
    if module is None or module.kind != "module":
        return None, None
    cached = getattr(report, "_size_analysis", None)
    if cached is None:
        cached = module_analysis(module, args)
        object.__setattr__(report, "_size_analysis", cached)
    return cached


def _doc(sources: SourceAttribution | None, diff: Any,
         args: argparse.Namespace) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "sources": sources.to_json() if sources is not None else None,
        "sources_status": sources.status if sources is not None else None,
        "sources_warning": sources.warning if sources is not None else None}
    if getattr(args, "diff", None) is not None:
        doc["diff"] = diff.to_json() if diff is not None else None
    return doc


def size_json(report: Any, args: argparse.Namespace) -> dict[str, Any]:
    """`sources` (null without DWARF), `sources_status`/`sources_warning`, and `diff`."""
    return _doc(*analysis(report, args), args)


def module_json(module: Module, args: argparse.Namespace) -> dict[str, Any]:
    """Like `size_json`, straight from a module (the fast `inspect --json` path)."""
    if module.kind != "module":
        return _doc(None, None, args)
    return _doc(*module_analysis(module, args), args)


def sources_block(report: Any, args: argparse.Namespace) -> Any:
    from rich.table import Table

    sources, _diff = analysis(report, args)
    if sources is None or sources.status == "absent" or getattr(args, "by", None):
        return None
    total = sources.code_size or 1
    table = Table(title=f"Code by source file (DWARF): {sources.code_size:,d} B",
                  title_justify="left")
    for col in ("file", "size", "%", "largest functions"):
        table.add_column(col, justify="right" if col in ("size", "%") else "left")
    rows = sources.rows()
    for row in rows[: args.top]:
        largest = ", ".join(f.name for f in row.functions[:3])
        table.add_row(row.file, f"{row.size:,d}", f"{100.0 * row.size / total:.1f}", largest,
                      style="dim" if row.file.startswith("<") else None)
    if len(rows) > args.top:
        rest = sum(r.size for r in rows[args.top:])
        table.add_row(f"… {len(rows) - args.top} more", f"{rest:,d}",
                      f"{100.0 * rest / total:.1f}", "", style="dim")
    if sources.warning:
        table.caption = f"warning: {sources.warning}"
    return table


def diff_block(report: Any, args: argparse.Namespace) -> Any:
    from rich.table import Table

    _sources_, diff = analysis(report, args)
    if diff is None:
        return None
    table = Table(title=f"Diff against {args.diff}: {diff.old_size:,d} → {diff.new_size:,d} B "
                  f"({diff.delta:+,d})", title_justify="left")
    for col in ("what", "name", "old", "new", "delta"):
        table.add_column(col, justify="right" if col in ("old", "new", "delta") else "left")
    for kind, rows in (("section", diff.sections), ("function", diff.functions),
                       ("source", diff.sources or ())):
        changed = [r for r in rows if r.status != "same"]
        for r in changed[: args.top]:
            mark = f" ({r.status})" if r.status in ("added", "removed") else ""
            table.add_row(kind, r.name + mark, f"{r.old:,d}", f"{r.new:,d}", f"{r.delta:+,d}",
                          style="red" if r.delta > 0 else "green")
        if len(changed) > args.top:
            table.add_row(kind, f"… {len(changed) - args.top} more changed", "", "", "",
                          style="dim")
    if diff.note:
        table.caption = diff.note
    return table


SIZE_BLOCKS = (sources_block, diff_block)
