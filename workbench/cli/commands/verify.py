"""`workbench verify MODULE.wasm [--key PUB ...] [--detached FILE] [--all]`.

Without --key, the trusted keys of the workspace's `[trust]` are used. Exit status 0 when
verified, 1 with the verdict (which section changed, which key is missing) otherwise."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.render import console, print_json

NAME = "verify"
HELP = "verify a module's signature against trusted public keys"
ORDER = 62


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("module", type=Path, metavar="MODULE", help="a .wasm file")
    parser.add_argument("--key", "-K", type=Path, action="append", default=[],
                        help="trusted public key (repeatable; default: workbench.toml [trust])")
    parser.add_argument("--detached", type=Path, metavar="FILE",
                        help="detached signature (default: embedded, else MODULE.wasm.sig)")
    parser.add_argument("--all", action="store_true", help="every key must have signed")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def run(args: argparse.Namespace) -> int:
    from workbench.config.trust import trust_policy
    from workbench.core.errors import UsageError
    from workbench.services.trust import verify_file

    if not args.module.is_file():
        what = "a folder, not a .wasm file" if args.module.is_dir() else "no such file"
        raise UsageError(what, where=str(args.module), hint="pass a .wasm file")
    keys, require_all = list(args.key), args.all
    if not keys:
        policy = trust_policy(args.module.resolve())
        if policy is None or not policy.keys:
            raise UsageError("no trusted keys", hint="pass --key NAME.pub, or list keys in "
                             "workbench.toml [trust] keys = [...]")
        keys, require_all = list(policy.keys), require_all or policy.require_all
    verdict = verify_file(args.module, keys, detached=args.detached, require_all=require_all)
    if args.json:
        print_json(verdict.to_json())
    else:
        mark = "[green]✓[/]" if verdict.ok else "[red]✗[/]"
        from rich.markup import escape

        console.print(f"{mark} {escape(str(args.module))}: {escape(verdict.reason)}")
        for c in verdict.changes:
            console.print(f"    {escape(str(c))}")
        if verdict.untrusted and not verdict.ok:
            console.print(f"    [dim]{verdict.untrusted} signature(s) by keys not trusted "
                          "here[/]")
    return 0 if verdict.ok else 1
