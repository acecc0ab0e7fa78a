"""`workbench import-curl "curl ..." [-o FILE.hurl] [--shell posix|cmd|powershell]`.

Prints the Hurl entry, or appends it to FILE (created if missing). Reads the command from
stdin when it is `-`, so `pbpaste | workbench import-curl - -o requests/api.hurl` works.
The shell the command was copied for (bash, cmd.exe, PowerShell) is recognised from its
quoting; `--shell` says it when that guess is wrong. A failed import writes nothing: the
entry is appended in one write to a file opened for appending, so what FILE held stays.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from workbench.core.errors import UsageError
from workbench.core.requests.curl import parse_curl
from workbench.core.requests.hurl_write import to_hurl
from workbench.core.requests.shellwords import DIALECTS

NAME = "import-curl"
HELP = "turn a curl command line into a saved request (.hurl entry)"
ORDER = 45
MAX_COMMAND = 64 * 1024 * 1024  # a command line with its inline body


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("command", help='the curl command line in one argument, or "-" '
                                        "to read it from stdin")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="append the entry to this .hurl file instead of printing it")
    parser.add_argument("--status", type=int, help="add an expected 'HTTP <status>' line")
    parser.add_argument("--shell", choices=DIALECTS,
                        help="the shell the command was written for (default: recognised "
                             "from its quoting)")


def run(args: argparse.Namespace) -> int:
    if args.status is not None and not 100 <= args.status <= 599:
        raise UsageError(f"--status {args.status} is not an HTTP status", where="--status",
                         hint="use 100..599")
    command = _stdin() if args.command == "-" else args.command
    entry = parse_curl(command, file="<stdin>" if args.command == "-" else "<command line>",
                       dialect=args.shell)
    text = to_hurl([entry])
    if args.status is not None:
        text = text.rstrip("\n") + f"\nHTTP {args.status}\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    _append(args.output, text)
    print(f"added {entry.name} to {args.output}", file=sys.stderr)
    return 0


def _stdin() -> str:
    data = sys.stdin.buffer.read(MAX_COMMAND + 1)
    if len(data) > MAX_COMMAND:
        raise UsageError("the command on stdin is larger than 64 MiB", where="stdin")
    return data.decode("utf-8", "surrogateescape")  # bytes kept exactly (curl sends them)


def _append(path: Path, text: str) -> None:
    """Append in one write (O_APPEND): a failure cannot truncate what the file held."""
    if path.suffix != ".hurl":
        raise UsageError(f"{path}: entries are written in Hurl format", where="--output",
                         hint="name a .hurl file, e.g. requests/new.hurl")
    try:
        if path.exists() and not path.is_file():
            raise UsageError(f"{path} is not a regular file: nothing appended",
                             where="--output", hint="name a .hurl file")
        tail = _tail(path) if path.exists() else b""
        try:
            tail.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{path} is not a text file: nothing appended",
                             where="--output", hint="name a .hurl file") from None
        sep = "" if not tail else ("\n" if tail.endswith(b"\n") else "\n\n")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        with os.fdopen(fd, "ab") as f:
            f.write((sep + text).encode("utf-8"))
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}", where="--output") \
            from None


def _tail(path: Path) -> bytes:
    """The file's last 4 KiB (enough to see whether it is text and how it ends)."""
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 4096))
        return f.read()
