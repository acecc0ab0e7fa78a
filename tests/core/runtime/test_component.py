"""wasi:http/proxy components through the Harness: modes, limits, logs, failures.

The components are component-model text (components.py), so these run without
componentize-py; test_component_py.py runs the real componentize-py sample when the tool
is installed.
"""

from __future__ import annotations

import pytest

from tests.core.runtime.components import HI, LOOP, NO_RESPONSE, TRAP, UNAVAILABLE, proxy
from workbench.core.http import Request
from workbench.core.runtime.component.outbound import Outbound, Stub
from workbench.core.runtime.limits import Limits

REQ = Request("GET", "/x?y=1", (("Host", "ex.test"),))


@pytest.mark.parametrize("mode", ["cold", "fresh", "warm"])
def test_hi_answers_in_every_mode(make, mode: str) -> None:
    h = make(proxy(HI))
    assert h.check().name == "wasi-http"
    r = h.run(REQ, mode)
    assert r.error is None, r.error
    assert r.abi == "wasi-http" and r.mode == mode
    assert r.response is not None
    assert (r.response.status, r.response.reason, r.response.body) == (200, "OK", b"hi\n")
    assert [(ln.level, ln.message, ln.source) for ln in r.logs] == [
        ("info", "said hi path=/x?y=1", "stdout")]
    assert r.logs[0].fields is None  # "said hi path=..." is not all key=value pairs
    assert r.fuel > 0
    assert {"handler", "host", "total"} <= set(r.timing)
    assert r.timing["host"] <= r.timing["handler"] <= r.timing["total"]


def test_cold_uses_the_compiled_cache(make) -> None:
    h = make(proxy(HI))
    first, second = h.run(REQ, "cold"), h.run(REQ, "cold")
    assert (first.cache, second.cache) == ("miss", "hit")
    assert "compile" in first.timing and "link" in first.timing
    assert "cache_load" in second.timing and "link" not in second.timing
    assert second.response == first.response
    fresh_harness = make(proxy(HI))  # same cache dir: a new harness loads, never compiles
    assert fresh_harness.run(REQ, "cold").cache == "hit"


def test_warm_reuses_one_instance_and_fresh_does_not(make) -> None:
    h = make(proxy(HI))
    h.check()
    runs = [h.run(REQ, "warm") for _ in range(3)]
    assert ["instantiate" in r.timing for r in runs] == [True, False, False]
    assert all("instantiate" in h.run(REQ, "fresh").timing for _ in range(2))


def test_trap_is_an_error_value_and_the_next_request_is_clean(make) -> None:
    h = make(proxy(TRAP))
    r = h.run(REQ, "warm")
    assert r.response is None and r.error is not None
    assert r.error.kind == "trap"
    assert "unreachable" in r.error.message
    assert r.error.backtrace  # wasmtime's frames, e.g. "handle @ 0x..."
    again = h.run(REQ, "warm")
    assert again.error is not None and again.error.kind == "trap"
    assert "instantiate" in again.timing  # the poisoned instance was thrown away


@pytest.mark.parametrize("mode", ["fresh", "warm"])
def test_endless_loop_times_out(make, mode: str) -> None:
    h = make(proxy(LOOP), limits=Limits(timeout_ms=30, fuel=2**62))
    r = h.run(REQ, mode)
    assert r.error is not None and r.error.kind == "timeout", r.error
    assert "30 ms" in r.error.message
    assert 30_000 <= r.timing["handler"] < 2_000_000


def test_endless_loop_runs_out_of_fuel(make) -> None:
    h = make(proxy(LOOP), limits=Limits(timeout_ms=10_000, fuel=200_000))
    r = h.run(REQ, "warm")
    assert r.error is not None and r.error.kind == "fuel", r.error
    assert r.fuel >= 200_000 - 1


def test_no_response_is_reported(make) -> None:
    r = make(proxy(NO_RESPONSE)).run(REQ, "fresh")
    assert r.error is not None and r.error.kind == "response"
    assert "response-outparam.set" in r.error.message


def test_unavailable_import_is_a_named_trap(make) -> None:
    r = make(proxy(UNAVAILABLE)).run(REQ, "fresh")
    assert r.error is not None and r.error.kind == "trap"
    assert r.error.message == ("wasi:http/outgoing-handler#frobnicate is not available in "
                               "the workbench")


def test_many_warm_requests_do_not_grow_the_host_table(make) -> None:
    h = make(proxy(HI))
    h.run(REQ, "warm")
    warm = h.component_runtime().warm
    assert warm is not None
    sizes = []
    for i in range(1100):
        r = h.run(REQ, "warm")
        assert r.error is None
        if i % 100 == 0:
            sizes.append(len(warm.state.objects))
    assert h.component_runtime().warm is warm  # one instance served all of them
    assert max(sizes) <= 2, sizes  # every handle the guest dropped left the table


def test_response_body_limit(make) -> None:
    r = make(proxy(HI), limits=Limits(max_response_bytes=2)).run(REQ, "fresh")
    assert r.error is not None and r.error.kind == "response_too_large"


def test_outbound_stub_patterns() -> None:
    from workbench.core.runtime.component.fields import Fields
    from workbench.core.runtime.component.http import OutgoingRequest

    out = Outbound((Stub("https://api.test/v1/*", 201, (("x", "1"),), b"ok"),
                    Stub("http://down.test/*", error="connection-refused")))
    req = OutgoingRequest(Fields())
    req.scheme, req.authority, req.path = ("HTTPS", None), "api.test", "/v1/users?id=3"
    assert out.answer(req) == ("ok", (201, [("x", b"1")], b"ok"))
    req.scheme, req.authority = ("HTTP", None), "down.test"
    assert out.answer(req) == ("err", ("connection-refused", None))
    assert list(out.calls) == ["https://api.test/v1/users?id=3",
                              "http://down.test/v1/users?id=3"]


def test_component_detection_and_core_modules_unchanged(make) -> None:
    from tests.core.runtime.handlers import edge, static_response, wagi
    from workbench.core.runtime.component.detect import is_component

    assert is_component(proxy(HI))
    assert is_component(b"  (component)") and not is_component(b"(module)")
    assert not is_component(b"\0asm\x01\0\0\0")
    ok = edge("(i32.const 4096)", data=static_response(b"HTTP/1.1 200 OK\r\n\r\nok"))
    assert make(ok).run(REQ, "warm").abi == "edge"
    assert make(wagi("")).run(REQ, "fresh").abi == "wagi"


def test_memory_and_table_limits_apply_to_components(make) -> None:
    r = make(proxy(HI), limits=Limits(memory_bytes=1000)).run(REQ, "fresh")
    assert r.error is not None and r.error.kind == "memory"
    assert "limits.memory_bytes" in r.error.message
    r = make(proxy(HI), limits=Limits(table_elements=1)).run(REQ, "warm")
    assert r.error is not None and r.error.kind == "instantiate"
    assert "table" in r.error.message
    assert make(proxy(HI), limits=Limits(memory_bytes=65536)).run(REQ, "fresh").error is None
