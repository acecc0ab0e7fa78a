"""Hostile handlers against every limit: tables, store counts, WASI sleeps, logs, bench.

Each test names the finding of issue 15 it pins; none asserts on timing beyond "ended
well within the time the hostile handler asked for" (seconds against milliseconds).
"""
# ruff: noqa: E501  (inline WAT reads better one call per line)

from __future__ import annotations

import time

from tests.core.runtime.handlers import edge, slots, wagi, wdata
from tests.wat import wat
from workbench.core.http import Request
from workbench.core.runtime.bench import BenchOptions
from workbench.core.runtime.limits import Limits

TABLE_GROW = """
  (call $out (i32.const 0) (table.grow $t (ref.null func) (i32.const {n})))
  (call $out (i32.const 1) (table.size $t))
  (call $finish (i32.const 2))
"""


def grow_table(n: int) -> bytes:
    return edge(TABLE_GROW.format(n=n), extra="(table $t 1 funcref)")


def test_table_grow_is_refused_by_the_store_limit(make) -> None:
    """`table.grow 0x7ffffff0` used to take 4 GB of host memory; now it returns -1."""
    for n in (0x7FFFFFF0, 100_000_000):
        h = make(grow_table(n))  # (before: a fuel error after minutes, or 1.4 s past 10 ms)
        r = h.run(Request(), "warm")
        assert r.error is None, r.error
        assert slots(r.response.body) == [-1, 1]  # type: ignore[union-attr]


def test_table_elements_limit_is_configurable(make) -> None:
    h = make(grow_table(500), limits=Limits(table_elements=1000))
    assert slots(h.run(Request()).response.body) == [1, 501]  # type: ignore[union-attr]
    h = make(grow_table(500), limits=Limits(table_elements=100))
    assert slots(h.run(Request()).response.body) == [-1, 1]  # type: ignore[union-attr]


def test_initial_table_over_the_limit_fails_to_instantiate(make) -> None:
    h = make(edge("(call $finish (i32.const 0))", extra="(table 1000 funcref)"),
             limits=Limits(table_elements=10))
    r = h.run(Request())
    assert r.error is not None and r.error.kind == "instantiate", r.error


def test_memory_count_limit(make) -> None:
    two = edge("(call $finish (i32.const 0))", extra="(memory $second 1)")
    assert make(two).run(Request()).error is None
    r = make(two, limits=Limits(memories=1)).run(Request())
    assert r.error is not None and r.error.kind in ("instantiate", "memory"), r.error


def test_bench_with_a_table_growing_handler_stays_bounded(make) -> None:
    h = make(grow_table(0x7FFFFFF0))
    b = h.bench(Request(), BenchOptions(20, "warm"))
    assert b.n == 20 and b.errors == {}
    assert slots(b.last.response.body) == [-1, 1]  # type: ignore[union-attr]
    assert b.reference_us is not None  # the reference calls ran under the limits too


def test_bench_of_a_looping_handler_returns(make) -> None:
    """`bench loop.wasm -n 10 --timeout-ms 50`: every sample and the reference calls end."""
    h = make(edge("(loop $l (br $l)) (i32.const 0)"), limits=Limits(timeout_ms=50, fuel=10**15))
    t0 = time.monotonic()
    b = h.bench(Request(), BenchOptions(10, "warm"))
    assert b.errors == {"timeout": 10}
    assert time.monotonic() - t0 < 30  # 11 runs + 200 reference calls, each ended at 50 ms


# -- WASI sleeps --------------------------------------------------------------------------

POLL = """
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
"""


def sleep_body(ns: int, *, absolute: bool = False) -> str:
    """Subscription at 1024 (userdata 7, monotonic clock), events at 2048, count at 3000."""
    timeout = f"(i64.const {ns})"
    if absolute:
        timeout = f"(drop (call $clock (i32.const 1) (i64.const 1) (i32.const 3008))) (i64.add (i64.load (i32.const 3008)) (i64.const {ns}))"
    return f"""
      (i64.store (i32.const 1024) (i64.const 7))
      (i32.store8 (i32.const 1032) (i32.const 0))
      (i32.store (i32.const 1040) (i32.const 1))
      (i64.store (i32.const 1048) {timeout})
      (i64.store (i32.const 1056) (i64.const 0))
      (i32.store16 (i32.const 1064) (i32.const {1 if absolute else 0}))
    """


