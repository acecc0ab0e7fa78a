"""The purity check on inline-WAT handlers whose impurity is known by construction."""

from __future__ import annotations

import pytest

from tests.core.replay_wat import fixed_handler, http
from tests.core.runtime.handlers import edge
from workbench.core.http import Request
from workbench.core.purity.check import check_purity
from workbench.core.purity.instrument import export_globals
from workbench.core.wasm.reader import parse_module

REQS = [("a", Request(target="/a")), ("b", Request(target="/bb")),
        ("c", Request(method="POST", target="/c", body=b"xyz"))]
ANSWER = "(call $out (i32.const 0) (i32.const 7)) (call $finish (i32.const 1))"
HITS = "(global $hits (mut i32) (i32.const 0))"
BUMP = "(global.set $hits (i32.add (global.get $hits) (i32.const 1)))"


def test_a_pure_handler_is_safe() -> None:
    r = check_purity(edge(ANSWER), REQS, growth_requests=8)
    assert r.safe and r.verdict == "safe to reuse and snapshot"
    assert not r.state and not r.order_dependent and r.growth is not None
    assert r.growth.slope == 0 and not r.growth.leaks


def test_a_global_counter_is_named_even_when_responses_do_not_show_it() -> None:
    r = check_purity(edge(BUMP + ANSWER, extra=HITS), REQS, growth_requests=4)
    assert not r.safe and not r.order_dependent
    [g] = [s for s in r.state if s.kind == "global"]
    assert g.name == "hits" and g.fresh == "1" and g.warm == "2"
    assert "state carried between requests in hits" in r.verdict


def test_a_response_that_depends_on_request_order() -> None:
    body = BUMP + "(call $out (i32.const 0) (global.get $hits)) (call $finish (i32.const 1))"
    r = check_purity(edge(body, extra=HITS), REQS, growth_requests=4)
    conds = {d.condition for d in r.order_dependent}
    assert conds == {"warm after the others", "warm, reverse order"}
    assert "depend on earlier requests" in r.verdict
    # the first request of each pass runs on a new instance: it matches its fresh answer
    forward = [d.request for d in r.order_dependent if d.condition == "warm after the others"]
    assert forward == ["b", "c"]


def test_memory_state_is_attributed_to_the_named_data_segment() -> None:
    counter = '(data $visits (i32.const 96) "\\00\\00\\00\\00")'
    body = ("(i32.store (i32.const 96) (i32.add (i32.load (i32.const 96)) (i32.const 1)))"
            + ANSWER)
    r = check_purity(edge(body, data=counter), REQS, growth_requests=4)
    [m] = [s for s in r.state if s.kind == "memory"]
    assert m.name == "visits" and m.start == 96 and m.size == 1


def test_a_growing_heap_shows_as_a_slope_per_request() -> None:
    """fixed_handler's `alloc` bumps a pointer and never resets: each request's bytes
    stay behind, so the heap grows by exactly the request's size."""
    req = Request(target="/leak")
    r = check_purity(fixed_handler(http(200, "ok")), [("leak", req)], growth_requests=10)
    assert r.growth is not None and r.growth.leaks
    assert r.growth.slope == pytest.approx(len(req.to_http()))
    assert "leak" in r.verdict and not r.safe


def test_clock_dependence_is_reported_but_not_blamed_on_the_instance() -> None:
    body = "(call $out (i32.const 0) (i32.wrap_i64 (call $now_ms))) (call $finish (i32.const 1))"
    r = check_purity(edge(body, imports=True), REQS[:1], growth_requests=4)
    assert "clock (edge.now_ms)" in r.nondeterminism
    assert [d.condition for d in r.nondeterministic_responses] == ["second fresh run"]
    assert r.safe and not r.state and "change between identical runs" in r.verdict


def test_ignored_headers_are_not_compared() -> None:
    body = BUMP + "(call $out (i32.const 0) (i32.const 1)) (call $finish (i32.const 1))"
    r = check_purity(edge(body, extra=HITS), REQS, ignore_headers=["date"], growth_requests=4)
    assert not r.order_dependent  # the body does not change; the global does
    assert r.to_json()["state"][0]["name"] == "hits"


def test_instrumentation_only_adds_exports() -> None:
    wasm = edge(BUMP + ANSWER, extra=HITS)
    mod = parse_module(wasm)
    out = parse_module(export_globals(wasm, mod, [0]))
    assert [e.name for e in out.exports] == [e.name for e in mod.exports] + ["__wb_global_0"]
    assert out.code_size == mod.code_size
