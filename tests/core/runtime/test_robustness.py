"""1,000 consecutive failing requests leave the process healthy and its memory flat."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from tests.core.runtime.handlers import edge
from workbench.core.http import Request
from workbench.core.runtime.limits import Limits

LOOP = edge("(loop $l (br $l)) (i32.const 0)")
TRAP = edge("(unreachable)")
ECHO = edge("(call $echo (local.get $p) (local.get $n))")


def rss_bytes() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096


def test_thousand_failures_memory_flat(make) -> None:
    fuel = make(LOOP, limits=Limits(fuel=2_000))
    trap = make(TRAP)
    ok = make(ECHO)
    for _ in range(100):  # warm-up: caches, allocator pools
        fuel.run(Request(), "warm")
        trap.run(Request(), "warm")
    rss0 = rss_bytes()
    tracemalloc.start()
    snap0 = tracemalloc.take_snapshot()
    kinds = set()
    for i in range(1000):
        h = fuel if i % 2 else trap
        kinds.add(h.run(Request(), "warm").error.kind)  # type: ignore[union-attr]
    snap1 = tracemalloc.take_snapshot()
    tracemalloc.stop()
    py_growth = sum(s.size_diff for s in snap1.compare_to(snap0, "filename"))
    rss_growth = rss_bytes() - rss0
    assert kinds == {"fuel", "trap"}
    assert py_growth < 1_000_000, py_growth
    assert rss_growth < 32 * 1024 * 1024, rss_growth
    r = ok.run(Request(body=b"still fine"), "warm")
    assert r.error is None and r.response.body.endswith(b"still fine")  # type: ignore[union-attr]


def test_thousand_timeouts_memory_flat(make) -> None:
    """1,000 consecutive timeouts (1 ms each, about 2 s): same health checks as above."""
    h = make(LOOP, limits=Limits(timeout_ms=1, fuel=10**12))
    for _ in range(50):  # warm-up
        h.run(Request(), "warm")
    rss0 = rss_bytes()
    tracemalloc.start()
    snap0 = tracemalloc.take_snapshot()
    kinds = [h.run(Request(), "warm").error.kind  # type: ignore[union-attr]
             for _ in range(1000)]
    snap1 = tracemalloc.take_snapshot()
    tracemalloc.stop()
    py_growth = sum(s.size_diff for s in snap1.compare_to(snap0, "filename"))
    assert set(kinds) == {"timeout"}
    assert py_growth < 1_000_000, py_growth
    assert rss_bytes() - rss0 < 32 * 1024 * 1024
    r = make(ECHO).run(Request(body=b"after"), "warm")
    assert r.error is None and r.response.body.endswith(b"after")  # type: ignore[union-attr]
