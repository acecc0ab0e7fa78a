"""Command line: `workbench <command> ...` runs headless (`workbench.entry` routes here).

Subcommands live one per module in `workbench/cli/commands/`; each module defines
NAME, HELP, ORDER, `register(parser)` and `run(args) -> int`. They are discovered here,
so adding a command touches no shared file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import signal
import sys
from types import ModuleType
from typing import Any

from workbench.core.errors import WorkbenchError


def _commands() -> list[ModuleType]:
    from workbench.cli import commands

    found = []
    for info in pkgutil.iter_modules(commands.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"workbench.cli.commands.{info.name}")
        if hasattr(mod, "NAME") and hasattr(mod, "run"):
            found.append(mod)
    return sorted(found, key=lambda m: (getattr(m, "ORDER", 100), m.NAME))


def build_parser(commands: list[ModuleType]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="A terminal workbench for WebAssembly edge handlers.",
        epilog="Without a command, `workbench [PATH...] [--theme NAME] [--no-replay]` opens "
        "the app on workspace or module folders (default: the workbench.toml of the current "
        "folder, else the bundled samples). `workbench --version` prints the version.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in commands:
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        mod.register(p)
        p.set_defaults(_run=mod.run)
    return parser


def _command_named(name: str) -> ModuleType | None:
    """Import just the one command module (startup time matters for `inspect --json`)."""
    if not name.replace("-", "_").isidentifier():
        return None
    try:
        mod = importlib.import_module(f"workbench.cli.commands.{name.replace('-', '_')}")
    except ModuleNotFoundError as err:
        if err.name and err.name.startswith("workbench.cli.commands"):
            return None
        raise
    return mod if getattr(mod, "NAME", None) == name and hasattr(mod, "run") else None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    previous = _interrupt_on_termination()
    try:
        one = _command_named(argv[0]) if argv and not argv[0].startswith("-") else None
        if one is not None:
            args = build_parser([one]).parse_args(argv)
            return int(args._run(args) or 0)
        build_parser(_commands()).parse_args(argv)  # --help, or an unknown command
        return 2
    except WorkbenchError as err:
        print(f"workbench: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _interrupt_on_termination() -> dict[int, Any]:
    """SIGTERM and SIGHUP (a CI timeout, a closed terminal) stop a command like Ctrl-C:
    running compilers are killed, build/.partial-* folders removed, exit 130. Python's
    default for both ends the process at once, leaving the compiler's process group
    running. Returns the previous handlers (main thread only; elsewhere nothing)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is not signal.SIG_IGN:  # nohup
            previous[signum] = signal.signal(signum, interrupt)
    return previous
