"""`workbench kv list|get|put|delete|reset`: inspect the workspace KV store handlers use.

The store is `<workspace>/.workbench/kv.json` (workspace = nearest folder with
workbench.toml at or above --workspace, default the current folder).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.markup import escape

from workbench.cli.commands._target import workspace_root
from workbench.cli.render import console, print_json
from workbench.core.errors import UsageError
from workbench.core.runtime.kv import KvStore

NAME = "kv"
HELP = "list, read, write or reset the workspace key-value store used by handlers"
ORDER = 40


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("list", "get", "put", "delete", "reset"))
    parser.add_argument("key", nargs="?")
    parser.add_argument("value", nargs="?")
    parser.add_argument("--workspace", type=Path, default=Path("."), help="workspace folder")
    parser.add_argument("--json", action="store_true", help="JSON output")


def run(args: argparse.Namespace) -> int:
    kv = KvStore.for_workspace(workspace_root(args.workspace))
    if args.action in ("get", "put", "delete") and args.key is None:
        raise UsageError(f"kv {args.action} needs a KEY")
    if args.action == "put" and args.value is None:
        raise UsageError("kv put needs a VALUE")
    if args.action == "list":
        items = {k.decode("utf-8", "replace"): v.decode("utf-8", "replace")
                 for k, v in kv.items()}
        if args.json:
            print_json({"path": str(kv.path), "items": items})
        else:
            console.print(f"[dim]{kv.path} · {len(items)} keys[/]")
            for k, v in items.items():
                console.print(f"[bold]{escape(k)}[/] = {escape(v[:200])}")
        return 0
    if args.action == "get":
        value = kv.get(args.key.encode())
        if args.json:
            print_json({"key": args.key, "value": None if value is None
                        else value.decode("utf-8", "replace")})
        elif value is not None:
            console.print(escape(value.decode("utf-8", "replace")))
        return 0 if value is not None else 1
    if args.action == "put":
        kv.put(args.key.encode(), args.value.encode())
        return 0
    if args.action == "delete":
        return 0 if kv.delete(args.key.encode()) else 1
    n = kv.reset()
    if args.json:
        print_json({"removed": n})
    else:
        console.print(f"removed {n} keys from {kv.path}")
    return 0
