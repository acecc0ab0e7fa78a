"""The WASI 0.2 host objects on their own (no wasm): fields, streams, pollables, bodies,
the request/response conversion and the error classification."""

from __future__ import annotations

import time

import pytest

from workbench.core.http import Request
from workbench.core.runtime.component.convert import incoming, response
from workbench.core.runtime.component.failures import backtrace, cause, classify
from workbench.core.runtime.component.fields import Fields
from workbench.core.runtime.component.http import OutgoingBody, OutgoingResponse
from workbench.core.runtime.component.outbound import Outbound
from workbench.core.runtime.component.session import set_session
from workbench.core.runtime.component.state import (
    ComponentState,
    GuestExit,
    HostTimeout,
    Unavailable,
)
from workbench.core.runtime.component.wasi import InputStream, OutputStream, Pollable
from workbench.core.runtime.limits import Limits


@pytest.fixture
def state():
    logs: list[tuple[str, str, str]] = []
    st = ComponentState(lambda *a: logs.append(a), Outbound(), 10)
    st.logs = logs  # type: ignore[attr-defined]
    set_session(st)
    yield st
    set_session(None)


def test_fields_are_case_insensitive_and_validated() -> None:
    f = Fields([("Content-Type", b"text/plain")])
    assert f.get("content-type") == [b"text/plain"] and f.has("CONTENT-TYPE")
    assert f.append("x-a", b"1") == ("ok", None) and f.append("X-A", b"2") == ("ok", None)
    assert f.get("x-a") == [b"1", b"2"]
    assert f.set("x-a", [b"3"]) == ("ok", None) and f.get("X-a") == [b"3"]
    assert f.delete("x-a") == ("ok", None) and not f.has("x-a")
    assert f.append("bad name", b"v") == ("err", ("invalid-syntax", None))
    assert f.append("ok", b"line\nbreak") == ("err", ("invalid-syntax", None))
    assert Fields.from_list([("a b", b"")]) == ("err", ("invalid-syntax", None))
    frozen = Fields([("a", b"1")], immutable=True)
    assert frozen.set("a", [b"2"]) == ("err", ("immutable", None))
    assert frozen.clone().set("a", [b"2"]) == ("ok", None)  # a clone is mutable


def test_input_stream_reads_then_closes() -> None:
    s = InputStream(b"abcdef")
    assert s.read(4) == ("ok", b"abcd") and s.read(4) == ("ok", b"ef")
    assert s.read(4) == ("err", ("closed", None))
    assert InputStream(b"xyz").skip(2) == ("ok", 2)


def test_outgoing_body_limit_fails_the_write(state) -> None:
    body = OutgoingBody(limit=5)
    tag, stream = body.write()
    assert tag == "ok" and body.write() == ("err", None)  # one stream per body
    assert stream.write(b"1234") == ("ok", None)
    tag, err = stream.write(b"56")
    assert tag == "err" and err[0] == "last-operation-failed" and body.overflow
    assert stream.write(b"") == ("err", ("closed", None))
    assert bytes(body.data) == b"1234"


def test_stdout_lines_become_log_lines(state) -> None:
    out = OutputStream(lambda data: state.emit("stdout", data))
    out.write(b"one\ntw")
    out.write(b"o\n\nthree")
    state.flush_lines()
    assert state.logs == [("info", "one", "stdout"), ("info", "two", "stdout"),
                          ("info", "three", "stdout")]


def test_clock_pollable_blocks_until_ready_but_not_past_the_deadline(state) -> None:
    state.begin(timeout_s=0.05)
    p = Pollable(time.monotonic() + 0.01)
    assert not p.ready()
    p.block()
    assert p.ready()
    with pytest.raises(HostTimeout):
        Pollable(time.monotonic() + 5).block()


def test_request_and_response_conversion(state) -> None:
    req = incoming(Request("PURGE", "/a?b=1", (("Host", "ex.test"), ("X", "é")), b"body"))
    assert req.method == ("other", "PURGE") and req.path == "/a?b=1"
    assert req.authority == "ex.test" and req.headers.get("x") == ["é".encode()]
    bare = incoming(Request("get", "/"))
    assert bare.method == ("get", None) and bare.authority == "localhost"  # no Host header
    out = OutgoingResponse(Fields([("content-type", b"text/plain")]))
    out.set_status(404)
    tag, body = out.take_body()
    body.data += b"nope"
    r = response(out)
    assert (r.status, r.reason, r.body, r.headers) == (404, "Not Found", b"nope",
                                                        (("content-type", "text/plain"),))


def test_classify() -> None:
    limits = Limits(timeout_ms=7, fuel=99)
    text = ("error while executing at wasm backtrace:\n    0:  0x7e2 - <unknown>!hi\n"
            "    1:  0x874 - <unknown>!<wasm function 15>\n\nCaused by:\n"
            "    wasm trap: wasm `unreachable` instruction executed\n")
    assert backtrace(text) == ("hi @ 0x7e2", "<wasm function 15> @ 0x874")
    assert cause(text) == "wasm trap: wasm `unreachable` instruction executed"
    err = Exception(text)
    assert classify(err, None, limits).kind == "trap"
    assert classify(Exception("wasm trap: interrupt"), None, limits).kind == "timeout"
    assert classify(Exception("all fuel consumed by WebAssembly"), None, limits).kind == "fuel"
    assert classify(err, GuestExit(3), limits).message.endswith("status 3")
    assert classify(err, Unavailable("x#y is not available in the workbench"),
                    limits).message == "x#y is not available in the workbench"
    assert classify(err, KeyError("k"), limits).kind == "host"
