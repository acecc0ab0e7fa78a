"""A child of `workbench serve --processes N` (an internal entry, not a subcommand).

The parent (cli/commands/serve.py's `start_group`, services/serve/processes.py) starts
`python -P -m workbench.cli.serve_child SETTINGS`, the settings as JSON: log format,
process index, workers, queue, mode, cache folder, inline, the inherited socket's fd.
`main` reads its routes from the control pipe (stdin), serves the inherited socket and
writes its log, formatted as the parent's, to stdout for the parent to pass on. It never
builds or watches anything.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sys
from pathlib import Path
from typing import Any

from workbench.cli.commands.serve import ServeLog
from workbench.core.errors import WorkbenchError

# A child's own events worth a log line; the rest (listening, swapped, stopping...) the
# parent already logs once for all.
CHILD_EVENTS = frozenset({"load_failed", "protocol_error", "server_error"})


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
    from workbench.services.serve.record import ServeEvent
    from workbench.services.serve.replica import CONTROL_LINE_LIMIT, Replica
    from workbench.services.serve.server import DevServer

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    control = asyncio.StreamReader(limit=CONTROL_LINE_LIMIT)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(control), sys.stdin)
    line = await control.readline()
    if not line:  # the parent is gone already
        return 0
    replica = await asyncio.to_thread(
        Replica, json.loads(line), mode=s["mode"], inline=s["inline"],
        cache_dir=Path(s["cache_dir"]) if s["cache_dir"] else None)
    server = DevServer(replica.table, workers=s["workers"], queue=s["queue"],
                       dev_errors=s["dev_errors"], sock=socket.socket(fileno=s["fd"]),
                       read_timeout_s=s["read_timeout"])
    await server.start()
    sys.stdout.buffer.write(READY)
    sys.stdout.flush()
    out = ServeLog(s["json"], int(s["process"]))
    out.on_closed = lambda: loop.call_soon_threadsafe(stop.set)  # the parent is gone
    server.subscribe(lambda item: out.item(item) if not isinstance(item, ServeEvent)
                     or item.kind in CHILD_EVENTS else None)
    for name, problem in replica.failures:
        server.keep(name, problem, "load_failed")
    follow = asyncio.create_task(replica.follow(server, control))
    follow.add_done_callback(lambda _: stop.set())  # the pipe ended: the parent is gone
    try:
        await stop.wait()
    finally:
        failed = follow.done() and not follow.cancelled() and follow.exception()
        follow.cancel()
        await server.stop()
        out.close()
    if failed:  # a message it could not apply: say so (it stopped serving)
        print(f"control pipe: {failed!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    main()
