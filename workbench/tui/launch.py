"""`workbench [PATH...]`: check the paths, pick the workspace, then start the Textual app.

Paths are checked here, before the terminal switches to the app, so a typo gives a plain
one-line error instead of an empty workspace. With no path the app opens the
`workbench.toml` (or `module.toml`) of the current folder, else the bundled samples, and
says which on its first line.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from workbench.config.shipped import samples_dir
from workbench.core.errors import UsageError, WorkbenchError


def app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Open the workbench app on workspace or module folders.",
        epilog="Headless commands: `workbench --help`.")
    parser.add_argument("paths", nargs="*", help="workspace or module folders "
                        "(default: the workbench.toml of the current folder, else the samples)")
    parser.add_argument("--theme", help="theme name (see themes/)")
    parser.add_argument("--no-replay", action="store_true",
                        help="do not replay saved requests after each rebuild")
    parser.add_argument("--trust", action="store_true",
                        help="build folders whose builds run their own code (commands, "
                             "cargo, npm) without a trust record, as WORKBENCH_TRUST=1")
    return parser


def default_paths(cwd: Path | None = None) -> tuple[list[Path], str]:
    """What `workbench` with no path opens, and a sentence saying so."""
    cwd = cwd or Path.cwd()
    for name in ("workbench.toml", "module.toml"):
        if (cwd / name).is_file():
            return [cwd], f"opened {cwd / name}"
    samples = samples_dir()
    if samples.is_dir():
        return [samples], (f"no workbench.toml in {cwd}: opened the bundled samples "
                           f"({samples}); `workbench init DIR` copies them to start your own")
    raise UsageError(f"no workbench.toml or module.toml in {cwd}",
                     hint="run `workbench init my-edge` for a starter workspace, "
                          "or pass a module folder")


def launch(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}",
                         hint="pass workspace or module folders, or run `workbench --help`")
    if args.paths:
        paths, opened = [Path(p) for p in args.paths], ""
    else:
        paths, opened = default_paths()
    if getattr(args, "trust", False):
        import os

        os.environ["WORKBENCH_TRUST"] = "1"  # read by services.trust in the build workers
    from workbench.tui.app import run_app

    return run_app(paths=paths, theme=args.theme, auto_replay=not args.no_replay,
                   opened=opened)


def main(argv: list[str]) -> int:
    try:
        code = launch(app_parser().parse_args(argv))
    except WorkbenchError as err:
        print(f"workbench: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    # The app has quit: its state is saved (KV after every request, the theme on change)
    # and its workers are stopped. Tearing down the interpreter (wasmtime engines, compiled
    # code, thousands of objects) took over a second after the screen was gone; skip it.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)

