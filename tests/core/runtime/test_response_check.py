"""Responses HTTP cannot carry as given are `response` errors naming the field, for every
ABI (the check is in Harness.finish); WAGI stdout over the limit stops the command."""

from __future__ import annotations

import pytest

from tests.core.runtime.handlers import static_response, wagi, wdata
from tests.wat import wat
from workbench.core.http import Request, Response
from workbench.core.runtime.harness import Harness
from workbench.core.runtime.limits import Limits
from workbench.core.runtime.response_check import response_problem


def edge_answer(raw: bytes) -> bytes:
    return wat(f"""(module (memory (export "memory") 2) {static_response(raw)}
  (func (export "alloc") (param i32) (result i32) (i32.const 16384))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 4096)))""")


@pytest.mark.parametrize(("status", "ok"), [
    (100, False), (101, False), (103, False), (199, False), (200, True), (204, True),
    (404, True), (599, True), (600, False), (999, False)])
def test_status_range(status: int, ok: bool) -> None:
    problem = response_problem(Response(status))
    assert (problem is None) == ok
    if not ok:
        assert f"status {status}" in (problem or "")


@pytest.mark.parametrize("name", ["bad name", "x(y)", "x-\u00e9", "", "a:b", "x\r\ny"])
def test_bad_header_names(name: str) -> None:
    problem = response_problem(Response(200, ((name, "v"),)))
    assert problem is not None and "is not a valid HTTP field name" in problem
    assert repr(name) in problem


@pytest.mark.parametrize(("value", "what"), [
    ("b\rSet-Cookie: evil=1", "CR (\\r)"), ("b\nx", "LF (\\n)"), ("a\x00", "NUL (\\0)"),
    ("a\x01", "control character U+0001"), ("a\x7f", "control character U+007F"),
    ("\x1b[31m", "control character U+001B")])
def test_control_characters_in_values(value: str, what: str) -> None:
    problem = response_problem(Response(200, (("x-a", "1"), ("x-bad", value))))
    assert problem is not None
    assert problem.startswith(f"header 'x-bad' has {what} at character ")
    assert "response splitting" in problem


@pytest.mark.parametrize("value", ["a\tb", "h\u00e9llo \u2603", "", "x" * 10_000])
def test_sendable_values(value: str) -> None:
    assert response_problem(Response(200, (("x-a", value),))) is None


def test_a_long_value_is_quoted_short() -> None:
    problem = response_problem(Response(200, (("x-a", "a" * 100_000 + "\r"),)))
    assert problem is not None and len(problem) < 400 and "(100,001 characters)" in problem


def test_edge_response_splitting_is_an_error_every_time() -> None:
    h = Harness(edge_answer(b"HTTP/1.1 200 OK\r\nx-a: b\rSet-Cookie: evil=1\r\n"
                            b"content-length: 2\r\n\r\nhi"))
    for mode in ("warm", "warm", "fresh"):  # the static answer is cached per instance
        r = h.run(Request("GET", "/"), mode)
        assert r.response is None and r.error is not None
        assert r.error.kind == "response" and "header 'x-a' has CR" in r.error.message


def test_edge_interim_status_is_an_error() -> None:
    r = Harness(edge_answer(b"HTTP/1.1 101 Switching Protocols\r\n\r\n")).run(
        Request("GET", "/"), "warm")
    assert r.error is not None and r.error.kind == "response"
    assert "status 101 is an interim (1xx) status" in r.error.message


def test_edge_chunked_transfer_encoding_is_an_error() -> None:
    r = Harness(edge_answer(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                            b"5\r\nhello\r\n0\r\n\r\n")).run(Request("GET", "/"), "warm")
    assert r.error is not None and r.error.kind == "response"
    assert "transfer-encoding header" in r.error.message


def test_204_with_a_body_is_sent_without_it_and_says_so() -> None:
    h = Harness(edge_answer(b"HTTP/1.1 204 No Content\r\n\r\nhello"))
    for _ in range(2):  # every request, not just the first of a static answer
        r = h.run(Request("GET", "/"), "warm")
        assert r.error is None and r.response is not None and r.response.status == 204
        assert [ln.message for ln in r.logs] == [
            "[workbench] a 204 response has no body: the 5 bytes the handler wrote "
            "are not sent"]


CGI_HEAD = b"Content-Type: text/plain\rSet-Cookie: evil=1\n\nhello\n"


def test_wagi_response_splitting_is_an_error() -> None:
    mod = wagi(f"(call $write (i32.const 100) (i32.const {len(CGI_HEAD)}))",
               data=wdata(100, CGI_HEAD))
    r = Harness(mod).run(Request("GET", "/"), "fresh")
    assert r.error is not None and r.error.kind == "response"
    assert "header 'Content-Type' has CR (\\r)" in r.error.message


def test_wagi_endless_stdout_is_response_too_large_not_a_timeout() -> None:
    """The write over the limit fails (EFBIG); a command that ignores it and loops runs
    into its fuel, and the run names the cause."""
    head = b"Content-Type: text/plain\n\n"
    mod = wagi(f"(call $write (i32.const 100) (i32.const {len(head)}))"
               "(loop $l (call $write (i32.const 4096) (i32.const 60000)) (br $l))",
               data=wdata(100, head))
    r = Harness(mod, limits=Limits(timeout_ms=60_000, fuel=200_000,
                                   max_response_bytes=100_000)).run(Request("GET", "/"),
                                                                    "fresh")
    assert r.error is not None and r.error.kind == "response_too_large"
    assert "stdout exceeded 100,000 bytes" in r.error.message


def test_a_big_response_is_not_kept_after_the_run() -> None:
    """The check remembers the last small answer (static ones are reused); a big one must
    not stay in memory until the next request (a 200 MB answer did)."""
    import gc
    import tracemalloc

    head = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\n"
    escaped = "".join(f"\\{b:02x}" for b in head)
    h = Harness(wat(f"""(module (memory (export "memory") 40)
  (data (i32.const 16) "{escaped}")
  (func (export "alloc") (param i32) (result i32) (i32.const 2000000))
  (func (export "handle") (param i32 i32) (result i32)
    (i32.store (i32.const 12) (i32.const {len(head) + 1_000_000})) (i32.const 12)))"""))
    h.check()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        r = h.run(Request("GET", "/"), "warm")
        assert r.error is None and r.response is not None
        assert len(r.response.body) == 1_000_000
        del r
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 500_000, f"{kept:,} bytes still allocated after the run"
