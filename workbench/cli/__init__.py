"""Command line: `workbench <command> ...` runs headless (`workbench.entry` routes here).

Subcommands live one per module in `workbench/cli/commands/`; each module defines
NAME, HELP, ORDER, `register(parser)` and `run(args) -> int`. They are discovered here,
so adding a command touches no shared file.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import pkgutil
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from workbench.core.errors import WorkbenchError


def _commands() -> list[ModuleType]:
    """Every command module, imported (tests; `workbench --help` reads summaries only)."""
    from workbench.cli import commands

    found = []
    for info in pkgutil.iter_modules(commands.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"workbench.cli.commands.{info.name}")
        if hasattr(mod, "NAME") and hasattr(mod, "run"):
            found.append(mod)
    return sorted(found, key=lambda m: (getattr(m, "ORDER", 100), m.NAME))


@dataclass(frozen=True)
class Summary:
    """NAME, HELP and ORDER of a command module, read from its source without importing it
    (importing all of them pulls in wasmtime and rich: seconds, for a help text)."""

    NAME: str
    HELP: str
    ORDER: int


def summaries() -> list[Summary]:
    from workbench.cli import commands

    out = []
    for folder in commands.__path__:
        for path in sorted(Path(folder).glob("[!_]*.py")):
            values: dict[str, object] = {}
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                        isinstance(node.targets[0], ast.Name) and \
                        node.targets[0].id in ("NAME", "HELP", "ORDER"):
                    try:
                        values[node.targets[0].id] = ast.literal_eval(node.value)
                    except ValueError:
                        pass
            if isinstance(values.get("NAME"), str):
                out.append(Summary(str(values["NAME"]), str(values.get("HELP", "")),
                                   int(values.get("ORDER", 100))))  # type: ignore[call-overload]
    return sorted(out, key=lambda s: (s.ORDER, s.NAME))


def build_parser(commands: Sequence[ModuleType | Summary]) -> argparse.ArgumentParser:
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
        if hasattr(mod, "register"):  # a Summary has no arguments to add
            mod.register(p)
            p.set_defaults(_run=getattr(mod, "run"))  # noqa: B009
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
        build_parser(summaries()).parse_args(argv)  # --help, or an unknown command
        return 2
    except WorkbenchError as err:
        from workbench.cli.failure import report

        return report(err)
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
