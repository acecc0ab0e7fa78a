"""WASI 0.2 host functions for a wasi:http/proxy component: io, clocks, random, cli.

No filesystem (no preopens), no sockets, empty environment and arguments; stdout and
stderr become log lines; stdin is empty. Pollables are ready at once except clock ones,
and blocking never passes the request's deadline.
"""

from __future__ import annotations

import os
import time
from typing import Any

from workbench.core.runtime.component.state import GuestExit, state

CLOSED = ("closed", None)


class Pollable:
    RESOURCE_ID = 1

    def __init__(self, at: float = 0.0):
        self.at = at  # time.monotonic() when ready; 0 = ready now

    def ready(self) -> bool:
        return self.at <= time.monotonic()

    def block(self) -> None:
        wait = self.at - time.monotonic()
        if wait <= 0:
            return
        state().pause(wait, "a wait on a clock pollable")


class IoError:
    RESOURCE_ID = 2

    def __init__(self, message: str):
        self.message = message


class InputStream:
    RESOURCE_ID = 3

    def __init__(self, data: bytes = b""):
        self.data = data
        self.pos = 0

    def read(self, n: int) -> Any:
        if self.pos >= len(self.data):
            return ("err", CLOSED)
        chunk = self.data[self.pos:self.pos + n]
        self.pos += len(chunk)
        return ("ok", chunk)

    def skip(self, n: int) -> Any:
        got = self.read(n)
        return got if got[0] == "err" else ("ok", len(got[1]))


class OutputStream:
    """Writes go to `sink(bytes) -> str | None` (an error message fails the write)."""

    RESOURCE_ID = 4
    BUDGET = 1 << 20  # check-write answer: how much may be written at once

    def __init__(self, sink: Any):
        self.sink = sink
        self.closed = False

    def write(self, data: bytes) -> Any:
        if self.closed:
            return ("err", CLOSED)
        problem = self.sink(data)
        if problem:
            self.closed = True
            return ("err", ("last-operation-failed", IoError(problem)))
        return ("ok", None)

    def check_write(self) -> Any:
        return ("err", CLOSED) if self.closed else ("ok", self.BUDGET)

    def splice(self, src: InputStream, n: int) -> Any:
        got = src.read(n)
        if got[0] == "err":
            return got
        res = self.write(got[1])
        return res if res[0] == "err" else ("ok", len(got[1]))


def _poll(items: list[Pollable]) -> list[int]:
    while True:
        ready = [i for i, p in enumerate(items) if p.ready()]
        if ready or not items:
            return ready
        min(items, key=lambda p: p.at).block()


def _log_sink(source: str) -> Any:
    def sink(data: bytes) -> None:
        state().emit(source, data)
    return sink


def _exit(status: Any) -> None:
    raise GuestExit(0 if status[0] == "ok" else 1)


def _mono_now() -> int:
    return time.monotonic_ns()


def _wall_now() -> dict[str, int]:
    ns = time.time_ns()
    return {"seconds": ns // 1_000_000_000, "nanoseconds": ns % 1_000_000_000}


WASI: dict[str, dict[str, Any]] = {
    "wasi:io/poll": {
        "[method]pollable.ready": Pollable.ready,
        "[method]pollable.block": Pollable.block,
        "poll": _poll,
    },
    "wasi:io/error": {"[method]error.to-debug-string": lambda e: e.message},
    "wasi:io/streams": {
        "[method]input-stream.read": InputStream.read,
        "[method]input-stream.blocking-read": InputStream.read,
        "[method]input-stream.skip": InputStream.skip,
        "[method]input-stream.blocking-skip": InputStream.skip,
        "[method]input-stream.subscribe": lambda s: Pollable(),
        "[method]output-stream.check-write": OutputStream.check_write,
        "[method]output-stream.write": OutputStream.write,
        "[method]output-stream.blocking-write-and-flush": OutputStream.write,
        "[method]output-stream.flush": lambda s: ("ok", None),
        "[method]output-stream.blocking-flush": lambda s: ("ok", None),
        "[method]output-stream.subscribe": lambda s: Pollable(),
        "[method]output-stream.write-zeroes": lambda s, n: s.write(bytes(n)),
        "[method]output-stream.blocking-write-zeroes-and-flush":
            lambda s, n: s.write(bytes(n)),
        "[method]output-stream.splice": OutputStream.splice,
        "[method]output-stream.blocking-splice": OutputStream.splice,
    },
    "wasi:clocks/monotonic-clock": {
        "now": _mono_now,
        "resolution": lambda: 1,
        "subscribe-instant": lambda t: Pollable(t / 1e9),
        "subscribe-duration": lambda d: Pollable(time.monotonic() + d / 1e9),
    },
    "wasi:clocks/wall-clock": {
        "now": _wall_now,
        "resolution": lambda: {"seconds": 0, "nanoseconds": 1},
    },
    "wasi:random/random": {
        "get-random-bytes": lambda n: os.urandom(min(n, 1 << 20)),
        "get-random-u64": lambda: int.from_bytes(os.urandom(8), "little"),
    },
    "wasi:random/insecure": {
        "get-insecure-random-bytes": lambda n: os.urandom(min(n, 1 << 20)),
        "get-insecure-random-u64": lambda: int.from_bytes(os.urandom(8), "little"),
    },
    "wasi:random/insecure-seed": {
        "insecure-seed": lambda: (int.from_bytes(os.urandom(8), "little"),
                                  int.from_bytes(os.urandom(8), "little")),
    },
    "wasi:cli/stdout": {"get-stdout": lambda: OutputStream(_log_sink("stdout"))},
    "wasi:cli/stderr": {"get-stderr": lambda: OutputStream(_log_sink("stderr"))},
    "wasi:cli/stdin": {"get-stdin": lambda: InputStream(b"")},
    "wasi:cli/environment": {
        "get-environment": lambda: [],
        "get-arguments": lambda: [],
        "initial-cwd": lambda: None,
    },
    "wasi:cli/exit": {"exit": _exit},
    "wasi:cli/terminal-stdin": {"get-terminal-stdin": lambda: None},
    "wasi:cli/terminal-stdout": {"get-terminal-stdout": lambda: None},
    "wasi:cli/terminal-stderr": {"get-terminal-stderr": lambda: None},
    "wasi:filesystem/preopens": {"get-directories": lambda: []},
}

# Host resource type ids for resources defined by these interfaces.
RESOURCES: dict[tuple[str, str], int] = {
    ("wasi:io/poll", "pollable"): Pollable.RESOURCE_ID,
    ("wasi:io/error", "error"): IoError.RESOURCE_ID,
    ("wasi:io/streams", "input-stream"): InputStream.RESOURCE_ID,
    ("wasi:io/streams", "output-stream"): OutputStream.RESOURCE_ID,
}
