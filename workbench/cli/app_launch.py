"""Launch the Textual app (imported lazily so headless commands never load textual).

Paths are checked here, before the terminal switches to the app, so a typo gives a plain
one-line error instead of an empty workspace.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.core.errors import UsageError


def launch(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}",
                         hint="pass workspace or module folders (default: the bundled samples)")
    from workbench.tui.app import run_app

    return run_app(paths=args.paths, theme=args.theme, auto_replay=not args.no_replay)
