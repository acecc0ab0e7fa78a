"""Host functions an edge handler may import from module `edge` (docs/handler-abi.md).

They are defined once per harness on its Linker and read the per-run state from a
`HostState` the harness swaps in before each call, so a fresh instance costs no
re-definition. Host functions never raise into the guest: failures are error codes,
and a bug in here is recorded as `host_error` (the run then reports kind "host").
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

import wasmtime

from workbench.core.abi.host_signatures import HOST_SIGNATURES
from workbench.core.runtime.chaos import ChaosState
from workbench.core.runtime.fastcall import MemView, define_host
from workbench.core.runtime.kv import KvStore, KvTooLarge, KvUnavailable
from workbench.core.runtime.limits import Limits
from workbench.core.runtime.result import LEVELS, LogLine, parse_fields
from workbench.core.runtime.secrets import Secrets

OK = 0
NOT_FOUND = -1
UNAVAILABLE = -2
BAD_POINTER = -3
TOO_LARGE = -4

MAX_RANDOM = 65536
Memory = Callable[[], "MemView | None"]  # the caller's memory, looked up on demand
MAX_LOG_LINES = 1000  # per run: a chatty loop cannot eat the host's memory


# Host functions that write or wait: a run on the dev server's event loop (`inline`,
# services/serve/inline.py) stops before doing either and is redone on a worker thread.
WORKER_ONLY = frozenset({"kv_put", "kv_delete"})


class NeedsWorker(Exception):  # noqa: N818 - a signal, not an error the user sees
    """Raised by a host function in an inline run before it writes or waits: the run is
    abandoned (no side effect happened) and the request goes to a worker thread."""


class GuestDeadline(Exception):
    """Raised inside a host call that reached the call's deadline (becomes a trap)."""


def sleep_until(seconds: float, deadline: float,
                cancel: threading.Event | None) -> str | None:
    """Sleep `seconds` in 50 ms steps (Ctrl-C and a set `cancel` land within one), at most
    until `deadline` (monotonic). None when slept in full, else "cancelled" or "deadline".
    Shared by edge host calls (`HostState.sleep`) and component ones (`ComponentState`)."""
    end = time.monotonic() + seconds
    limit = min(end, deadline)
    while (left := limit - time.monotonic()) > 0:
        if cancel is not None:
            if cancel.wait(min(left, 0.05)):
                return "cancelled"
        else:
            time.sleep(min(left, 0.05))
    return "deadline" if end > deadline else None


class HostState:
    """What host functions see during one run.

    `deadline` is the monotonic time the current guest call must end by (set with the
    epoch deadline): a host function that waits (WASI `poll_oneoff`) waits at most until
    then and sets `timed_out`."""

    def __init__(self, kv: KvStore, secrets: Secrets, chaos: ChaosState,
                 limits: Limits | None = None):
        self.kv, self.secrets, self.chaos = kv, secrets, chaos
        self.limits = limits or Limits()
        self.logs: list[LogLine] = []
        self.t0 = time.perf_counter()
        self.host_error: str | None = None
        self.dropped_logs = 0
        self.now_ms: int | None = None  # a frozen clock (the purity check); None: wall clock
        self.log_bytes = 0
        self.deadline = float("inf")
        self.timed_out = False
        self.waiting_in = ""  # what the call was waiting in when it timed out
        self.interrupted = False
        self.cancel: threading.Event | None = None  # set: a WASI sleep ends now
        # An inline run (on the dev server's event loop): host functions that write or
        # wait raise NeedsWorker instead, naming themselves here.
        self.inline = False
        self.needs_worker: str | None = None
        # WASI stdout/stderr text after the last newline, per source: [level, bytes kept
        # (at most one log line's cap), full length]; add_output fills, flush_output ends
        self.partial: dict[str, tuple[str, bytearray, int]] = {}

    def begin(self) -> None:
        self.logs = []
        self.t0 = time.perf_counter()
        self.host_error = None
        self.dropped_logs = 0
        self.log_bytes = 0
        self.timed_out = self.interrupted = False
        self.waiting_in = ""
        self.needs_worker = None
        self.chaos.faults = []
        self.partial = {}

    def flush_output(self) -> None:
        """The run ended: a stdout/stderr line still waiting for its newline is logged."""
        pending, self.partial = self.partial, {}
        for source, (level, kept, total) in pending.items():
            if kept.strip():
                self.add_log(level, bytes(kept).rstrip(b"\r"), source, total=total)

    def arm(self, timeout_ms: float) -> None:
        """A guest call starts now with this wall-clock budget."""
        self.deadline = time.monotonic() + timeout_ms / 1000

    def sleep(self, seconds: float, what: str) -> None:
        """Sleep inside a host call, at most until the call's deadline: then `timed_out`
        is set and GuestDeadline ends the call (a `timeout` error naming `what`). Short
        steps, so Ctrl-C and a cancelled bench land within 50 ms."""
        try:
            stop = sleep_until(seconds, self.deadline, self.cancel)
        except KeyboardInterrupt:
            self.interrupted = True
            raise
        if stop is not None:
            self.timed_out, self.waiting_in = True, what
            raise GuestDeadline(f"the bench was cancelled during {what}" if stop == "cancelled"
                                else f"the call reached its deadline during {what}")

    def add_log(self, level: str, text: str | bytes, source: str = "log", *,
                total: int = 0) -> None:
        """One log line, cut to `limits.max_log_line_bytes`; once the run's lines reach
        `limits.max_log_bytes` (or MAX_LOG_LINES) further lines are counted, not kept.
        `total`: the line's full length when `text` is already a prefix of it."""
        lim = self.limits
        if len(self.logs) >= MAX_LOG_LINES or self.log_bytes >= lim.max_log_bytes:
            self.dropped_logs += 1
            return
        raw = text if isinstance(text, bytes) else text.encode("utf-8", "replace")
        cap = min(lim.max_log_line_bytes, lim.max_log_bytes - self.log_bytes)
        full = max(len(raw), total)
        cut = full - cap if full > cap else 0
        if cut:
            raw = raw[:cap]
        self.log_bytes += len(raw)
        line = raw.decode("utf-8", "replace") if cut or isinstance(text, bytes) else text
        assert isinstance(line, str)
        if cut:
            line += f" …[workbench: {cut:,} more bytes cut]"
        line = self.secrets.redact(line)
        t = (time.perf_counter() - self.t0) * 1e6
        self.logs.append(LogLine(t, level, line, None if cut else parse_fields(line), source))


