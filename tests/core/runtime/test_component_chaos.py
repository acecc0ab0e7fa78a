"""Chaos `latency_ms` on a component's host calls (runtime/component/state.py chaos_delay).

The KV component (`kv_wat/kv.component.wat`, see test_component_kv.py) calls, per request:
wasi:keyvalue set (kv_put) and get (kv_get), wasi:config get and spin variables get
(secret_get twice), spin key-value get (kv_get). Timings are only ever bounded from below.
"""

from __future__ import annotations

import threading
import time

import pytest

from tests.core.runtime.test_component_kv import SECRETS, component, lines
from workbench.core.http import Request
from workbench.core.runtime.bench import BenchOptions
from workbench.core.runtime.chaos import ChaosState
from workbench.core.runtime.component.fields import Fields
from workbench.core.runtime.component.http import HTTP, OutgoingRequest
from workbench.core.runtime.component.outbound import Outbound, Stub
from workbench.core.runtime.component.session import set_session
from workbench.core.runtime.component.state import ComponentState, HostTimeout
from workbench.core.runtime.hostfns import HostState
from workbench.core.runtime.kv import KvStore
from workbench.core.runtime.limits import Chaos, Limits

LATENCY = {"kv_get": 30.0, "kv_put": 20.0, "secret_get": 10.0}
ORDER = ("latency:kv_put:20ms", "latency:kv_get:30ms", "latency:secret_get:10ms",
         "latency:secret_get:10ms", "latency:kv_get:30ms")


@pytest.mark.parametrize("mode", ["cold", "fresh", "warm"])
def test_latency_delays_every_kv_and_config_call_and_is_recorded(make, mode: str) -> None:
    store = KvStore(None)
    store.put(b"greeting", b"hello kv")
    h = make(component(), kv=store, secrets=SECRETS, chaos=Chaos(latency_ms=LATENCY))
    r = h.run(Request("GET", "/"), mode)
    assert r.error is None and r.response is not None and r.response.body == b"hi\n"
    assert lines(r)[:4] == ["kv=hello kv", "token=[redacted:API_TOKEN]",
                            "var=[redacted:API_TOKEN]", "spin=written"]
    assert r.faults == ORDER  # one fault per delayed call, named as for edge host calls
    assert r.timing["handler"] >= (20 + 30 + 10 + 10 + 30) * 1000  # us; never an upper bound
    assert r.timing["host"] >= 100 * 1000


def test_star_latency_applies_to_every_named_call_and_failures_still_apply(make) -> None:
    h = make(component(), kv=KvStore(None), secrets=SECRETS,
             chaos=Chaos(latency_ms={"*": 2}, kv_failure_rate=1.0))
    r = h.run(Request("GET", "/"), "warm")
    assert r.error is None
    assert [f for f in r.faults if f.startswith("latency:")] == [
        "latency:kv_put:2ms", "latency:kv_get:2ms", "latency:secret_get:2ms",
        "latency:secret_get:2ms", "latency:kv_get:2ms"]
    # the latency comes first, then the failure, as for edge host calls
    assert r.faults[:2] == ("latency:kv_put:2ms", "fail:kv_put")


def test_the_timeout_wins_over_a_long_latency(make) -> None:
    h = make(component(), kv=KvStore(None), secrets=SECRETS,
             chaos=Chaos(latency_ms={"kv_get": 5000}), limits=Limits(timeout_ms=100))
    r = h.run(Request("GET", "/"), "warm")
    assert r.response is None and r.error is not None and r.error.kind == "timeout"
    # the sleep itself stopped at the deadline (a full 5 s sleep would end in the epoch
    # interrupt after it, without this text)
    assert r.error.message.endswith("(during chaos latency kv_get=5000ms)"), r.error.message
    assert r.faults == ("latency:kv_get:5000ms",)
    # the poisoned warm instance is replaced; the next request (no latency) answers
    h.chaos.chaos = Chaos()
    assert h.run(Request("GET", "/"), "warm").error is None


def _in_thread(fn, h) -> tuple[threading.Thread, list]:
    out: list = []
    t = threading.Thread(target=lambda: out.append(fn()))
    t.start()
    for _ in range(1200):  # poll state, never a fixed sleep: the fault is recorded first
        if h.chaos.faults:
            break
        time.sleep(0.05)
    assert h.chaos.faults == ["latency:kv_put:60000ms"]
    return t, out


def test_a_cancelled_bench_ends_a_latency_sleep(make) -> None:
    h = make(component(), kv=KvStore(None), secrets=SECRETS,
             chaos=Chaos(latency_ms={"kv_put": 60_000}), limits=Limits(timeout_ms=60_000))
    cancel = threading.Event()
    t, out = _in_thread(lambda: h.bench(Request("GET", "/"), BenchOptions(n=3), cancel), h)
    cancel.set()
    t.join(30)  # a liveness guard for the 60 s sleep, not a timing assertion
    assert not t.is_alive() and out[0].cancelled


def test_the_cancel_event_ends_the_sleep_as_a_timeout(make) -> None:
    h = make(component(), kv=KvStore(None), secrets=SECRETS,
             chaos=Chaos(latency_ms={"kv_put": 60_000}), limits=Limits(timeout_ms=60_000))
    cancel = h.host_state.cancel = threading.Event()  # what Harness.bench sets
    t, out = _in_thread(lambda: h.run(Request("GET", "/"), "fresh"), h)
    cancel.set()
    t.join(30)
    assert not t.is_alive()
    [r] = out
    assert r.error is not None and r.error.kind == "timeout"
    assert "the bench was cancelled during chaos latency kv_put=60000ms" in r.error.message
    assert r.faults == ("latency:kv_put:60000ms",)


@pytest.fixture
def session():
    """A component session over a host state whose chaos the test sets."""
    hs = HostState(KvStore(None), SECRETS, ChaosState(Chaos()), Limits())
    st = ComponentState(lambda *a: None, Outbound((Stub("https://api.test/*", 201),)), 10,
                        lambda: hs)
    set_session(st)
    yield st, hs
    set_session(None)


def _fetch() -> object:
    req = OutgoingRequest(Fields([]))
    req.authority, req.path = "api.test", "/v1"
    return HTTP["wasi:http/outgoing-handler"]["handle"](req, None)


def test_outgoing_http_uses_http_fetch_latency(session) -> None:
    st, hs = session
    hs.chaos = ChaosState(Chaos(latency_ms={"http_fetch": 15, "kv_get": 99}))
    st.begin(timeout_s=5)
    t0 = time.monotonic()
    tag, _future = _fetch()
    assert tag == "ok" and time.monotonic() - t0 >= 0.015
    assert hs.chaos.faults == ["latency:http_fetch:15ms"]
    assert list(st.outbound.calls) == ["https://api.test/v1"]


def test_outgoing_http_latency_past_the_deadline_raises_host_timeout(session) -> None:
    st, hs = session
    hs.chaos = ChaosState(Chaos(latency_ms={"http_fetch": 5000}))
    st.begin(timeout_s=0.05)
    with pytest.raises(HostTimeout, match="during chaos latency http_fetch=5000ms"):
        _fetch()
    assert hs.chaos.faults == ["latency:http_fetch:5000ms"]
    assert list(st.outbound.calls) == []  # the stub was never asked


def test_no_latency_no_fault_and_no_host_state(session) -> None:
    st, hs = session
    st.begin(timeout_s=5)
    assert _fetch()[0] == "ok" and hs.chaos.faults == []
    bare = ComponentState(lambda *a: None, Outbound(), 10)  # a runtime without a harness
    bare.chaos_delay("kv_get")  # nothing to delay, nothing to record
