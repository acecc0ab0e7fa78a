"""WASI `poll_oneoff` and `clock_time_get`, defined by the workbench over wasmtime's own.

wasmtime's `poll_oneoff` sleeps inside Rust: a guest `sleep(2)` (or a 30 s nanosleep)
ignores the epoch deadline, cannot be interrupted with Ctrl-C, and a process that exits
while a thread sleeps in it can abort in the Rust runtime. This one sleeps in Python and
never past the running call's deadline (`HostState.deadline`): a sleep that would end
after it sleeps until the deadline, then traps and the run reports `timeout`.
`clock_time_get` is shadowed too, so an absolute monotonic deadline in a subscription
is read on the same clock the sleep uses (`time.monotonic_ns`).

Layouts (WASI preview 1, little endian): subscription 48 bytes = userdata u64 @0,
tag u8 @8 (0 clock, 1 fd_read, 2 fd_write), clock id u32 @16, timeout u64 @24,
precision u64 @32, flags u16 @40 (bit 0: absolute); fd u32 @16. Event 32 bytes =
userdata u64 @0, errno u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable
from typing import Any

import wasmtime

from workbench.core.runtime.fastcall import MemView, define_host
from workbench.core.runtime.hostfns import HostState, NeedsWorker

WASI = "wasi_snapshot_preview1"
SUCCESS, EFAULT, EINVAL = 0, 21, 28
SUB, EVENT = 48, 32
MAX_SUBS = 4096
REALTIME, MONOTONIC, PROCESS_CPU, THREAD_CPU = 0, 1, 2, 3


def define_wasi_clock(linker: wasmtime.Linker, get_state: Callable[[], HostState]
                      ) -> list[Any]:
    """Shadow wasmtime's `poll_oneoff` and `clock_time_get` on a linker that already has
    WASI defined. Returns the callbacks to keep alive with the linker."""
    linker.allow_shadowing = True
    try:
        return [
            define_host(linker, WASI, "poll_oneoff", ("i32",) * 4, ("i32",),
                        lambda mem, *a: poll_oneoff(get_state(), mem(), *a)),
            define_host(linker, WASI, "clock_time_get", ("i32", "i64", "i32"), ("i32",),
                        lambda mem, cid, _prec, out: clock_time_get(mem(), cid, out)),
        ]
    finally:
        linker.allow_shadowing = False


def now_ns(clock: int) -> int | None:
    if clock == REALTIME:
        return time.time_ns()
    if clock == MONOTONIC:
        return time.monotonic_ns()
    if clock == PROCESS_CPU:
        return time.process_time_ns()
    if clock == THREAD_CPU:
        return time.thread_time_ns()
    return None


def clock_time_get(mv: MemView | None, clock: int, out: int) -> int:
    value = now_ns(clock)
    if value is None:
        return EINVAL
    if mv is None or not mv.write(out, struct.pack("<Q", value)):
        return EFAULT
    return SUCCESS


def poll_oneoff(st: HostState, mv: MemView | None, in_ptr: int, out_ptr: int, nsubs: int,
                nevents_ptr: int) -> int:
    if nsubs <= 0 or nsubs > MAX_SUBS:
        return EINVAL
    if mv is None:
        return EFAULT
    raw = mv.read(in_ptr, nsubs * SUB)
    if raw is None or not mv.in_bounds(out_ptr, nsubs * EVENT) \
            or not mv.in_bounds(nevents_ptr, 4):
        return EFAULT
    ready: list[bytes] = []
    clocks: list[tuple[int, int]] = []  # (userdata, nanoseconds from now)
    for i in range(nsubs):
        userdata, tag = struct.unpack_from("<QB", raw, i * SUB)
        if tag in (1, 2):  # fd_read / fd_write: files and pipes here are always ready
            ready.append(struct.pack("<QHBxxxxxQH6x", userdata, SUCCESS, tag, 0, 0))
        elif tag == 0:
            clock, timeout, _prec, flags = struct.unpack_from("<IxxxxQQH", raw, i * SUB + 16)
            if flags & 1:
                now = now_ns(clock)
                if now is None:
                    ready.append(struct.pack("<QHBxxxxxQH6x", userdata, EINVAL, 0, 0, 0))
                    continue
                timeout = timeout - now
            clocks.append((userdata, max(0, timeout)))
        else:
            ready.append(struct.pack("<QHBxxxxxQH6x", userdata, EINVAL, tag, 0, 0))
    if not ready and clocks:
        wait_ns = min(t for _, t in clocks)
        if st.inline and wait_ns > 0:  # never sleep on the dev server's event loop
            st.needs_worker = "wasi poll_oneoff (a sleep)"
            raise NeedsWorker(st.needs_worker)
        st.sleep(wait_ns / 1e9, "a WASI sleep (poll_oneoff)")  # bounded by the deadline
        ready = [struct.pack("<QHBxxxxxQH6x", u, SUCCESS, 0, 0, 0)
                 for u, t in clocks if t <= wait_ns]
    elif ready:
        ready += [struct.pack("<QHBxxxxxQH6x", u, SUCCESS, 0, 0, 0) for u, t in clocks if t == 0]
    mv.write(out_ptr, b"".join(ready))
    mv.write(nevents_ptr, struct.pack("<I", len(ready)))
    return SUCCESS