def add_output(st: HostState, data: bytes, level: str, source: str) -> None:
    """WASI stdout/stderr bytes as log lines, one per non-blank line. A line may arrive in
    several writes (Rust's unbuffered stderr writes `eprintln!("{} {}", a, b)` piece by
    piece): text after the last newline waits in `st.partial` for the rest of its line or
    `flush_output` at the end of the run. Each line is cut to `limits.max_log_line_bytes`
    before it is decoded, so a 60 MiB write without a newline costs one line's worth of
    memory, not copies of the whole chunk."""
    if not data:
        return
    cap = st.limits.max_log_line_bytes
    view = memoryview(data)
    start, end = 0, len(data)
    _, kept, total = st.partial.pop(source, (level, bytearray(), 0))
    while start < end:
        nl = data.find(b"\n", start)
        stop = end if nl < 0 else nl
        room = max(0, cap - len(kept))
        kept += view[start:min(stop, start + room)]
        total += stop - start
        if nl < 0:
            st.partial[source] = (level, kept, total)
            return
        line = bytes(kept).rstrip(b"\r")
        if line.strip():
            st.add_log(level, line, source, total=total)
        kept, total = bytearray(), 0
        start = stop + 1


def define_host_functions(linker: wasmtime.Linker, get_state: Callable[[], HostState]
                          ) -> list[Any]:
    """Define every `edge.*` function on `linker`; each reads `get_state()` when called.

    Returns the raw callbacks: keep them alive as long as the linker (fastcall.define_host
    skips wasmtime-py's per-call Caller and Val boxing: ~10 us -> ~2 us per host call).
    """
    return [define_host(linker, "edge", name, sig.params, sig.results,
                        _guard(name, _IMPLS[name], get_state))
            for name, sig in HOST_SIGNATURES.items()]


def _guard(name: str, impl: Callable[..., Any], get_state: Callable[[], HostState]
           ) -> Callable[..., Any]:
    no_result = not HOST_SIGNATURES[name].results
    worker_only = name in WORKER_ONLY

    def host(mem: Memory, *args: int) -> Any:
        st = get_state()
        if st.inline and worker_only:  # before the write: the run is redone on a worker
            st.needs_worker = f"edge.{name}"
            raise NeedsWorker(st.needs_worker)
        ms = st.chaos.latency(name)
        if ms:  # chaos latency: recorded, then slept (a deadline inside it is a timeout)
            st.chaos.faults.append(f"latency:{name}:{ms:g}ms")
            st.sleep(ms / 1000, f"chaos latency {name}={ms:g}ms")
        try:
            return impl(st, mem, *args)
        except Exception as e:  # a workbench bug must not look like a guest trap
            st.host_error = f"edge.{name}: {type(e).__name__}: {e}"
            return None if no_result else UNAVAILABLE

    return host


