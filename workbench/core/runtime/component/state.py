"""Per-store state the component host functions see: resources, logs, the outcome.

One `ComponentState` lives as long as one store (a warm instance keeps it across
requests; `begin` resets the per-request parts). The host functions find it through
`capi.session()` (a thread-local set around every guest call).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from workbench.core.runtime.component.session import Session, session
from workbench.core.runtime.hostfns import sleep_until

LogFn = Callable[[str, str, str], None]  # (level, message, source)


class GuestExit(Exception):
    """wasi:cli/exit#exit was called; the call unwinds with this as the reason."""

    def __init__(self, code: int):
        super().__init__(f"the component called wasi:cli/exit#exit with status {code}")
        self.code = code


class Unavailable(Exception):
    """An import the workbench does not provide was called: a named trap."""


class HostTimeout(Exception):
    """A blocking host call (poll, sleep, chaos latency) reached the request's deadline or
    was cancelled; the text says during what (the timeout error quotes it)."""


class ComponentState(Session):
    def __init__(self, log: LogFn, outbound: Any, max_body: int,
                 host: Callable[[], Any] | None = None):
        super().__init__()
        self.log = log
        # The harness's HostState (KV store, granted secrets, chaos, limits, deadline) for
        # the key-value and config interfaces (kv.py); a getter, so a bench's scratch
        # state is seen while it is in place.
        self.host = host
        self.outbound = outbound  # outbound.Stubs: answers wasi:http/outgoing-handler
        self.max_body = max_body
        self.deadline = float("inf")  # time.monotonic() value; blocking calls stop there
        self.response: Any = None  # ("ok", OutgoingResponse) | ("err", error-code) | None
        self.line_buf: dict[str, bytearray] = {}

    def begin(self, timeout_s: float) -> None:
        self.failure = None
        self.response = None
        self.host_ns = 0
        self.deadline = time.monotonic() + timeout_s

    def emit(self, source: str, data: bytes) -> None:
        """stdout/stderr bytes -> log lines (a partial line waits for its newline)."""
        buf = self.line_buf.setdefault(source, bytearray())
        buf += data
        while (i := buf.find(b"\n")) >= 0:
            self._line(source, bytes(buf[:i]))
            del buf[:i + 1]

    def flush_lines(self) -> None:
        for source, buf in self.line_buf.items():
            if buf:
                self._line(source, bytes(buf))
                buf.clear()

    def _line(self, source: str, raw: bytes) -> None:
        text = raw.decode("utf-8", "replace").rstrip("\r")
        if text.strip():
            self.log("info" if source == "stdout" else "error", text, source)

    def remaining_s(self) -> float:
        return self.deadline - time.monotonic()

    def pause(self, seconds: float, what: str) -> None:
        """Sleep `seconds` in 50 ms steps; raise HostTimeout at the request's deadline or
        as soon as the harness's cancel event (a bench being cancelled) is set."""
        host = self.host() if self.host is not None else None
        stop = sleep_until(seconds, self.deadline, getattr(host, "cancel", None))
        if stop == "cancelled":
            raise HostTimeout(f"the bench was cancelled during {what}")
        if stop is not None:
            raise HostTimeout(f"during {what}")

    def chaos_delay(self, fn: str) -> None:
        """Chaos latency for component host call `fn` (a `LATENCY_NAMES` name): recorded
        as a fault (`latency:kv_get:20ms`, as for edge host calls), then slept, bounded by
        the deadline (HostTimeout: the run ends as a `timeout` error)."""
        if self.host is None:
            return
        chaos = self.host().chaos
        ms = chaos.latency(fn)
        if ms:
            chaos.faults.append(f"latency:{fn}:{ms:g}ms")
            self.pause(ms / 1000, f"chaos latency {fn}={ms:g}ms")


def state() -> ComponentState:
    s = session()
    assert isinstance(s, ComponentState)
    return s
