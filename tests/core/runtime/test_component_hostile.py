"""Hostile wasi:http components through the Harness: a status HTTP cannot send, a body
written for ever, and a handler that never drops its resources (a warm store would keep
them all: the instance is replaced past MAX_LIVE_HANDLES)."""

from __future__ import annotations

import pytest

from tests.core.runtime.components import proxy
from workbench.core.http import Request
from workbench.core.runtime.component.proxy import MAX_LIVE_HANDLES
from workbench.core.runtime.limits import Limits

REQ = Request("GET", "/", (("Host", "ex.test"),))

# Answers with a body stream, never dropping $req; STATUS and then WRITE are spliced in.
SETUP = """(local $resp i32) (local $body i32) (local $stream i32)
    (local.set $resp (call $resp_new (call $fields_new)))
    STATUS
    (call $resp_body (local.get $resp) (i32.const 0))
    (local.set $body (i32.load (i32.const 4)))
    (call $body_write (local.get $body) (i32.const 0))
    (local.set $stream (i32.load (i32.const 4)))
    (call $set (local.get $out) (i32.const 0) (local.get $resp) (i32.const 0) (i32.const 0)
               (i32.const 0))
    WRITE"""
ANSWER = ("(call $write (local.get $stream) (i32.const 16) (i32.const 3) (i32.const 0))"
          "(call $drop_stream (local.get $stream))"
          "(call $body_finish (local.get $body) (i32.const 0) (i32.const 0) (i32.const 0))")
ENDLESS = ("(loop $l (call $write (local.get $stream) (i32.const 0) (i32.const 60000)"
           " (i32.const 0)) (br $l))")


def handler(status: int | None = None, write: str = ANSWER) -> bytes:
    set_status = (f"(drop (call $set_status (local.get $resp) (i32.const {status})))"
                  if status is not None else "")
    return proxy(SETUP.replace("STATUS", set_status).replace("WRITE", write))


@pytest.mark.parametrize("status", [101, 103, 999])
def test_a_status_http_cannot_send_is_a_response_error(make, status: int) -> None:
    r = make(handler(status)).run(REQ, "warm")
    assert r.response is None and r.error is not None and r.error.kind == "response"
    assert r.error.message.startswith(f"status {status} ")


def test_a_body_written_for_ever_is_response_too_large(make) -> None:
    h = make(handler(write=ENDLESS), limits=Limits(timeout_ms=500, fuel=2_000_000,
                                                   max_response_bytes=200_000))
    r = h.run(REQ, "warm")
    assert r.error is not None and r.error.kind == "response_too_large", r.error
    assert h.run(Request("GET", "/again"), "warm").error is not None  # still answers


def test_leaked_handles_replace_the_warm_instance(make) -> None:
    h = make(handler())  # never drops its incoming-request: one live handle a request
    warned = []
    for i in range(MAX_LIVE_HANDLES + 5):
        r = h.run(REQ, "warm")
        assert r.error is None and r.response is not None and r.response.body == b"hi\n"
        if any("resource handles it never dropped" in ln.message for ln in r.logs):
            warned.append(i)
            nxt = h.run(REQ, "warm")
            assert "instantiate" in nxt.timing  # a new instance, with an empty table
            break
    assert warned and warned[0] >= MAX_LIVE_HANDLES - 10