def sleeping_edge(ns: int, *, absolute: bool = False) -> bytes:
    body = sleep_body(ns, absolute=absolute) + """
      (call $out (i32.const 0) (call $poll (i32.const 1024) (i32.const 2048) (i32.const 1) (i32.const 3000)))
      (call $out (i32.const 1) (i32.load (i32.const 3000)))
      (call $out (i32.const 2) (i32.load (i32.const 2048)))
      (call $out (i32.const 3) (i32.load8_u (i32.const 2058)))
      (call $finish (i32.const 4))
    """
    return wat(edge_text(body))


def edge_text(body: str) -> str:
    """handlers.edge()'s shape, importing the two WASI clock functions."""
    from tests.core.runtime import handlers

    return f"""
(module
  {POLL}
  (memory (export "memory") 2)
  (data (i32.const 8196) "{handlers.PREFIX}")
  (func (export "alloc") (param i32) (result i32) (i32.const 16384))
  (func $out (param $i i32) (param $v i32)
    (i32.store (i32.add (i32.const 8215) (i32.mul (local.get $i) (i32.const 4))) (local.get $v)))
  (func $finish (param $n i32) (result i32)
    (i32.store (i32.const 8192) (i32.add (i32.const 19) (i32.mul (local.get $n) (i32.const 4))))
    (i32.const 8192))
  (func (export "handle") (param $p i32) (param $n i32) (result i32) {body}))"""


def test_short_wasi_sleep_works_and_reports_its_event(make) -> None:
    for absolute in (False, True):
        h = make(sleeping_edge(5_000_000, absolute=absolute))
        assert h.abi.name == "edge" and h.abi.wasi
        r = h.run(Request(), "fresh")
        assert r.error is None, r.error
        # errno 0, one event, userdata 7, type clock (0)
        assert slots(r.response.body) == [0, 1, 7, 0]  # type: ignore[union-attr]


def test_long_wasi_sleep_ends_at_the_deadline_as_a_timeout(make) -> None:
    """A 2 s sleep under a 50 ms limit used to return 200 OK after 2 s."""
    for mode in ("fresh", "warm", "cold"):
        h = make(sleeping_edge(2_000_000_000), limits=Limits(timeout_ms=50))
        t0 = time.monotonic()
        r = h.run(Request(), mode)
        assert time.monotonic() - t0 < 1.5
        assert r.error is not None and r.error.kind == "timeout", r.error
        assert "WASI sleep" in r.error.message
    ok = make(sleeping_edge(1_000_000), limits=Limits(timeout_ms=50))
    assert ok.run(Request(), "warm").error is None  # the next request is not disturbed


def test_wagi_sleep_is_bounded_too(make) -> None:
    start = sleep_body(2_000_000_000) + """
      (drop (call $poll (i32.const 1024) (i32.const 2048) (i32.const 1) (i32.const 3000)))
      (call $write (i32.const 200) (i32.const 30))
    """
    h = make(_wagi_with_poll(start), limits=Limits(timeout_ms=50))
    t0 = time.monotonic()
    r = h.run(Request())
    assert time.monotonic() - t0 < 1.5
    assert r.abi == "wagi" and r.error is not None and r.error.kind == "timeout", r
    short = _wagi_with_poll(sleep_body(1_000_000) + """
      (drop (call $poll (i32.const 1024) (i32.const 2048) (i32.const 1) (i32.const 3000)))
      (call $write (i32.const 200) (i32.const 31))""")
    r = make(short, limits=Limits(timeout_ms=1000)).run(Request())
    assert r.error is None and r.response.body == b"slept", r  # type: ignore[union-attr]


def _wagi_with_poll(start: str) -> bytes:
    from tests.core.runtime.handlers import WASI

    return wat(f"""
(module
  {WASI}
  {POLL}
  (memory (export "memory") 2)
  {wdata(200, b"Content-Type: text/plain" + bytes([10, 10]) + b"slept")}
  (func $write (param $p i32) (param $n i32)
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start") {start}))""")


def test_poll_oneoff_bad_arguments_are_errno_values(make) -> None:
    body = """
      (call $out (i32.const 0) (call $poll (i32.const 1024) (i32.const 2048) (i32.const 0) (i32.const 3000)))
      (call $out (i32.const 1) (call $poll (i32.const 0x7fffff00) (i32.const 2048) (i32.const 1) (i32.const 3000)))
      (call $out (i32.const 2) (call $clock (i32.const 99) (i64.const 0) (i32.const 3000)))
      (call $finish (i32.const 3))
    """
    r = make(wat(edge_text(body))).run(Request())
    assert r.error is None and slots(r.response.body) == [28, 21, 28]  # type: ignore[union-attr]


