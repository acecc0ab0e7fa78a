"""Hooks run before the module; bench percentiles, progress, cancel, overhead."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.core.runtime.handlers import edge
from workbench.core.http import Request, Response
from workbench.core.runtime.bench import BenchOptions

ECHO = edge("(call $echo (local.get $p) (local.get $n))")


@dataclass
class FakeOutcome:
    response: Response | None
    request: Request | None
    elapsed_us: float = 1.5
    trace: list[Any] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"rule": "r", "terminated": self.response is not None}


class FakeHooks:
    def __init__(self, answer: bool):
        self.answer = answer

    def evaluate(self, request: Request) -> FakeOutcome:
        if self.answer:
            return FakeOutcome(Response(204), None)
        return FakeOutcome(None, request.with_headers((("x-flag", "on"),)))


def test_terminating_hook_never_touches_module(make) -> None:
    h = make(b"not even wasm")
    r = h.run(Request(), "cold", hooks=FakeHooks(True))
    assert r.error is None and r.response == Response(204)
    assert r.hook == {"rule": "r", "terminated": True} and r.abi == "hook"
    assert r.timing["hooks"] == 1.5 and h._module is None


def test_non_terminating_hook_changes_request(make) -> None:
    r = make(ECHO).run(Request(), "fresh", hooks=FakeHooks(False))
    assert r.error is None and b"x-flag: on" in r.response.body  # type: ignore[union-attr]
    assert r.hook == {"rule": "r", "terminated": False} and "hooks" in r.timing


def test_bench_phases_progress_overhead(make) -> None:
    seen: list[tuple[int, int]] = []
    opts = BenchOptions(300, "warm", progress=lambda d, n: seen.append((d, n)))
    b = make(ECHO).bench(Request(), opts)
    assert b.n == 300 and b.mode == "warm" and not b.cancelled
    assert set(b.phases) == {"handler", "total"}  # warm samples have no instantiate
    t = b.phases["total"]
    assert t.count == 300 and t.p50 <= t.p90 <= t.p99 <= t.p999 <= t.max
    assert seen[-1] == (300, 300)
    assert b.reference_us is not None and b.reference_us > 0
    assert b.overhead_us == b.phases["total"].p50 - b.reference_us
    doc = b.to_json()
    assert doc["total"]["p999"] == round(t.p999, 2) and doc["n"] == 300
    # the harness's own work per request: total minus the guest's handler call
    assert b.around_guest is not None and b.around_guest.count == 300
    assert b.around_guest_us == b.around_guest.p50
    assert 0 < b.around_guest.p50 <= t.p50
    assert doc["around_guest"]["p50"] == round(b.around_guest.p50, 2)


def test_bench_overhead_is_a_warm_figure_only(make) -> None:
    b = make(ECHO).bench(Request(), BenchOptions(30, "fresh"))
    assert b.overhead_us is None and b.reference_us is not None
    assert b.around_guest is not None and b.around_guest.count == 30
    assert b.around_guest.p50 < b.phases["total"].p50  # instantiate + handler excluded
    assert b.to_json()["overhead_us"] is None


def test_bench_around_guest_skips_hook_answers(make) -> None:
    b = make(ECHO).bench(Request(), BenchOptions(10, "warm", hooks=FakeHooks(True)))
    assert b.around_guest is None and b.around_guest_us is None
    assert set(b.phases) == {"hooks", "total"}


def test_bench_fresh_has_instantiate_and_cancel(make) -> None:
    h = make(ECHO)
    assert "instantiate" in h.bench(Request(), BenchOptions(20, "fresh")).phases
    cancel = threading.Event()
    opts = BenchOptions(1000, "fresh", progress=lambda d, n: cancel.set())
    b = h.bench(Request(), opts, cancel=cancel)
    assert b.cancelled and b.n < 1000


def test_bench_counts_errors(make) -> None:
    b = make(edge("(i32.const -1)")).bench(Request(), BenchOptions(10, "warm"))
    assert b.errors == {"handler": 10}


def test_bench_reference_does_not_touch_the_kv_store(make) -> None:
    from tests.core.runtime.handlers import wdata
    from workbench.core.runtime.kv import KvStore

    kv = KvStore(None)
    h = make(edge("(drop (call $kv_put (i32.const 100) (i32.const 2) (i32.const 110) "
                  "(i32.load8_u (i32.const 0)))) (i32.store8 (i32.const 0) "
                  "(i32.add (i32.load8_u (i32.const 0)) (i32.const 1))) "
                  "(call $finish (i32.const 0))",
                  data=wdata(100, b"k1") + wdata(110, b"abcdefghijklmnopqrstuvwxyz"),
                  imports=True), kv=kv)
    b = h.bench(Request(), BenchOptions(5, "fresh"))  # each fresh instance writes 0 bytes
    assert b.reference_us is not None and not b.errors
    assert kv.get(b"k1") == b""  # the reference loop's growing values went to a scratch copy


@pytest.mark.parametrize("mode", ["fresh", "warm"])
def test_first_fresh_or_warm_run_reports_prepare_outside_total(make, mode: str) -> None:
    import time as _time

    h = make(ECHO)
    real = h._ensure

    def slow_ensure(compiled=None):  # type: ignore[no-untyped-def]
        _time.sleep(0.6)
        return real(compiled)

    h._ensure = slow_ensure  # type: ignore[method-assign]
    r = h.run(Request(), mode)
    assert r.error is None and r.timing["prepare"] >= 600_000
    assert r.timing["total"] < 600_000  # the one-time preparation is not the request
    assert "prepare" not in h.run(Request(), mode).timing


def test_first_cold_run_reports_link(make) -> None:
    h = make(ECHO)
    first = h.run(Request(), "cold")
    assert "link" in first.timing and first.cache == "miss"
    again = h.run(Request(), "cold")
    assert "link" not in again.timing and again.cache == "hit"
    assert set(h.bench(Request(), BenchOptions(5, "cold")).phases) == {
        "cache_load", "instantiate", "handler", "total"}
