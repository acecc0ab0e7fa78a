"""Launch the Textual app (imported lazily so headless commands never load textual)."""

from __future__ import annotations

import argparse


def launch(args: argparse.Namespace) -> int:
    from workbench.tui.app import run_app

    return run_app(paths=args.paths, theme=args.theme, auto_replay=not args.no_replay)
