"""`workbench init [DIR] [--sample NAME]...`: a starter workspace from the bundled samples."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.render import console, print_json
from workbench.services.scaffold import available_samples, init_workspace

NAME = "init"
HELP = "create a starter workspace (copies the bundled sample modules)"
ORDER = 1


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, nargs="?", default=Path("my-edge"),
                        help="the new workspace folder (default: my-edge)")
    parser.add_argument("--sample", action="append", default=[], metavar="NAME",
                        help="copy only this sample (repeatable): "
                        + ", ".join(available_samples()))
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def run(args: argparse.Namespace) -> int:
    made = init_workspace(args.dir, args.sample or None)
    if args.json:
        print_json(made.to_json())
        return 0
    console.print(f"created {made.root} with {len(made.modules)} modules: "
                  f"{', '.join(made.modules)}", markup=False)
    console.print(f"next: cd {made.root} && workbench build && workbench replay . "
                  "&& workbench", markup=False)
    return 0
