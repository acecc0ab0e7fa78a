"""`workbench kv list|get|put|delete|reset`: inspect the workspace KV store handlers use.

The store is `<workspace>/.workbench/kv.sqlite` (or the workspace's `kv_file`; workspace =
nearest folder with workbench.toml at or above --workspace, default the current folder),
shared with a running app or bench: a `put` here is seen by their next request, and
their writes are all kept. `reset` keeps the previous contents as `kv.sqlite.bak`, and
also recovers a store file that is not SQLite (moved aside as .bak). A missing key exits
1 with a message. Keys and values that are not printable UTF-8 text (binary, control
characters) are shown as `base64:...`, never raw; secret values (the workspace's
secrets.toml) are shown redacted. An old `.workbench/kv.json` is imported on first use.
"""

from __future__ import annotations

import argparse
import base64
import sys
from pathlib import Path

from rich.markup import escape

from workbench.cli.render import console, err_console, print_json
from workbench.config.workspace import workspace_root
from workbench.core.errors import UsageError
from workbench.core.runtime.kv import KvStore, KvUnavailable
from workbench.core.runtime.secrets import Secrets
from workbench.services.kvstore import kv_path

NAME = "kv"
HELP = "list, read, write or reset the workspace key-value store used by handlers"
ORDER = 40
LIST_WIDTH = 200


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("list", "get", "put", "delete", "reset"))
    parser.add_argument("key", nargs="?", help="the key (get, put, delete); "
                                               "base64:... for a binary key")
    parser.add_argument("value", nargs="?", help="the value (put; @FILE reads a file, "
                                                 "base64:... binary bytes)")
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
    path = kv_path(root)
    try:
        kv = KvStore(path)
    except KvUnavailable:
        if args.action != "reset" or not path.is_file():
            raise
        return _reset_unreadable(path, args.json)
    if kv.notice:
        err_console.print(f"workbench: {kv.notice}", markup=False)
    if args.action == "list":
        return _list(kv, Secrets.for_workspace(root), args.json)
    if args.action == "reset":
        return _reset(kv, args.json)
    key = _bytes(args.key, "KEY")
    if args.action == "get":
        value = kv.get(key)
        shown = None if value is None else Secrets.for_workspace(root).redact(show(value))
        if args.json:
            print_json({"key": args.key, "value": shown,
                        "size": None if value is None else len(value)})
        elif shown is not None:
            console.print(escape(shown), soft_wrap=True)
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


def _list(kv: KvStore, secrets: Secrets, as_json: bool) -> int:
    rows = [(secrets.redact(show(k)), secrets.redact(show(v)), len(v)) for k, v in kv.items()]
    stats = kv.stats()
    if as_json:
        print_json({"path": str(kv.path), "keys": stats.keys, "bytes": stats.bytes,
                    "items": {k: v for k, v, _ in rows},
                    "sizes": {k: n for k, _, n in rows}})
        return 0
    console.print(f"[dim]{escape(str(kv.path))} · {stats.keys:,} keys · "
                  f"{stats.bytes:,} bytes[/]")
    for k, v, _ in rows:
        console.print(f"[bold]{escape(k)}[/] = {escape(v[:LIST_WIDTH])}"
                      + ("[dim]…[/]" if len(v) > LIST_WIDTH else ""))
    return 0


def _reset(kv: KvStore, as_json: bool) -> int:
    n = kv.reset()
    if as_json:
        print_json({"removed": n, "backup": str(kv.backup_path) if n else None})
    else:
        console.print(f"removed {n} keys from {escape(str(kv.path))}"
                      + (f" (previous contents kept in {escape(str(kv.backup_path))})"
                         if n else ""))
    return 0


def _reset_unreadable(path: Path, as_json: bool) -> int:
    """`kv reset` on a file that is not an SQLite store: keep it as .bak, start empty."""
    try:
        backup = KvStore.reset_unreadable(path)
    except OSError as e:
        raise UsageError(f"cannot reset {path}: {e.strerror}") from None
    KvStore(path).close()
    if as_json:
        print_json({"removed": None, "backup": str(backup)})
    else:
        console.print(f"{escape(str(path))} was unreadable: moved to {escape(str(backup))}; "
                      "the store is now empty")
    return 0


def show(data: bytes) -> str:
    """Printable UTF-8 text as is; anything else (binary, control characters that would
    drive the terminal) as `base64:...`, never replacement characters."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and not text.startswith("base64:") \
            and all(c.isprintable() or c in "\t\n" for c in text):
        return text
    return "base64:" + base64.b64encode(data).decode()


def _bytes(text: str, what: str) -> bytes:
    if text.startswith("base64:"):
        try:
            return base64.b64decode(text[7:], validate=True)
        except ValueError:
            raise UsageError(f"{text[:40]!r} is not valid base64", where=what) from None
    return text.encode("utf-8", "surrogateescape")


def _value(text: str) -> bytes:
    """`@FILE` (a regular file: a FIFO would hang, /dev/zero fill the memory), else text."""
    if text.startswith("@"):
        from workbench.core.files import BODY_LIMIT, FileRefused, read_limited

        try:
            return read_limited(text[1:], limit=BODY_LIMIT)
        except FileRefused as e:
            raise UsageError(f"cannot read {text[1:]!r}: {e.message}", where="VALUE",
                             hint=e.hint) from None
    return _bytes(text, "VALUE")
