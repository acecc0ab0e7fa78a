"""A wall-clock stop for inline runs (guest calls on the dev server's event loop).

An inline run is bounded by fuel (`services/serve/inline.py`), but fuel counts wasm
instructions only: one `memory.fill` over 128 MiB, a loop of native WASI calls or of
host calls costs a few units each and can hold the loop for seconds. The epoch deadline
bounds wall time, but the 1 ms `EpochTicker` is asleep while requests run inline (waking
it costs every request ~15-25 us of GIL hand-offs), so this thread stands in: while
inline runs are happening it wakes every `PERIOD_S`, and when the same inline run has
used `CPU_LIMIT_S` of the loop thread's CPU time since it first saw it, it increments the
engine's epoch once, which trips that run's deadline (set 1 tick ahead:
`INLINE_TICKS_IDLE`). It only does so while the ticker is idle: then no other guest call
has a deadline the increment could shorten (the ticker stays awake until every call it
was touched for has passed its deadline). While the ticker runs, inline runs use
`INLINE_TICKS_BUSY` ticks of it instead.

CPU time, not wall time: on a loaded machine the loop thread is often descheduled for a
few milliseconds in the middle of a 20 us handler call. Counted in wall time that tripped
~6 runs a second of a no-op handler under `wrk` (each one a dropped instance, a worker
run and the epoch ticker awake for a second): measured in docs/serve.md. A run that
waits without using CPU cannot hold the loop: the host calls that wait (WASI sleeps)
already stop an inline run before they wait (hostfns.NeedsWorker).

Worst case for a hostile inline handler: about two periods (~40 ms) of the loop's CPU,
then the request is redone on a worker (the run is abandoned like any other inline miss)
and the route backs off (inline.py). The period is a trade: a Python thread that wakes
costs the busy loop thread ~1-2 ms of CPU a wake here (taking the GIL from it and handing
it back); at 5 ms that was ~25 us of a ~90 us no-op request in an in-process loop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

PERIOD_S = 0.02  # each wake costs the busy loop thread ~1-2 ms of CPU (GIL hand-offs,
# measured: a 5 ms period cost a no-op request ~25 us); a hostile run holds the loop for
# at most about two periods
CPU_LIMIT_S = 0.005  # loop-thread CPU an inline run may use after the watchdog sees it
INLINE_TICKS_IDLE = 1  # any increment stops the run (only the watchdog increments now)
INLINE_TICKS_BUSY = 20  # the ticker is running: ~20 ms of wall time (a descheduled
# loop thread must not trip a 20 us run: each trip costs a new instance)
_IDLE_AFTER_S = 0.25  # no inline run for this long: sleep until the next one


CPU_LIMIT_NS = int(CPU_LIMIT_S * 1e9)


def _cpu_ns(ident: int) -> int:
    """CPU time used so far by the thread `ident`; wall time where a thread's CPU clock
    cannot be read (no pthread_getcpuclockid, e.g. macOS): a stop then counts wall time."""
    try:
        return time.clock_gettime_ns(time.pthread_getcpuclockid(ident))
    except (AttributeError, OSError, OverflowError):
        return time.monotonic_ns()


class InlineWatchdog:
    def __init__(self, increment: Callable[[], None], ticker_awake: Callable[[], bool],
                 ticker_sync: Callable[[], None] = lambda: None):
        self._increment = increment
        self._ticker_awake = ticker_awake
        self._ticker_sync = ticker_sync
        self.seq = 0  # inline runs begun
        self.active = 0  # the seq of the run in flight, 0 when none
        self.thread = 0  # threading.get_ident() of the thread running it
        self.trips = 0  # runs stopped (for tests and figures)
        self._wake = threading.Event()
        self._asleep = True
        self._thread = threading.Thread(target=self._loop, name="workbench-inline-watchdog",
                                        daemon=True)
        self._thread.start()

    def begin(self) -> int:
        """An inline run starts: the epoch deadline ticks to set for it."""
        self.seq += 1
        self.active = self.seq
        self.thread = threading.get_ident()
        if self._asleep:
            self._asleep = False
            self._wake.set()
        if self._ticker_awake():
            # ticks the ticker still owes for earlier time (it was starved of the GIL or
            # the CPU) must not be replayed into this run's deadline in a burst
            self._ticker_sync()
            return INLINE_TICKS_BUSY
        return INLINE_TICKS_IDLE

    def end(self) -> None:
        self.active = 0

    def _loop(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            last_active, last_seq, since_cpu = 0, self.seq, 0
            quiet_since = time.monotonic()
            while True:
                time.sleep(PERIOD_S)
                active, seq = self.active, self.seq
                if active and active != last_active:
                    since_cpu = _cpu_ns(self.thread)  # first look at this run
                elif active and not self._ticker_awake() and \
                        _cpu_ns(self.thread) - since_cpu >= CPU_LIMIT_NS and \
                        self.active == active:
                    self._increment()  # the same run, using the CPU: trip its deadline
                    self.trips += 1
                if active or seq != last_seq:
                    quiet_since = time.monotonic()
                elif time.monotonic() - quiet_since > _IDLE_AFTER_S:
                    break
                last_active, last_seq = active, seq
            self._asleep = True
            if self.active:  # a run began while we were deciding to sleep
                self._asleep = False
                self._wake.set()
