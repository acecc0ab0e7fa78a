"""`workbench purity MODULE [REQUESTS] [--ignore-header H] [--growth N] [--json]`.

Is the handler safe to reuse warm and to snapshot? Exit status 0 when it is, 1 with the
evidence (mutated globals, memory attributed to symbols or the heap, order-dependent
responses, heap growth per request) when it is not. See docs/purity.md."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.markup import escape

from workbench.cli.render import console, print_json
from workbench.core.purity.result import PurityReport

NAME = "purity"
HELP = "check that a handler keeps no state between requests (safe to reuse and snapshot)"
ORDER = 35


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("module", type=Path, metavar="MODULE",
                        help="a .wasm file or a module folder (built first)")
    parser.add_argument("requests", type=Path, nargs="?", metavar="REQUESTS",
                        help="request file or folder (default: the module's saved requests)")
    parser.add_argument("--ignore-header", action="append", default=None, metavar="NAME",
                        help="response header not compared (repeatable; default: "
                             "workbench.toml [purity] ignore_headers, else date)")
    parser.add_argument("--growth", type=int, metavar="N",
                        help="warm requests for the memory growth slope (default 24)")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def run(args: argparse.Namespace) -> int:
    from workbench.core.errors import UsageError
    from workbench.services.purity import purity_of

    if args.growth is not None and args.growth < 3:
        raise UsageError(f"--growth must be at least 3, got {args.growth}", where="--growth")
    headers = tuple(h.lower() for h in args.ignore_header) if args.ignore_header else None
    report = purity_of(args.module, args.requests, ignore_headers=headers,
                       growth_requests=args.growth)
    if args.json:
        print_json(report.to_json())
    else:
        render(report)
    return 0 if report.safe else 1


STYLES = {"ok": "green", "bad": "red", "warn": "yellow", "note": "dim"}


def render(r: PurityReport) -> None:
    """`PurityReport.lines()`, the same lines the app's Requests view shows."""
    for n, (kind, text) in enumerate(r.lines()):
        if n == 0:
            mark = "[green]✓[/]" if r.safe else "[red]✗[/]"
            console.print(f"{mark} [bold]{escape(text)}[/]")
        else:
            console.print(f"  [{STYLES[kind]}]{escape(text)}[/]")