# -- logs ---------------------------------------------------------------------------------

def test_one_huge_log_line_is_cut_in_bytes(make) -> None:
    """One 60 MiB line used to cost 823 MB of RSS; now it keeps 16 KiB, marked."""
    body = "(call $log (i32.const 1) (i32.const 0) (i32.const 62914560)) (call $finish (i32.const 0))"
    h = make(edge(body, imports=True, pages=961), limits=Limits(memory_bytes=128 << 20))
    r = h.run(Request())
    assert r.error is None, r.error
    (line,) = r.logs
    kept = Limits().max_log_line_bytes
    assert line.message.startswith("\0" * 100)
    assert f"{62914560 - kept:,} more bytes cut" in line.message
    assert len(line.message.encode()) < kept + 100


def test_log_bytes_per_request_are_capped(make) -> None:
    body = """
      (local $i i32)
      (loop $l
        (call $log (i32.const 1) (i32.const 0) (i32.const 4000))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 100))))
      (call $finish (i32.const 0))"""
    r = make(edge(body, imports=True), limits=Limits(max_log_bytes=10_000)).run(Request())
    assert r.error is None
    kept = [ln for ln in r.logs if not ln.message.startswith("[workbench]")]
    assert sum(len(ln.message.encode()) for ln in kept) <= 10_000 + 100
    assert r.logs[-1].message == f"[workbench] {100 - len(kept)} more log lines dropped"
    assert len(kept) == 3  # 4000 + 4000 + the last 2000 bytes (cut, marked)
    assert "2,000 more bytes cut" in kept[-1].message


def test_wagi_stderr_flood_is_capped(make) -> None:
    body = """
      (local $i i32)
      (loop $l
        (call $write_err (i32.const 100) (i32.const 60000))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 100))))
      (call $write (i32.const 200) (i32.const 30))"""
    data = wdata(100, b"x" * 100) + wdata(200, b"Content-Type: text/plain\n\nhi")
    r = make(wagi(body, data=data), limits=Limits(max_log_bytes=100_000)).run(Request())
    total = sum(len(ln.message.encode()) for ln in r.logs if ln.source == "stderr")
    assert total <= 100_000 + 1000, total


# -- no tracebacks ------------------------------------------------------------------------

def test_a_5000_digit_content_length_is_a_response_error(make) -> None:
    from tests.core.runtime.handlers import static_response

    raw = b"HTTP/1.1 200 OK\r\ncontent-length: " + b"9" * 5000 + b"\r\n\r\nhi"
    r = make(edge("(i32.const 4096)", data=static_response(raw))).run(Request())
    assert r.error is not None and r.error.kind == "response"
    assert "5,000 characters" in r.error.message and len(r.error.message) < 400
    ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0002\r\n\r\nhi"
    r = make(edge("(i32.const 4096)", data=static_response(ok))).run(Request())
    assert r.error is None and r.response.body == b"hi"  # type: ignore[union-attr]


def test_a_5000_digit_number_in_a_hurl_assert_is_a_file_error(tmp_path) -> None:
    import pytest

    from workbench.core.errors import RequestFileError
    from workbench.core.requests.hurl import parse_hurl

    text = 'GET http://localhost/\nHTTP 200\n[Asserts]\nheader "content-length" == ' + "9" * 5000 + "\n"
    with pytest.raises(RequestFileError, match="number too long"):
        parse_hurl(text, file="a.hurl")


def test_wagi_stderr_without_newlines_is_cut_per_line(make) -> None:
    body = """
      (call $write_err (i32.const 100) (i32.const 100000))
      (call $write (i32.const 120000) (i32.const 28))"""
    data = wdata(120000, b"Content-Type: text/plain\n\nhi")
    cap = 1000  # wasmtime hands stderr over in 4 KiB chunks: each chunk a line, cut
    r = make(wagi(body, data=data), limits=Limits(max_log_line_bytes=cap)).run(Request())
    lines = [ln.message for ln in r.logs if ln.source == "stderr"]
    assert lines and all(len(m.encode()) < cap + 100 for m in lines)
    assert any("more bytes cut" in m for m in lines)
