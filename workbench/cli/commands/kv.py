"""`workbench kv list|get|put|delete|reset`: inspect the workspace KV store handlers use.

The store is `<workspace>/.workbench/kv.json` (workspace = nearest folder with
workbench.toml at or above --workspace, default the current folder). A running app or
`bench` picks up changes made here within 0.2 s. `reset` keeps the previous file as
`kv.json.bak`. A missing key exits 1 with a message; non-UTF-8 values are shown as
`base64:...`; secret values (the workspace's secrets.toml) are shown redacted.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
from pathlib import Path

from rich.markup import escape

from workbench.cli.render import console, print_json
from workbench.config.workspace import workspace_root
from workbench.core.errors import UsageError, WorkbenchError
from workbench.core.runtime.kv import KV_FILE, KvStore
from workbench.core.runtime.secrets import Secrets

NAME = "kv"
HELP = "list, read, write or reset the workspace key-value store used by handlers"
ORDER = 40


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("list", "get", "put", "delete", "reset"))
    parser.add_argument("key", nargs="?", help="the key (get, put, delete)")
    parser.add_argument("value", nargs="?", help="the value (put; @FILE reads a file)")
    parser.add_argument("--workspace", type=Path, default=Path("."), help="workspace folder")
    parser.add_argument("--json", action="store_true", help="JSON output")


_ARITY = {"list": 0, "reset": 0, "get": 1, "delete": 1, "put": 2}


def run(args: argparse.Namespace) -> int:
    given = sum(x is not None for x in (args.key, args.value))
    want = _ARITY[args.action]
    if given != want:
        usage = {0: f"kv {args.action}", 1: f"kv {args.action} KEY",
                 2: "kv put KEY VALUE"}[want]
        raise UsageError(f"kv {args.action} takes {want or 'no'} "
                         f"argument{'s' if want != 1 else ''}, got {given}",
                         hint=f"workbench {usage}")
    if not args.workspace.is_dir():
        raise UsageError(f"{args.workspace}: no such folder", where="--workspace",
                         hint="pass the workspace folder (the one with workbench.toml)")
    root = workspace_root(args.workspace)
    try:
        kv = KvStore.for_workspace(root)
    except WorkbenchError:
        if args.action != "reset":
            raise
        return _reset_unreadable(root / KV_FILE, args.json)
    if args.action == "list":
        secrets = Secrets.for_workspace(root)
        items = {secrets.redact(k.decode("utf-8", "replace")): secrets.redact(_show(v))
                 for k, v in kv.items()}
        if args.json:
            print_json({"path": str(kv.path), "items": items})
        else:
            console.print(f"[dim]{kv.path} · {len(items)} keys[/]")
            for k, v in items.items():
                console.print(f"[bold]{escape(k)}[/] = {escape(v[:200])}"
                              + ("[dim]…[/]" if len(v) > 200 else ""))
        return 0
    if args.action == "reset":
        return _reset(kv, args.json)
    key = args.key.encode()
    if args.action == "get":
        value = kv.get(key)
        if args.json:
            print_json({"key": args.key, "value": None if value is None
                        else Secrets.for_workspace(root).redact(_show(value))})
        elif value is not None:
            console.print(escape(Secrets.for_workspace(root).redact(_show(value))),
                          soft_wrap=True)
        if value is None:
            print(f"workbench: no key {args.key!r} in {kv.path}", file=sys.stderr)
        return 0 if value is not None else 1
    if args.action == "put":
        kv.put(key, _value(args.value))
        return 0
    if args.action == "delete":
        if kv.delete(key):
            return 0
        print(f"workbench: no key {args.key!r} in {kv.path}", file=sys.stderr)
        return 1
    raise AssertionError(args.action)  # pragma: no cover - argparse choices


def _reset(kv: KvStore, as_json: bool) -> int:
    n = kv.reset()
    if as_json:
        print_json({"removed": n, "backup": str(kv.backup_path) if n else None})
    else:
        console.print(f"removed {n} keys from {kv.path}"
                      + (f" (previous contents kept in {kv.backup_path})" if n else ""))
    return 0


def _reset_unreadable(path: Path, as_json: bool) -> int:
    """`kv reset` on a file that is not valid JSON: keep it as .bak, start empty."""
    backup = path.with_name(path.name + ".bak")
    try:
        os.replace(path, backup)
        KvStore(path).reset()
    except OSError as e:
        raise UsageError(f"cannot reset {path}: {e.strerror}") from None
    if as_json:
        print_json({"removed": None, "backup": str(backup)})
    else:
        console.print(f"{path} was unreadable: moved to {backup}; the store is now empty")
    return 0


def _show(value: bytes) -> str:
    """UTF-8 text as is, other bytes as base64 (marked), never replacement characters."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return "base64:" + base64.b64encode(value).decode()


def _value(text: str) -> bytes:
    if text.startswith("@"):
        try:
            return Path(text[1:]).read_bytes()
        except OSError as e:
            raise UsageError(f"cannot read {text[1:]}: {e.strerror}", where="VALUE") from None
    return text.encode()
