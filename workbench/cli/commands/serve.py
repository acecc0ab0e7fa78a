"""`workbench serve [PATH...] [--listen 127.0.0.1:8787]`: the handlers on a local port.

HTTP/1.1 with keep-alive (aiohttp). One module is served at `/`; a workspace is routed
by each module's `route` (longest prefix wins; the table is printed at start). Saving a
source rebuilds and swaps the module in; a failed build keeps the last good one serving.
Every request is logged: one line each, or JSON lines with `--json`. Ctrl+C or SIGTERM
finishes the requests in flight (up to 1 s) and exits. `--processes N` serves the port
from N processes (cli/serve_child.py, services/serve/processes.py). See docs/serve.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import workbench
from workbench.core.errors import UsageError
from workbench.core.runtime.harness import MODES

NAME = "serve"
HELP = "serve modules over HTTP on a local port, with live reload and a request log"
ORDER = 35
LOG_DRAIN_S = 0.5  # at exit, how long the log may wait for a reader that is not reading


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="a .wasm file, module folder(s), or a workspace (default: .)")
    parser.add_argument("--listen", default="127.0.0.1:8787", metavar="HOST:PORT",
                        help="address to listen on (default 127.0.0.1:8787; port 0 picks a "
                             "free one). Another host than loopback exposes the handlers")
    parser.add_argument("--mode", choices=MODES, default="warm",
                        help="instance per request: warm (reuse, default), fresh or cold")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="worker threads per route (default: cores - 1, at least 1)")
    parser.add_argument("--queue", type=int, default=256, metavar="N",
                        help="requests waiting per route before 503 (default 256)")
    hooks = parser.add_mutually_exclusive_group()
    hooks.add_argument("--hooks", type=Path, metavar="FILE",
                       help="hooks.toml for every route, instead of the configured ones")
    hooks.add_argument("--no-hooks", action="store_true", help="ignore configured hooks")
    parser.add_argument("--no-reload", action="store_true",
                        help="do not rebuild and swap modules when their sources change")
    parser.add_argument("--hide-errors", action="store_true",
                        help="answer handler errors with a bare 500 (default: the typed "
                             "error, backtrace and logs in the body, for development)")
    parser.add_argument("--no-inline", action="store_true",
                        help="run every request on a worker thread (default: a warm edge "
                             "handler first tries the event loop, within a small fuel "
                             "budget; see docs/serve.md)")
    parser.add_argument("--trust", action="store_true",
                        help="build even when a folder's build runs its own code and it is "
                             "not trusted (CI; same as WORKBENCH_TRUST=1)")
    parser.add_argument("--cache-dir", type=Path, help="compiled-module cache folder")
    parser.add_argument("--json", action="store_true",
                        help="log JSON lines (one per request or server event)")
    parser.add_argument("--read-timeout", type=float, default=10.0, metavar="SECONDS",
                        help="a request's head, then its body, must arrive within this "
                             "(default 10; a slower client is closed, a slow body gets "
                             "408); idle keep-alive connections close after it too")
    parser.add_argument("--processes", default="1", metavar="N|auto",
                        help="serve from N processes, each with its own instances (auto: "
                             "one per core; default 1). For load tests; see docs/serve.md")


def parse_listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep:
        host, port = "127.0.0.1", text
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdecimal() or not 0 <= int(port) <= 65535:
        raise UsageError(f"bad port in {text!r}", where="--listen",
                         hint="HOST:PORT, e.g. 127.0.0.1:8787 (port 0: any free port)")
    return host, int(port)


def parse_processes(text: str) -> int:
    from workbench.services.serve.processes import MAX_PROCESSES

    n = (os.cpu_count() or 1) if text == "auto" else int(text) if text.isdecimal() else 0
    if not 1 <= n <= MAX_PROCESSES:
        raise UsageError(f"--processes must be a whole number from 1 to {MAX_PROCESSES} "
                         f"or auto, got {text!r}", where="--processes",
                         hint=f"--processes 2, or auto (one per core: {os.cpu_count()})")
    return n


def run(args: argparse.Namespace) -> int:
    from workbench.services.serve.load import ServeOptions, load_routes

    host, port = parse_listen(args.listen)
    args.processes = parse_processes(str(args.processes))
    for flag, value, low in (("--workers", args.workers, 1), ("--queue", args.queue, 0)):
        if value is not None and value < low:
            raise UsageError(f"{flag} must be at least {low}, got {value}", where=flag)
    if not 0.1 <= args.read_timeout <= 86400:  # nan fails too
        raise UsageError(f"--read-timeout must be 0.1 to 86400 seconds, got "
                         f"{args.read_timeout:g}", where="--read-timeout",
                         hint="e.g. --read-timeout 30 for clients on a slow link")
    opts = ServeOptions(mode=args.mode, cache_dir=args.cache_dir, hooks=args.hooks,
                        no_hooks=args.no_hooks, inline=not args.no_inline, trust=args.trust)
    loaded = load_routes(args.paths, opts)
    out = ServeLog(args.json, 0 if args.processes > 1 else None)
    try:
        for w in loaded.warnings:
            out.note("warning", w)
        if not servable(loaded.table.routes, reload=not args.no_reload):
            out.errors("workbench serve: no module can be served (why: above, per module); "
                       "the server was not started")
            return 1  # each module failed (README: exit status 1)
        return asyncio.run(_serve(args, loaded, opts, host, port, out))
    finally:
        out.close()


def servable(routes: list[Any], *, reload: bool) -> bool:
    """Whether to listen: some route serves a module, or one whose build failed will be
    rebuilt on save (live reload: the dev loop starts before the first good build). A
    module that cannot be served (malformed, not a handler, no instance can be made) or
    built (no toolchain, not trusted) is refused up front when it is all there is."""
    if any(r.current is not None for r in routes):
        return True
    return reload and any((r.problem or "").startswith("build failed") for r in routes)


async def _serve(args: argparse.Namespace, loaded: Any, opts: Any, host: str, port: int,
                 out: ServeLog) -> int:
    from workbench.services.serve.reload import LiveReload
    from workbench.services.serve.server import DevServer

    server = DevServer(loaded.table, host=host, port=port, workers=args.workers,
                       queue=args.queue, dev_errors=not args.hide_errors,
                       read_timeout_s=args.read_timeout)
    server.subscribe(out.item)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    # stdout's reader has gone (`| head -1`, `less` quit): stop as SIGTERM would
    out.on_closed = lambda: loop.call_soon_threadsafe(stop.set)
    try:
        if args.processes > 1:
            from workbench.services.serve.processes import listen_socket

            server.sock = listen_socket(host, port)  # bound once, served by every process
        await server.start()
    except OSError as e:
        raise UsageError(f"cannot listen on {host}:{port}: {e.strerror or e}",
                         where="--listen", hint="another port, e.g. --listen 127.0.0.1:0"
                         ) from None
    group = None
    if args.processes > 1:
        group = await start_group(server, loaded, args, out)
    out.table(server)
    reload = None
    if not args.no_reload:
        reload = LiveReload(server, loaded, opts)
        reload.start()
    try:
        await stop.wait()
    finally:
        await asyncio.gather(server.stop(),  # requests in flight finish first (up to 1 s)
                             group.stop() if group is not None else asyncio.sleep(0))
        if reload is not None:  # running compilers are killed, not orphaned
            await asyncio.to_thread(reload.stop, 5.0)
        out.flush()
    if out.reader_gone:
        out.errors("workbench serve: stopped: the reader of its output (stdout) exited")
    return 0


async def start_group(server: Any, loaded: Any, args: argparse.Namespace,
                      out: ServeLog) -> Any:
    """Start `args.processes - 1` children (cli/serve_child.py) on `server`'s socket."""
    from workbench.services.serve.processes import ProcessGroup

    settings = {"json": args.json, "dev_errors": not args.hide_errors,
                "workers": args.workers, "queue": args.queue, "mode": args.mode,
                "cache_dir": str(args.cache_dir) if args.cache_dir else None,
                "inline": not args.no_inline, "read_timeout": args.read_timeout}
    # this very code, whatever the working folder holds (-P: no cwd on sys.path)
    package_root = str(Path(workbench.__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    env = {**os.environ, "PYTHONPATH": package_root + (os.pathsep + path if path else "")}
    group = ProcessGroup(server, loaded, args.processes,
                         [sys.executable, "-P", "-m", "workbench.cli.serve_child"],
                         settings, out.lines, out.errors, env=env)
    try:
        await group.start()
    except OSError as e:  # cannot start a process at all (a limit on processes, files)
        await group.stop()
        await server.stop()
        raise UsageError(f"cannot start {args.processes - 1} more serving processes: {e}",
                         where="--processes", hint="fewer processes, or --processes 1") \
            from None
    out.flush()  # the `processes` event before the route table
    return group


class ServeLog:
    """Human lines or JSON lines on stdout. A record is formatted as it arrives (while
    its objects are still in the CPU's caches: keeping records 50 ms to format them in a
    batch cost ~25 us a request more, measured in docs/serve.md) and the lines are
    handed every 50 ms (and at exit) in one batch to a writer thread (record_writer.py):
    the loop never waits for the reader, a reader that stops reading loses lines (counted,
    and a `log_dropped` line says how many) instead of stalling every client.
    `process`: which of `--processes N` writes (None when N is 1: no process field).
    `on_closed`: called (from the writer thread) when stdout's reader has gone."""

    def __init__(self, as_json: bool, process: int | None = None):
        from workbench.services.serve.record import ServeRecord
        from workbench.services.serve.record_line import json_line
        from workbench.services.serve.record_writer import LIMIT, LineWriter

        self.as_json = as_json
        self.process = process
        self._tag = f" [{process}]" if process is not None else ""
        self._field = f',"process":{process}}}' if process is not None else ""
        self._lines: list[str] = []
        self._record_type = ServeRecord
        self._json_line = json_line
        self.on_closed: Any = None
        self.reader_gone = False  # stdout's reader exited while serving (EPIPE)
        self._limit = f"{LIMIT / 2**20:g} MiB"
        self.out = LineWriter(sys.stdout, self._dropped_line, on_closed=self._closed)
        self.err = LineWriter(sys.stderr, lambda n: f"workbench serve{self._tag}: {n:,} "
                              "lines of stderr dropped: it was not being read")

    def _closed(self) -> None:
        self.reader_gone = True
        if self.on_closed is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed already
                self.on_closed()

    def _dropped_line(self, count: int) -> str:
        message = (f"{count:,} log line{'s' if count != 1 else ''} dropped: the reader "
                   f"was not reading (the log keeps at most {self._limit} waiting)")
        if self.as_json:
            return self._tagged(json.dumps(
                {"event": "log_dropped", "time": round(time.time(), 6), "message": message,
                 "route": None, "module": None, "build": None, "count": count},
                separators=(",", ":")))
        return f"workbench serve{self._tag}: log_dropped: {message}"

    def item(self, item: Any) -> None:
        self.lines(self._line(item))

    def lines(self, text: str) -> None:
        """Whole lines (no final newline) to write with the next batch."""
        self._lines.append(text)
        if len(self._lines) == 1:
            try:
                asyncio.get_running_loop().call_later(0.05, self.flush)
            except RuntimeError:  # no loop (before or after serving): at once
                self.flush()

    def errors(self, text: str) -> None:
        """Whole lines (no final newline) on stderr (a child's, prefixed)."""
        self.err.put(text + "\n", text.count("\n") + 1)

    def note(self, kind: str, message: str) -> None:
        if self.as_json:
            self._write(json.dumps({"event": kind, "message": message}))
        else:
            self.errors(f"workbench serve: {kind}: {message}")

    def table(self, server: Any) -> None:
        self.flush()  # the `listening` event first
        rows = server.table.lines()
        if self.as_json:
            self._write(json.dumps({"event": "routes", "url": server.url, "routes": [
                {"prefix": p, "module": m, "state": s} for p, m, s in rows]}))
            return
        width = max(len(p) for p, _, _ in rows)
        lines = [f"  {server.url}{p.ljust(width)}  -> {s}" for p, _, s in rows]
        self._write("routes (longest prefix wins):\n" + "\n".join(lines))

    def _line(self, item: Any) -> str:
        if isinstance(item, self._record_type):
            # JSON: the same text as json.dumps(item.to_json()), faster (record_line.py)
            if self.as_json:
                return self._tagged(self._json_line(item))
            return _human(item, self._tag)
        if self.as_json:
            return self._tagged(json.dumps(item.to_json(), separators=(",", ":")))
        return f"workbench serve{self._tag}: {item.message}"

    def _tagged(self, line: str) -> str:
        """A JSON line with this process's `"process": N` (--processes N > 1) added."""
        return line[:-1] + self._field if self._field else line

    def _write(self, text: str) -> None:
        self.out.put(text + "\n", text.count("\n") + 1)

    def flush(self) -> None:
        lines, self._lines = self._lines, []
        if lines:
            text = "\n".join(lines) + "\n"  # an entry may hold several (a child's relay)
            self.out.put(text, text.count("\n"))

    def close(self, timeout: float = LOG_DRAIN_S) -> None:
        """At exit: write what is queued, waiting at most `timeout` for the readers; a
        reader still not reading then loses the rest (said on stderr, if it can be)."""
        self.flush()
        lost = self.out.close(timeout)
        if lost and not self.out.closed:
            self.errors(f"workbench serve: up to {lost:,} log lines were not written: "
                        "stdout was not being read")
        self.err.close(0.1)


def _human(r: Any, tag: str = "") -> str:
    ph = r.phases
    parts = [f"{_ms(ph.total_us)}"]
    for label, v in (("queue", ph.queue_us), ("inst", ph.instantiate_us),
                     ("handler", ph.handler_us)):
        if v is not None and v >= 0.05:
            parts.append(f"{label} {_ms(v)}")
    who = (f"hook {r.redacted(r.hook_rule or '')}" if r.answered_by == "hook" else
           f"{r.module}#{r.build}" if r.answered_by == "module" else "server")
    fuel = f" fuel {r.fuel:,}" if r.fuel is not None else ""
    err = f"  {r.error_kind}: {r.redacted(r.error or '')}" if r.error_kind else ""
    clock = _clock(r.time)
    return (f"{clock}{tag} {r.client} {r.redacted(r.method)} {r.redacted(r.target)} {r.status} "
            f"{who} [{' '.join(parts)}]{fuel} in {r.bytes_in}B out {r.bytes_out}B{err}")


_last_second: list[Any] = [None, ""]  # (whole second, its "HH:MM:SS"): one strftime a second


def _clock(t: float) -> str:
    second = int(t)
    if second != _last_second[0]:
        import time

        _last_second[:] = [second, time.strftime("%H:%M:%S", time.localtime(second))]
    return f"{_last_second[1]}.{int(t % 1 * 1000):03d}"


def _ms(us: float) -> str:
    return f"{us / 1000:.2f}ms" if us >= 1000 else f"{us:.0f}µs"
