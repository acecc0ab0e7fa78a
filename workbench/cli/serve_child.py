"""`workbench serve --processes N`: the CLI side of the process group (not a subcommand).

`start_group` (in the parent) starts the N-1 children of services/serve/processes.py with
this module as their entry: `python -P -m workbench.cli.serve_child SETTINGS` (the
settings as JSON: log format, process index, workers, queue, mode, cache folder, inline,
the inherited socket's fd). `main` (in a child) reads its routes from the control pipe
(stdin), serves the inherited socket and writes its log, formatted as the parent's, to
stdout for the parent to pass on. It never builds or watches anything.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import workbench
from workbench.cli.commands.serve import ServeLog
from workbench.core.errors import WorkbenchError

# A child's own events worth a log line; the rest (listening, swapped, stopping...) the
# parent already logs once for all.
CHILD_EVENTS = frozenset({"load_failed", "protocol_error"})


async def start_group(server: Any, loaded: Any, args: argparse.Namespace,
                      out: ServeLog) -> Any:
    """Start `args.processes - 1` children on `server`'s socket; returns the group."""
    from workbench.services.serve.processes import ProcessGroup

    settings = {"json": args.json, "dev_errors": not args.hide_errors,
                "workers": args.workers, "queue": args.queue, "mode": args.mode,
                "cache_dir": str(args.cache_dir) if args.cache_dir else None,
                "inline": not args.no_inline}
    # this very code, whatever the working folder holds (-P: no cwd on sys.path)
    package_root = str(Path(workbench.__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = package_root + (os.pathsep + path if path else "")
    group = ProcessGroup(server, loaded, args.processes,
                         [sys.executable, "-P", "-m", "workbench.cli.serve_child"],
                         settings, out.lines, out.errors)
    await group.start()
    out.flush()  # the `processes` event before the route table
    return group


def main() -> None:
    settings = json.loads(sys.argv[1])
    from workbench.services.serve.processes import die_with_parent

    die_with_parent(int(settings["parent"]))
    try:
        code = asyncio.run(_serve(settings))
    except WorkbenchError as e:
        print(f"{e.kind}: {e}", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        code = 0
    sys.exit(code)


async def _serve(s: dict[str, Any]) -> int:
    from workbench.services.serve.processes import READY
    from workbench.services.serve.replica import Replica
    from workbench.services.serve.server import DevServer

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    control = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(control), sys.stdin)
    line = await control.readline()
    if not line:  # the parent is gone already
        return 0
    replica = await asyncio.to_thread(
        Replica, json.loads(line), mode=s["mode"], inline=s["inline"],
        cache_dir=Path(s["cache_dir"]) if s["cache_dir"] else None)
    server = DevServer(replica.table, workers=s["workers"], queue=s["queue"],
                       dev_errors=s["dev_errors"], sock=socket.socket(fileno=s["fd"]))
    await server.start()
    sys.stdout.buffer.write(READY)
    sys.stdout.flush()
    out = ServeLog(s["json"], int(s["process"]))
    server.subscribe(lambda item: out.item(item) if getattr(item, "kind", None) is None
                     or item.kind in CHILD_EVENTS else None)
    for name, problem in replica.failures:
        server.keep(name, problem, "load_failed")
    follow = asyncio.create_task(replica.follow(server, control))
    follow.add_done_callback(lambda _: stop.set())  # the pipe ended: the parent is gone
    try:
        await stop.wait()
    finally:
        await server.stop()
        follow.cancel()
        out.flush()
    return 0


if __name__ == "__main__":
    main()
