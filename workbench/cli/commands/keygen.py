"""`workbench keygen NAME [--dir DIR]`: an Ed25519 key pair, NAME.key (secret) + NAME.pub.

The files use the tool-conventions serialization, so wasmsign2 reads them too."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from workbench.cli.render import console, print_json

NAME = "keygen"
HELP = "create an Ed25519 key pair for signing modules (NAME.key + NAME.pub)"
ORDER = 60


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="key name (also the file stem)")
    parser.add_argument("--dir", type=Path, default=Path("."), help="folder for the files")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def run(args: argparse.Namespace) -> int:
    from workbench.core.sign import keys

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", args.name):
        from workbench.core.errors import UsageError

        shown = args.name if len(args.name) <= 40 else args.name[:40] + "..."
        raise UsageError(f"{shown!r} cannot be a key name", where="NAME",
                         hint="a file stem: letters, digits, '.', '_' and '-' (no folders: "
                              "use --dir), at most 100 characters")
    if args.dir.exists() and not args.dir.is_dir():
        from workbench.core.errors import UsageError

        raise UsageError(f"{args.dir} is not a folder", where="--dir")
    key = keys.generate(args.name)
    secret, public = args.dir / f"{args.name}.key", args.dir / f"{args.name}.pub"
    keys.write_pair(key, secret, public, force=args.force)
    if args.json:
        print_json({"secret": str(secret), **key.public.to_json(), "public_file": str(public)})
    else:
        console.print(f"secret key  {secret}  (keep it out of version control)")
        console.print(f"public key  {public}  key id {key.public.key_id.hex()}")
    return 0
