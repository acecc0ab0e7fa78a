"""`inspect --by retained|dominators|paths|monos|garbage|crate`: the call-graph views.

The graph is built only when one of these views is asked for, so plain `inspect` never
decodes a function body. One `Analysis` per report (cached on it) serves JSON and text.
A malformed body is a MalformedModule: reported like an unreadable file, exit code 1.
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.core.errors import MalformedModule, UsageError

GRAPH_VIEWS = ("retained", "dominators", "paths", "monos", "garbage", "crate")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--item", metavar="NAME",
                        help="with --by paths: the function, data segment or section to "
                        "explain (exact name, else every name containing NAME)")
    parser.add_argument("--depth", type=int, default=3, metavar="N",
                        help="with --by dominators: levels of the tree to show (default 3)")


def check(args: argparse.Namespace) -> None:
    if getattr(args, "by", None) == "paths" and not getattr(args, "item", None):
        raise UsageError("--by paths needs --item NAME",
                         hint="e.g. `workbench inspect app.wasm --by paths --item main`")


def _files(module: Any) -> dict[int, str] | None:
    if module.custom(".debug_info") is None:
        return None
    from workbench.core.size.dwarf.attribute import attribute

    sources = attribute(module)
    return {fn.index: row.file for row in sources.files for fn in row.functions
            if fn.index is not None}


class NotCore(UsageError):
    """A component given to a graph view: that file's error (its JSON line says so, the
    other files are still reported), not the whole command's."""


def compute(report: Any, args: argparse.Namespace) -> Any:
    """The view's frozen result (cached on the report). Raises MalformedModule."""
    cached = getattr(report, "_graph_view", None)
    if cached is not None:
        return cached
    module = report.module
    if module.kind != "module":
        n = len(module.components)
        pick = "--core 0" if n == 1 else f"--core N (0-{n - 1})"
        hint = (f"graph views work on core modules: add {pick} for one of its {n} embedded "
                f"core module(s) (`workbench inspect {report.file}` lists them)"
                if n else "graph views work on core modules, and this component embeds none")
        raise NotCore(f"--by {args.by} needs a core module, and this is a component",
                      where=report.file, hint=hint)
    if args.by == "monos":
        from workbench.core.size.monos import monomorphizations

        result: Any = monomorphizations(module)
    elif args.by == "crate":
        from workbench.core.size.crates import by_crate

        result = by_crate(module, _files(module))
    else:
        from workbench.core.size import retained

        a = retained.analyze(module, file=report.file, data_symbols=True)
        if args.by == "retained":
            result = retained.by_retained(a)
        elif args.by == "dominators":
            result = retained.dominator_tree(a, max_depth=args.depth, top=args.top)
        elif args.by == "garbage":
            from workbench.core.size.garbage import garbage

            result = garbage(a)
        else:
            from workbench.core.size.paths import paths

            result = paths(a, args.item)
    object.__setattr__(report, "_graph_view", result)
    return result


def to_json(result: Any) -> Any:
    if isinstance(result, tuple):
        return {"by": "paths", "items": [r.to_json() for r in result]}
    return result.to_json()


def error_json(err: MalformedModule | NotCore) -> dict[str, Any]:
    return {"kind": err.kind, "offset": getattr(err, "offset", None), "message": err.message,
            "hint": err.hint}


def block(report: Any, args: argparse.Namespace) -> Any:
    from workbench.cli.commands import _inspect_graph_render as render

    try:
        result = compute(report, args)
    except MalformedModule as err:
        from rich.text import Text

        return Text(f"✗ {report.file} @ 0x{err.offset:x}: malformed: {err.message}",
                    style="bold red")
    except NotCore as err:
        from rich.text import Text

        return Text.assemble((f"✗ {report.file}: {err.message}", "bold red"),
                             (f"\n  hint: {err.hint}", "dim"))
    return render.RENDERERS[args.by](result, args)
