"""`workbench serve --processes N`: N processes serving one listening socket.

The parent loads the routes, binds the address once (`listen_socket`) and serves it; the
`ProcessGroup` starts N-1 children (`python -m workbench.cli.serve_child SETTINGS`) that
inherit the socket (`pass_fds`) and serve it too, each with its own warm instances, as
an edge platform runs many instances. The kernel gives each new connection to one of
the processes waiting on the socket. Per child:

- stdin is the control pipe (replica.py): the routes at start, then every build the
  parent swaps in, as a pinned copy; its end (the parent exited, even by SIGKILL) stops
  the child, and so does PR_SET_PDEATHSIG (`die_with_parent`);
- stdout carries the child's log, already formatted as the parent's; the parent reads it
  and writes whole lines only (pipe writes over 4 KiB are not atomic, so children never
  share the parent's stdout);
- stderr is forwarded line by line, prefixed `workbench serve [process I]:`.

Stopping: SIGTERM to every child (each finishes its requests in flight within the
server's grace, 1 s), SIGKILL after `KILL_AFTER_S`. A child that exits unexpectedly is
logged (`process_exited`) and the others keep serving; it is not restarted.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.services.serve.load import Loaded
from workbench.services.serve.record import ServeEvent, ServeRecord
from workbench.services.serve.replica import Pins, init_message, swap_message
from workbench.services.serve.server import DevServer

READY = b"workbench-serve-child ready\n"  # a child's first stdout line, once it serves
START_TIMEOUT_S = 120.0  # a child imports, compiles every build (cached) and listens
KILL_AFTER_S = 2.0  # after SIGTERM (the server's grace is 1 s)
MAX_PROCESSES = 64
PINS_PREFIX = "workbench-serve-"  # + the parent's pid: /tmp/workbench-serve-PID-XXXX


def listen_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: a free one), as asyncio would bind it.
    Raises OSError (port in use, unknown host...)."""
    family, kind, proto, _, addr = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(128)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def die_with_parent(parent: int) -> None:
    """In a child: SIGTERM when the parent dies (Linux PR_SET_PDEATHSIG; elsewhere the end
    of the control pipe does it). Exits at once if the parent is already gone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:
        raise SystemExit(0)


async def relay_lines(stream: asyncio.StreamReader, write: Callable[[str], None],
                      prefix: str = "") -> None:
    """Pass `stream` on to `write` in whole lines (several at a time, without the final
    newline; each prefixed with `prefix`) until it ends; a last unended line at the end."""
    rest = b""
    while chunk := await stream.read(1 << 16):
        rest += chunk
        cut = rest.rfind(b"\n")
        if cut >= 0:
            write(_prefixed(rest[:cut], prefix))
            rest = rest[cut + 1:]
    if rest:
        write(_prefixed(rest, prefix))


def _prefixed(block: bytes, prefix: str) -> str:
    text = block.decode("utf-8", "replace")
    return prefix + text.replace("\n", "\n" + prefix) if prefix else text


def sweep_pins() -> None:
    """Remove the pinned-build folders of parents that are gone (a parent killed with
    SIGKILL cannot remove its own): `PINS_PREFIX` + pid + random suffix."""
    for folder in Path(tempfile.gettempdir()).glob(PINS_PREFIX + "*-*"):
        pid = folder.name[len(PINS_PREFIX):].split("-", 1)[0]
        if not pid.isdecimal():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # alive, someone else's
            pass


class Child:
    def __init__(self, index: int, proc: asyncio.subprocess.Process):
        self.index, self.proc = index, proc
        self.ready = asyncio.get_running_loop().create_future()
        self.tasks: list[asyncio.Task[Any]] = []

    def send(self, msg: dict[str, Any]) -> None:
        stdin = self.proc.stdin
        if self.proc.returncode is None and stdin is not None and not stdin.is_closing():
            stdin.write(json.dumps(msg, separators=(",", ":")).encode() + b"\n")


class ProcessGroup:
    """The parent's children: started on `server`'s socket, fed its builds, stopped."""

    def __init__(self, server: DevServer, loaded: Loaded, count: int, argv: list[str],
                 settings: dict[str, Any], lines: Callable[[str], None],
                 errors: Callable[[str], None], env: dict[str, str] | None = None):
        self.server, self.loaded, self.count = server, loaded, count
        self.env = env
        self.argv, self.settings = argv, settings
        self.lines, self.errors = lines, errors  # whole lines (no final newline)
        self.children: list[Child] = []
        self.stopping = False
        sweep_pins()
        self._pins = Pins(Path(tempfile.mkdtemp(prefix=f"{PINS_PREFIX}{os.getpid()}-")))
        self._unsubscribe: Callable[[], None] | None = None

    async def start(self) -> None:
        """Start the children and wait until each serves (or has exited: logged)."""
        sock = self.server.sock
        assert sock is not None, "the parent serves a socket of its own (listen_socket)"
        init = init_message(self.server.table, self.loaded.kv, self.loaded.secrets,
                            self._pins)
        self._unsubscribe = self.server.subscribe(self._on_item)  # no swap can be missed
        for i in range(1, self.count):
            settings = {**self.settings, "process": i, "parent": os.getpid(),
                        "fd": sock.fileno()}
            proc = await asyncio.create_subprocess_exec(
                *self.argv, json.dumps(settings), stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                pass_fds=(sock.fileno(),), env=self.env)
            child = Child(i, proc)
            child.send(init)
            child.tasks = [asyncio.create_task(self._read_log(child)),
                           asyncio.create_task(self._read_errors(child)),
                           asyncio.create_task(self._watch(child))]
            self.children.append(child)
        await asyncio.wait([c.ready for c in self.children], timeout=START_TIMEOUT_S)
        pids = [str(os.getpid())] + [str(c.proc.pid) for c in self.children
                                     if c.ready.done() and c.ready.result()]
        self.server.note("processes", f"{len(pids)} of {self.count} processes serving "
                                      f"(pids {', '.join(pids)})")

    async def stop(self) -> None:
        """SIGTERM every child, SIGKILL what is left after KILL_AFTER_S; their last log
        lines are written before this returns."""
        self.stopping = True
        if self._unsubscribe is not None:
            self._unsubscribe()
        for c in self.children:
            if c.proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    c.proc.send_signal(signal.SIGTERM)
        waits = [c.proc.wait() for c in self.children]
        if waits:
            _, pending = await asyncio.wait([asyncio.ensure_future(w) for w in waits],
                                            timeout=KILL_AFTER_S)
            for c in self.children:
                if c.proc.returncode is None:
                    with contextlib.suppress(ProcessLookupError):
                        c.proc.kill()
            await asyncio.gather(*pending, return_exceptions=True)
            await asyncio.wait([t for c in self.children for t in c.tasks], timeout=1.0)
        shutil.rmtree(self._pins.folder, ignore_errors=True)

    # -- the parent's loop ----------------------------------------------------------------

    def _on_item(self, item: ServeRecord | ServeEvent) -> None:
        """A swap or a failed build in the parent reaches every child."""
        if item.__class__ is not ServeEvent:
            return
        assert isinstance(item, ServeEvent)
        route = self.server.table.route(item.module or "")
        if route is None:
            return
        if item.kind == "swapped" and route.current is not None:
            msg = swap_message(route.current, self._pins)
        elif item.kind in ("build_failed", "load_failed") and route.problem:
            msg = {"op": "keep", "route": route.name, "problem": route.problem}
        else:
            return
        for c in self.children:
            c.send(msg)

    async def _read_log(self, child: Child) -> None:
        out = child.proc.stdout
        assert out is not None
        first = await out.readline()
        if not child.ready.done():
            child.ready.set_result(first == READY)
        if first and first != READY:
            self.lines(first.decode("utf-8", "replace").rstrip("\n"))
        await relay_lines(out, self.lines)

    async def _read_errors(self, child: Child) -> None:
        assert child.proc.stderr is not None
        await relay_lines(child.proc.stderr, self.errors,
                          f"workbench serve [process {child.index}]: ")

    async def _watch(self, child: Child) -> None:
        code = await child.proc.wait()
        if not child.ready.done():
            child.ready.set_result(False)
        if self.stopping:
            return
        how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        alive = 1 + sum(c.proc.returncode is None for c in self.children)
        self.server.note("process_exited",
                         f"process {child.index} (pid {child.proc.pid}) exited ({how}); "
                         f"{alive} of {self.count} processes serving")
