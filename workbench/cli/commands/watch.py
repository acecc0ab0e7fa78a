"""`workbench watch [PATH...] [--json]`: rebuild on save, replay saved requests, headless.

Builds every module once, then rebuilds a module when its sources change and replays its
saved requests. Human output is one line per event; `--json` prints JSON lines (one event
each, see workbench.core.build.events). Ctrl-C stops cleanly: running compilers are
killed, nothing is left behind.
"""

from __future__ import annotations

import argparse
import signal
import threading
import time
from pathlib import Path
from typing import Any

from rich.markup import escape

from workbench.cli.commands.build import covered, delta_text
from workbench.cli.render import console, print_json
from workbench.config.workspace import load_workspace
from workbench.core.build.events import (
    AfterBuild,
    BuildCancelled,
    BuildFailed,
    BuildFinished,
    BuildStarted,
    FilesChanged,
    WatchEvent,
    WatchStarted,
)
from workbench.core.build.watch import Watcher
from workbench.core.errors import UsageError
from workbench.core.units import human_bytes
from workbench.services.folder_trust import builder
from workbench.services.loop import reload_module

NAME = "watch"
HELP = "rebuild modules on save and replay their saved requests (headless)"
ORDER = 11


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="workspace file/folder, module folder, or folder of modules")
    parser.add_argument("--json", action="store_true", help="JSON lines, one per event")
    parser.add_argument("--debounce-ms", type=_debounce, metavar="MS",
                        help="override workbench.toml's debounce_ms (0..5000)")
    parser.add_argument("--no-replay", action="store_true",
                        help="do not replay saved requests after each build")
    parser.add_argument("--no-initial-build", action="store_true",
                        help="wait for the first change instead of building at start")
    parser.add_argument("--trust", action="store_true",
                        help="build even when the folder's build runs its own code and it "
                             "is not trusted (CI; same as WORKBENCH_TRUST=1)")


def _debounce(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of ms") from None
    if not 0 <= value <= 5000:
        raise argparse.ArgumentTypeError(f"{value} is outside 0..5000 ms")
    return value


def run(args: argparse.Namespace) -> int:
    ws = load_workspace(args.paths or None)
    if not ws.modules:
        raise UsageError(f"{ws.config_file or ws.root}: no modules to watch",
                         hint="list module folders in workbench.toml `modules = [...]`, or "
                              "pass a module folder (see docs/config.md)")
    after_build = None
    if not args.no_replay and ws.settings.get("replay_on_build", True):
        from workbench.services.loop import make_replay_hook

        after_build = make_replay_hook(ws.variables)
    render = print_event_json if args.json else print_event
    watcher = Watcher(ws.modules, on_event=render,
                      debounce_ms=ws.debounce_ms if args.debounce_ms is None else args.debounce_ms,
                      after_build=after_build, initial_build=not args.no_initial_build,
                      reload=reload_module, build=builder(args.trust))
    stop = threading.Event()
    worker = threading.Thread(target=watcher.run, args=(stop,), name="workbench-watch")
    previous = _stop_on_sigterm()
    worker.start()
    try:
        while worker.is_alive():
            worker.join(timeout=0.2)
    except KeyboardInterrupt:
        stop.set()
        worker.join()
        if not args.json:
            console.print("[dim]stopped[/]")
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _stop_on_sigterm() -> Any:
    """SIGTERM (CI timeouts, process managers) stops like Ctrl-C: compilers are killed."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)


def print_event_json(event: WatchEvent) -> None:
    doc: dict[str, Any] = event.to_json()
    doc["time"] = round(time.time(), 3)
    print_json(doc)


def print_event(event: WatchEvent) -> None:
    stamp = time.strftime("%H:%M:%S")
    head = f"[dim]{stamp}[/] "
    if isinstance(event, WatchStarted):
        console.print(f"{head}watching {len(event.modules)} module(s): "
                      f"{escape(', '.join(event.modules))} [dim](Ctrl-C to stop)[/]")
    elif isinstance(event, BuildStarted):
        console.print(f"{head}[bold]{escape(event.module)}[/] building "
                      f"[dim]({escape(', '.join(event.changed))})[/]")
    elif isinstance(event, BuildFinished):
        r = event.result
        console.print(f"{head}[green]✓[/] [bold]{escape(event.module)}[/] "
                      f"{human_bytes(r.size or 0)}{delta_text(r.size_delta)} "
                      f"[dim]built in {r.duration_ms:.0f} ms[/]")
        for d in r.diagnostics:
            console.print(f"    [yellow]{escape(str(d))}[/]", highlight=False, soft_wrap=True)
    elif isinstance(event, BuildFailed):
        console.print(f"{head}[red]✗[/] [bold]{escape(event.module)}[/] build failed")
        for d in event.diagnostics:
            colour = "red" if d.severity == "error" else "yellow"
            console.print(f"    [{colour}]{escape(str(d))}[/]", highlight=False, soft_wrap=True)
        failed = event.result
        if failed is not None and failed.output.strip() and not covered(failed):
            console.print(failed.output.rstrip(), markup=False, highlight=False)
        if event.error and event.error.get("hint"):
            console.print(f"    hint: {escape(str(event.error['hint']))}")
        if event.stale:
            console.print("    [dim]the previous module keeps serving (stale)[/]")
    elif isinstance(event, BuildCancelled):
        console.print(f"{head}[dim]{escape(event.module)} build cancelled: {event.reason}[/]")
    elif isinstance(event, FilesChanged):
        if event.error:
            console.print(f"{head}[red]✗[/] [bold]{escape(event.module)}[/] "
                          f"{escape(str(event.error.get('where')))}: "
                          f"{escape(str(event.error.get('message')))}")
        else:
            console.print(f"{head}[bold]{escape(event.module)}[/] {event.what} changed")
    elif isinstance(event, AfterBuild):
        _print_after_build(head, event)


def _print_after_build(head: str, event: AfterBuild) -> None:
    data = event.data
    if event.what == "replay" and hasattr(data, "entries"):
        total = len(data.entries)
        failed = [e for e in data.entries if not e.passed]
        colour = "green" if not failed else "red"
        console.print(f"{head}[{colour}]replay {escape(event.module)}: "
                      f"{total - len(failed)}/{total} passed[/]")
        from workbench.cli.commands._replay_render import render_entry

        for e in failed:  # the same lines `workbench replay` prints
            render_entry(e)
        return
    data = event.to_json()["data"]
    if isinstance(data, dict) and "message" in data:  # a WorkbenchError.to_json()
        where = f"{data.get('where')}: " if data.get("where") else ""
        console.print(f"{head}[red]✗[/] [bold]{escape(event.module)}[/] "
                      f"{escape(where + str(data['message']))}")
        if data.get("hint"):
            console.print(f"    hint: {escape(str(data['hint']))}")
        return
    console.print(f"{head}{escape(event.module)} {escape(event.what)}: {escape(str(data))}")
