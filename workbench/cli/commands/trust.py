"""`workbench trust [PATH...] [--show | --revoke] [--json]`: allow a folder's builds to run.

A module whose build runs the folder's own code (a `command`, cargo, node; C/Zig whose
includes or flags leave the folder) builds only once trusted. This command shows what
each module's build would run, with the digest it is recorded under, and records it in
the user's trust file (docs/config.md, "Workspace trust"). A later change to what runs
(command, flags, build.rs, package.json, ...) makes the module untrusted again.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.markup import escape

from workbench.cli.render import console, print_json
from workbench.config.folder_trust import config_dir, forget, trust_modules, trust_status
from workbench.config.workspace import load_workspace
from workbench.core.errors import UsageError

NAME = "trust"
HELP = "trust a folder: let its builds run its own code (commands, cargo, npm)"
ORDER = 2


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="workspace file/folder, module folder, or folder of modules "
                             "(default: the current folder)")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--show", action="store_true",
                      help="only show what would run and whether it is trusted")
    what.add_argument("--revoke", action="store_true", help="remove the trust records")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def run(args: argparse.Namespace) -> int:
    ws = load_workspace(args.paths or None)
    if not ws.modules:
        raise UsageError(f"{ws.config_file or ws.root}: no modules here")
    if args.revoke:
        removed = forget(m.root for m in ws.modules)
        if args.json:
            print_json({"revoked": removed})
        else:
            console.print(f"removed {removed} trust record(s)", markup=False)
        return 0
    statuses = ([trust_status(m) for m in ws.modules] if args.show
                else trust_modules(ws.modules))
    if args.json:
        print_json({"file": str(config_dir() / "trust.toml"),
                    "modules": [s.to_json() for s in statuses]})
        return 0
    for s in statuses:
        if not s.needs_trust:
            console.print(f"[green]·[/] [bold]{escape(s.module)}[/]: runs nothing of the "
                          "folder's (builds untrusted)")
            continue
        mark = "[green]✓ trusted[/]" if s.trusted else (
            "[yellow]✗ changed since trusted[/]" if s.changed else "[yellow]✗ not trusted[/]")
        console.print(f"{mark} [bold]{escape(s.module)}[/] [dim]{escape(str(s.root))}[/]")
        for r in s.runs:
            console.print(f"    runs: {escape(r.reason)}", highlight=False)
        console.print(f"    [dim]{s.digest}[/]", highlight=False)
    if not args.show:
        console.print(f"[dim]recorded in {escape(str(config_dir() / 'trust.toml'))}[/]")
    return 0
