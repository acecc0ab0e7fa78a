"""`workbench inspect FILE... [--json] [--top N] [--by VIEW]`: where the bytes go.

`--json` never imports rich (startup matters in CI loops); the human report imports it
lazily. Each block of the human report is one function in `BLOCKS`, so later options
(`--diff`, more `--by` views) add a function rather than editing a long one.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workbench.cli.commands import _inspect_graph, _inspect_size
from workbench.cli.commands._folders import build_outputs
from workbench.core.errors import MalformedModule

if TYPE_CHECKING:
    from workbench.core.size.inspect import InspectReport

NAME = "inspect"
HELP = "size breakdown, platform and signatures of .wasm files (sections, functions, data, why)"
ORDER = 10
VIEWS = ("section", "function", "data", "source", *_inspect_graph.GRAPH_VIEWS)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help=".wasm files to inspect; a module or workspace folder stands for "
                        "the modules it builds (their last build output)")
    parser.add_argument("--json", action="store_true",
                        help="one JSON document per file (JSON lines); see docs/inspect-json.md")
    parser.add_argument("--top", type=_positive, default=10, metavar="N",
                        help="rows per table: largest functions, data segments, source "
                        "files, --by and --diff rows; the rest is summed in one row "
                        "(default 10)")
    parser.add_argument("--exact-gzip", action="store_true",
                        help="compute gzip -9 exactly even above 4 MiB (slow: 0.1-0.5 s/MB); "
                        "otherwise large files get an estimate within a few percent")
    parser.add_argument("--by", choices=VIEWS, metavar="VIEW",
                        help="only a size breakdown by " + "|".join(VIEWS)
                        + ", rows adding up exactly to the file / code / data payload; "
                        "retained|dominators|paths|garbage decode every function body into "
                        "a call graph (docs/size.md)")
    parser.add_argument("--core", type=_index, metavar="N",
                        help="inspect the Nth core module embedded in each component (index "
                        "as listed under 'Embedded core modules'), with every view")
    _inspect_size.add_arguments(parser)
    _inspect_graph.add_arguments(parser)


def _index(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a core module index (0, 1, ...), got "
                                         f"{text!r}")
    return int(text)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    # a short-lived process that allocates 100k+ small records on big modules: the cyclic
    # GC would only rescan them (~20% of the parse); nothing here makes reference cycles
    gc.disable()
    try:
        return _run(args)
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    _inspect_graph.check(args)
    args.files = build_outputs(args.files)
    if getattr(args, "diff", None) is not None:
        _inspect_size.load_old(args.diff)  # a bad OLD fails before any report is printed
    status = 0  # the worst of the files' (workbench.cli.failure: 1 or 2)
    exact = True if args.exact_gzip else None
    core = getattr(args, "core", None)
    fast = args.json and not args.by and core is None
    started = None
    if fast:  # read the first file and start its gzip job before importing the reader:
        from workbench.core.size import gzip as gzip_size  # zlib + threading only

        started = gzip_size.start(args.files[0], exact)
    from workbench.core.size.inspect import inspect_core, inspect_file, inspect_json

    for i, path in enumerate(args.files):
        if fast:
            line, ok = inspect_json(path, exact_gzip=exact,
                                    extra=lambda m: _inspect_size.module_json(m, args),
                                    failed_extra=_inspect_size.failed_json(args),
                                    started=started if i == 0 else None)
            sys.stdout.write(line + "\n")
            if not ok:
                status = max(status, _failure(json.loads(line)))
            continue
        report = (inspect_file(path, exact_gzip=exact) if core is None
                  else inspect_core(path, core, exact_gzip=exact))
        if report.error is not None:
            status = max(status, _failure(report.to_json()))
        if args.json and not args.by:  # --core: the fast path's document, unhurried
            more = (_inspect_size.module_json(report.module, args)
                    if report.module is not None else _inspect_size.failed_json(args))
            sys.stdout.write(report.dumps(extra=more) + "\n")
            continue
        if args.json:
            doc = report.to_json()
            if report.module is not None and args.by in _inspect_graph.GRAPH_VIEWS:
                doc.update(_inspect_size.failed_json(args))
                try:
                    doc["view"] = _inspect_graph.to_json(_inspect_graph.compute(report, args))
                except (MalformedModule, _inspect_graph.NotCore) as err:
                    doc["view"], doc["error"] = None, _inspect_graph.error_json(err)
                    status = max(status, _failure(doc))
            elif report.module is not None:
                view = _inspect_size.view_of(report, args)
                doc["view"] = view.to_json() if view is not None else None
                doc.update(_inspect_size.size_json(report, args))
            else:
                doc.update(_inspect_size.failed_json(args), view=None)
            sys.stdout.write(json.dumps(doc, separators=(",", ":"), ensure_ascii=False))
            sys.stdout.write("\n")
        else:
            status = max(status, _print_human(report, args))
    sys.stdout.flush()
    return status


def _failure(doc: dict[str, Any]) -> int:
    """Say on stderr why a file failed (its JSON document's `error`); the exit status."""
    from workbench.cli.failure import report_json_error

    sys.stdout.flush()  # the report so far comes before the message on a terminal
    return report_json_error(str(doc.get("file")), doc.get("error") or {})


def _print_human(report: InspectReport, args: argparse.Namespace) -> int:
    """Print the report; the exit status (a graph view's error: a malformed function body
    or a component; a file that could not be read was reported already, on stderr)."""
    from workbench.cli.render import console

    if report.error is not None:
        return 0
    if args.by in _inspect_graph.GRAPH_VIEWS:
        console.print(header_block(report, args))
        console.print(_inspect_graph.block(report, args))
        try:
            _inspect_graph.compute(report, args)
        except (MalformedModule, _inspect_graph.NotCore) as err:
            return err.exit_status  # the block above shows the error
        return 0
    if args.by:
        by_view = _inspect_size.by_view

        blocks: list[Callable[..., Any]] = [header_block, by_view, _inspect_size.diff_block]
    else:
        from workbench.cli.commands._inspect_blocks import BLOCKS

        blocks = [header_block, *BLOCKS, *_inspect_size.SIZE_BLOCKS]
    for block in blocks:
        renderable = block(report, args)
        if renderable is not None:
            console.print(renderable)
    return 0


def header_block(report: InspectReport, args: argparse.Namespace) -> Any:
    from rich.text import Text

    from workbench.core.units import human_bytes

    size, gz = report.size, report.gzip_size or 0
    approx = "" if report.gzip_exact else "≈ "
    text = Text.assemble(
        (report.file, "bold"), f"  {report.kind} (version 0x{report.version or 0:x})  ",
        (f"{size:,d} B", "bold"),
        f" ({human_bytes(size)})" if size >= 1024 else "", f",  gzip -9 {approx}",
        (f"{gz:,d} B", "bold"), f" ({100.0 * gz / size if size else 0:.1f}%)")
    if not report.gzip_exact:
        text.append("\n  ≈ gzip -9 is estimated above 4 MiB (compressed samples, within ~3%); "
                    "--exact-gzip computes it exactly", style="dim")
    abi = report.abi or {}
    problems = abi.get("problems") or []
    style = "green" if abi.get("name") not in (None, "unknown") and not problems else "yellow"
    text.append("\nABI: ")
    text.append(str(abi.get("name", "unknown")), style=f"bold {style}")
    platform = abi.get("platform")
    said = f"{platform['name']}: {platform['note']}" if platform else None
    for problem in problems:
        if problem != said:  # the platform line below says it
            text.append(f"\n  - {problem}", style=style)
    if platform:
        text.append("\nplatform: ")
        text.append(platform["name"], style="bold " + ("green" if platform["runs"] else "cyan"))
        text.append(f" — {platform['note']}", style="dim")
    if report.module_name:
        text.append(f"\nmodule name: {report.module_name}")
    for field, values in report.producers.items():
        text.append(f"\n{field}: " + ", ".join(f"{n} {v}".strip() for n, v in values))
    if report.target_features:
        text.append("\nfeatures: " + " ".join(report.target_features))
    for warning in report.warnings:
        text.append(f"\nwarning: {warning}", style="yellow")
    return text
