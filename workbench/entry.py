"""The console script: `workbench CMD ...` runs a headless command, `workbench [PATH...]` the app.

This is the only module that knows both front ends; `workbench.cli` and `workbench.tui`
never import each other. Only the front end asked for is imported (start-up time).
"""

from __future__ import annotations

import importlib.util
import sys


def _is_command(word: str) -> bool:
    name = word.replace("-", "_")
    if not name.isidentifier() or name.startswith("_"):
        return False
    try:
        return importlib.util.find_spec(f"workbench.cli.commands.{name}") is not None
    except (ImportError, ValueError):
        return False


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--version":
        import workbench  # the same number pyproject.toml gives the package (a test checks)

        print(f"workbench {workbench.__version__}")
        return 0
    if argv and (argv[0] in ("-h", "--help") or _is_command(argv[0])):
        from workbench.cli import main as cli_main

        return _exit_after_wasmtime(cli_main(argv))
    if argv and not argv[0].startswith("-") and not _looks_like_path(argv[0]):
        from workbench.cli import main as cli_main

        return cli_main(argv)  # an unknown command: argparse says so and lists them
    from workbench.tui.launch import main as tui_main

    return _exit_after_wasmtime(tui_main(argv))


def _exit_after_wasmtime(code: int) -> int:
    """A command that ran wasmtime ends with `engine.exit_process` (see there: wasmtime's
    WASI threads can abort a normal interpreter exit); others return as usual."""
    if "workbench.core.runtime.engine" in sys.modules:
        from workbench.core.runtime.engine import exit_process

        exit_process(code)
    return code


def _looks_like_path(word: str) -> bool:
    from pathlib import Path

    return "/" in word or "." in word or Path(word).exists()
