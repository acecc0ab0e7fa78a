"""`workbench import-curl "curl ..." [-o FILE.hurl]`: a curl command line as a saved request.

Prints the Hurl entry, or appends it to FILE (created if missing). Reads the command from
stdin when it is `-`, so `pbpaste | workbench import-curl - -o requests/api.hurl` works.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.core.errors import UsageError
from workbench.core.requests.curl import parse_curl, to_hurl

NAME = "import-curl"
HELP = "turn a curl command line into a saved request (.hurl entry)"
ORDER = 45


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("command", help='the curl command line in one argument, or "-" '
                                        "to read it from stdin")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="append the entry to this .hurl file instead of printing it")
    parser.add_argument("--status", type=int, help="add an expected 'HTTP <status>' line")


def run(args: argparse.Namespace) -> int:
    command = sys.stdin.read() if args.command == "-" else args.command
    entry = parse_curl(command, file="<command line>")
    text = to_hurl([entry])
    if args.status is not None:
        text = text.rstrip("\n") + f"\nHTTP {args.status}\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    if args.output.suffix != ".hurl":
        raise UsageError(f"{args.output}: entries are written in Hurl format",
                         where="--output", hint="name a .hurl file, e.g. requests/new.hurl")
    try:
        existing = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    except UnicodeDecodeError:
        raise UsageError(f"{args.output} is not a text file: nothing appended",
                         where="--output", hint="name a .hurl file") from None
    except OSError as e:
        raise UsageError(f"cannot read {args.output}: {e.strerror}", where="--output") \
            from None
    try:
        sep = "" if not existing else ("\n" if existing.endswith("\n") else "\n\n")
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(existing + sep + text, encoding="utf-8")
    except OSError as e:
        raise UsageError(f"cannot write {args.output}: {e.strerror}", where="--output") \
            from None
    print(f"added {entry.name} to {args.output}", file=sys.stderr)
    return 0
