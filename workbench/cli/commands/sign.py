"""`workbench sign MODULE.wasm --key NAME.key [--detached [FILE]] [-o OUT]`.

Embeds a tool-conventions `signature` section (adding to any signatures already there),
or writes a detached signature (default MODULE.wasm.sig, added to when it exists)."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.render import console, print_json

NAME = "sign"
HELP = "sign a module with an Ed25519 key (embedded or detached; several signers)"
ORDER = 61


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("module", type=Path, metavar="MODULE", help="a .wasm file")
    parser.add_argument("--key", "-k", type=Path, required=True, help="secret key file")
    parser.add_argument("--detached", nargs="?", const=True, default=None, metavar="FILE",
                        help="write a detached signature (default MODULE.wasm.sig)")
    parser.add_argument("--output", "-o", type=Path, help="write the signed module here")
    parser.add_argument("--no-section-map", action="store_true",
                        help="do not add the signed section map (verdicts then cannot name "
                             "the changed section)")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def run(args: argparse.Namespace) -> int:
    from workbench.core.errors import UsageError
    from workbench.services.trust import detached_path, sign_file

    if not args.module.is_file():
        what = "a folder, not a .wasm file" if args.module.is_dir() else "no such file"
        raise UsageError(what, where=str(args.module), hint="pass a built .wasm")
    detached = None
    if args.detached is not None:
        detached = detached_path(args.module) if args.detached is True else Path(args.detached)
    out = sign_file(args.module, args.key, detached=detached, output=args.output,
                    section_map=not args.no_section_map)
    where = detached or args.output or args.module
    if args.json:
        print_json({"file": str(where), **out.to_json()})
        return 0
    if out.already:
        console.print(f"{where}: already signed by this key", highlight=False)
    else:
        console.print(f"signed {where} ({out.signers} signature(s) on this content"
                      + (f"; dropped {out.dropped} stale set(s)" if out.dropped else "") + ")",
                      highlight=False)
    return 0