def _log(st: HostState, mem: Memory, level: int, ptr: int, length: int) -> None:
    mv = mem()
    if mv is None or not mv.in_bounds(ptr, length):
        st.add_log("error", f"[workbench] edge.log: bad pointer {ptr}+{length}")
        return
    # Read no more than a line may keep (+1 so the cut is still seen): a 60 MiB line
    # costs 16 KiB, not a copy per decode/redact/parse step.
    data = mv.read(ptr, min(length, st.limits.max_log_line_bytes)) or b""
    lvl = LEVELS[level] if 0 <= level < len(LEVELS) else "info"
    st.add_log(lvl, data, total=length)


def _out(mv: MemView, value: bytes, out_ptr: int, out_cap: int) -> int:
    """Write `value` if it fits; the length either way (caller retries with more room)."""
    if len(value) <= out_cap and not mv.write(out_ptr, value):
        return BAD_POINTER
    return len(value)


def _kv_get(st: HostState, mem: Memory, kp: int, kl: int, op: int, oc: int) -> int:
    if st.chaos.fail("kv_get"):
        return UNAVAILABLE
    mv = mem()
    key = mv.read(kp, kl) if mv else None
    if mv is None or key is None or not mv.in_bounds(op, max(oc, 0)):
        return BAD_POINTER
    try:
        value = st.kv.get(key)
    except KvUnavailable:
        return UNAVAILABLE
    return NOT_FOUND if value is None else _out(mv, value, op, oc)


def _kv_put(st: HostState, mem: Memory, kp: int, kl: int, vp: int, vl: int) -> int:
    if st.chaos.fail("kv_put"):
        return UNAVAILABLE
    mv = mem()
    if mv is None or not (mv.in_bounds(kp, kl) and mv.in_bounds(vp, vl)):
        return BAD_POINTER
    if kl > st.limits.kv_max_key_bytes or vl > st.limits.kv_max_value_bytes:
        return TOO_LARGE  # before copying up to 64 MiB out of linear memory
    key, value = mv.read(kp, kl), mv.read(vp, vl)
    if key is None or value is None:
        return BAD_POINTER
    try:
        # Another writer holding the store: wait at most half the time left, so the
        # handler still has time to handle UNAVAILABLE before its deadline.
        left_ms = (st.deadline - time.monotonic()) * 1000 / 2
        st.kv.put(key, value, flush=False, limits=st.limits,
                  wait_ms=int(min(max(1.0, left_ms), 10_000.0)))
    except KvTooLarge:
        return TOO_LARGE
    except (OSError, KvUnavailable):
        return UNAVAILABLE
    return OK


def _kv_delete(st: HostState, mem: Memory, kp: int, kl: int) -> int:
    if st.chaos.fail("kv_delete"):
        return UNAVAILABLE
    mv = mem()
    key = mv.read(kp, kl) if mv else None
    if key is None:
        return BAD_POINTER
    try:
        return OK if st.kv.delete(key, flush=False) else NOT_FOUND
    except (OSError, KvUnavailable):
        return UNAVAILABLE


def _secret_get(st: HostState, mem: Memory, np_: int, nl: int, op: int, oc: int) -> int:
    if st.chaos.fail("secret_get"):
        return UNAVAILABLE
    mv = mem()
    name = mv.read(np_, nl) if mv else None
    if mv is None or name is None or not mv.in_bounds(op, max(oc, 0)):
        return BAD_POINTER
    wanted = name.decode("utf-8", "replace")
    value = st.secrets.get(wanted)
    if value is None and st.secrets.refused(wanted):
        st.add_log("warn", f"[workbench] secret {wanted!r} is not granted to this module: "
                   f'add secrets = ["{wanted}"] to its module.toml', "workbench")
    return NOT_FOUND if value is None else _out(mv, value.encode(), op, oc)


def _now_ms(st: HostState, mem: Memory) -> int:
    return st.now_ms if st.now_ms is not None else int(time.time() * 1000)


def _random_fill(st: HostState, mem: Memory, ptr: int, length: int) -> int:
    if length > MAX_RANDOM:
        return TOO_LARGE
    mv = mem()
    if mv is None or length < 0 or not mv.in_bounds(ptr, length):
        return BAD_POINTER
    seeded = st.chaos.chaos.seed is not None
    mv.write(ptr, st.chaos.rng.randbytes(length) if seeded else os.urandom(length))
    return OK


_IMPLS: dict[str, Callable[..., Any]] = {
    "log": _log, "kv_get": _kv_get, "kv_put": _kv_put, "kv_delete": _kv_delete,
    "secret_get": _secret_get, "now_ms": _now_ms, "random_fill": _random_fill,
}
