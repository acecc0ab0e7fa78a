"""The inline watchdog stops a run that uses the loop thread's CPU, not one whose thread
is merely descheduled or waiting (on a loaded machine a 20 us handler call is often
paused for milliseconds: counted in wall time, that tripped runs of a no-op handler)."""

from __future__ import annotations

import threading
import time

from workbench.core.runtime.watchdog import (
    CPU_LIMIT_S,
    INLINE_TICKS_BUSY,
    INLINE_TICKS_IDLE,
    PERIOD_S,
    InlineWatchdog,
)


def _run(dog: InlineWatchdog, body: object) -> None:
    def go() -> None:
        dog.begin()
        try:
            body()  # type: ignore[operator]
        finally:
            dog.end()

    t = threading.Thread(target=go)
    t.start()
    t.join(10)


def _dog() -> tuple[InlineWatchdog, list[int]]:
    trips: list[int] = []
    return InlineWatchdog(lambda: trips.append(1), lambda: False), trips


def test_a_run_that_waits_without_cpu_is_not_stopped() -> None:
    dog, trips = _dog()
    _run(dog, lambda: time.sleep(5 * PERIOD_S))  # 100 ms descheduled, ~0 CPU
    assert trips == [] and dog.trips == 0


def test_a_run_that_burns_cpu_is_stopped() -> None:
    dog, trips = _dog()

    def spin() -> None:
        end = time.thread_time() + 4 * PERIOD_S + CPU_LIMIT_S  # CPU time of this thread
        while time.thread_time() < end and not trips:
            pass

    _run(dog, spin)
    assert trips and dog.trips >= 1


def test_no_stop_while_the_ticker_runs() -> None:
    trips: list[int] = []
    dog = InlineWatchdog(lambda: trips.append(1), lambda: True)  # ticker awake

    def spin() -> None:
        end = time.thread_time() + 4 * PERIOD_S + CPU_LIMIT_S
        while time.thread_time() < end:
            pass

    _run(dog, spin)
    assert trips == []  # the run's deadline is the ticker's to trip (INLINE_TICKS_BUSY)


def test_a_run_begun_while_the_ticker_runs_drops_the_ticks_it_owes() -> None:
    """A starved ticker replays owed ticks in a burst; an inline run begun meanwhile must
    not count them (it read 'time' about once every 10,000 no-op runs in a tight loop)."""
    synced: list[int] = []
    awake = [True]
    dog = InlineWatchdog(lambda: None, lambda: awake[0], lambda: synced.append(1))
    assert dog.begin() == INLINE_TICKS_BUSY and synced == [1]
    dog.end()
    awake[0] = False
    assert dog.begin() == INLINE_TICKS_IDLE and synced == [1]
    dog.end()


def test_the_real_ticker_counts_from_a_sync() -> None:
    from workbench.core.runtime import engine

    tick = engine.ticker()
    before = time.monotonic()
    tick.sync()
    assert tick.sync_at >= before
