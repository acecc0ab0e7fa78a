"""Live bench snapshots come from the result's own histograms; public histogram bins."""

from __future__ import annotations

import threading
import time
from unittest import mock

from tests.core.runtime.handlers import edge
from workbench.core.http import Request
from workbench.core.runtime import bench as bench_mod
from workbench.core.runtime.bench import BenchOptions, BenchProgress
from workbench.core.runtime.stats import Histogram

ECHO = edge("(call $echo (local.get $p) (local.get $n))")


def test_live_snapshots_end_with_the_result_figures(make) -> None:
    snaps: list[BenchProgress] = []
    opts = BenchOptions(400, "fresh", live=snaps.append, live_every_s=0.0)
    b = make(ECHO).bench(Request(), opts)
    assert len(snaps) >= 400  # every request (every_s=0) plus the end of the loop
    dones = [s.done for s in snaps]
    assert dones == sorted(dones) and dones[-1] == 400 and snaps[0].total == 400
    last = snaps[-1]
    assert last.phases == b.phases  # the very figures of the result, not a second loop
    assert last.errors == b.errors and last.error_count == 0 and last.faults == b.faults
    assert sum(last.bins) == 400 and last.range_us[0] <= last.range_us[1]
    assert last.mode == "fresh" and last.elapsed_s > 0


def test_cancel_ends_with_a_snapshot_of_what_ran(make) -> None:
    cancel = threading.Event()
    snaps: list[BenchProgress] = []

    def live(s: BenchProgress) -> None:
        snaps.append(s)
        if s.done >= 50:
            cancel.set()

    opts = BenchOptions(10_000, "warm", live=live, live_every_s=0.0)
    b = make(ECHO).bench(Request(), opts, cancel=cancel)
    assert b.cancelled and b.n == snaps[-1].done < 10_000


def test_yield_every_ms_pauses_the_loop(make) -> None:
    h = make(ECHO)
    with mock.patch.object(bench_mod.time, "sleep", wraps=time.sleep) as sleep:
        h.bench(Request(), BenchOptions(300, "warm"))
        without = sleep.call_count  # (other parts of the runtime may sleep too)
        sleep.reset_mock()
        h.bench(Request(), BenchOptions(300, "warm", yield_every_ms=0.0))  # pause every request
        assert sleep.call_count - without >= 299
        assert [c.args for c in sleep.call_args_list].count((bench_mod.YIELD_S,)) >= 299


def test_histogram_bins_and_buckets() -> None:
    h = Histogram()
    assert h.bins(8) == ((), (0.0, 0.0))
    for us in range(1, 1001):
        h.record(float(us))
    counts, (lo, hi) = h.bins(10, 0.0, 100.0)
    assert len(counts) == 10 and sum(counts) == 1000
    assert lo <= 1.01 and 990 <= hi <= 1000
    assert all(80 <= c <= 120 for c in counts)  # uniform in, roughly uniform out
    buckets = h.buckets()
    assert sum(c for _, c in buckets) == 1000
    assert [v for v, _ in buckets] == sorted(v for v, _ in buckets)
    single = Histogram()
    single.record(5.0)
    assert single.bins(4)[0] == (1,)
