"""Warm edge requests answered on the event loop (services/serve/inline.py): when they
are, and that every case that cannot be (a loop past the budget, a KV write, a WASI
sleep) ends exactly as on a worker, with no side effect done twice."""

from __future__ import annotations

from pathlib import Path

from tests.services.serve.helpers import ServerThread, _escape, _resp, edge_wat, route, served
from tests.wat import wat
from workbench.core.http import Request
from workbench.core.runtime.harness import Harness
from workbench.core.runtime.limits import Limits
from workbench.services.serve.inline import INLINE_FUEL, MAX_SKIP, InlinePolicy
from workbench.services.serve.routes import RouteTable

# Counts requests in the KV store: reads "n" (a digit), adds one, writes it back.
COUNTER_WAT = """(module
  (import "edge" "kv_get" (func $get (param i32 i32 i32 i32) (result i32)))
  (import "edge" "kv_put" (func $put (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "{resp}")
  (data (i32.const 900) "n")
  (func (export "alloc") (param i32) (result i32) (i32.const 4096))
  (func (export "handle") (param i32 i32) (result i32)
    (if (i32.lt_s (call $get (i32.const 900) (i32.const 1) (i32.const 904) (i32.const 1))
                  (i32.const 1))
      (then (i32.store8 (i32.const 904) (i32.const 48))))
    (i32.store8 (i32.const 904) (i32.add (i32.load8_u (i32.const 904)) (i32.const 1)))
    (drop (call $put (i32.const 900) (i32.const 1) (i32.const 904) (i32.const 1)))
    (i32.const 16)))""".replace("{resp}", _escape(_resp("counted")[0]))

# Sleeps 1 ms in WASI poll_oneoff (one relative monotonic-clock subscription), answers.
SLEEP_WAT = """(module
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "{resp}")
  (func (export "alloc") (param i32) (result i32) (i32.const 8192))
  (func (export "handle") (param i32 i32) (result i32)
    (i64.store (i32.const 1024) (i64.const 7))
    (i32.store (i32.const 1040) (i32.const 1))
    (i64.store (i32.const 1048) (i64.const 1000000))
    (drop (call $poll (i32.const 1024) (i32.const 2048) (i32.const 1) (i32.const 3000)))
    (i32.const 16)))""".replace("{resp}", _escape(_resp("slept")[0]))

# Answers "one" and "two" in turn (a global flips): two different responses in a row.
TOGGLE_WAT = """(module (memory (export "memory") 1)
  (global $flip (mut i32) (i32.const 0))
  (data (i32.const 16) "{one}")
  (data (i32.const 512) "{two}")
  (func (export "alloc") (param i32) (result i32) (i32.const 4096))
  (func (export "handle") (param i32 i32) (result i32)
    (global.set $flip (i32.xor (global.get $flip) (i32.const 1)))
    (select (i32.const 16) (i32.const 512) (global.get $flip))))""".replace(
    "{one}", _escape(_resp("one")[0])).replace("{two}", _escape(_resp("two")[0]))


def _get_many(s: ServerThread, n: int, path: str = "/") -> list[tuple[int, bytes]]:
    c = s.conn()
    out = []
    try:
        for _ in range(n):
            c.request("GET", path)
            r = c.getresponse()
            out.append((r.status, r.read()))
    finally:
        c.close()
    return out


def test_warm_requests_after_the_first_are_answered_on_the_loop(tmp_path: Path) -> None:
    mod = served(tmp_path, "hello", edge_wat("hi"))
    with ServerThread(RouteTable([route("/", mod)])) as s:
        assert _get_many(s, 5) == [(200, b"hi")] * 5
        recs = s.wait_records(5)
    # the instance is made by a worker (never on the loop); then it is warm
    assert [r.inline for r in recs] == [False, True, True, True, True]
    assert all(r.phases.queue_us is None for r in recs[1:])
    assert all(r.fuel and r.fuel > 0 for r in recs)
    assert mod.inline.stats.answered == 4 and mod.inline.stats.misses == 0


def test_no_inline_keeps_every_request_on_the_workers(tmp_path: Path) -> None:
    mod = served(tmp_path, "hello", edge_wat("hi"), inline=False)
    with ServerThread(RouteTable([route("/", mod)])) as s:
        assert _get_many(s, 3) == [(200, b"hi")] * 3
        recs = s.wait_records(3)
    assert not any(r.inline for r in recs)
    assert all(r.phases.queue_us is not None for r in recs)


def test_fresh_and_cold_modes_never_run_inline(tmp_path: Path) -> None:
    for mode in ("fresh", "cold"):
        mod = served(tmp_path, f"m{mode}", edge_wat("hi"), mode=mode)
        assert not mod.inline.enabled


def test_a_handler_past_the_budget_is_redone_on_a_worker(tmp_path: Path) -> None:
    # ~3 instructions an iteration: well over INLINE_FUEL, well under the fuel limit
    mod = served(tmp_path, "spin", edge_wat("done", spin=INLINE_FUEL),
                 limits=Limits(timeout_ms=200))
    with ServerThread(RouteTable([route("/", mod)])) as s:
        assert _get_many(s, 1) == [(200, b"done")]  # a worker makes the instance
        # Its run woke the 1 ms epoch ticker, whose 3 ticks could stop the inline try
        # before the fuel does on a loaded machine ("time"): wait until only the fuel
        # (1-2 ms here) or the 5 ms watchdog can.
        _ticker_idle()
        assert _get_many(s, 2) == [(200, b"done")] * 2
        recs = s.wait_records(3)
    assert not any(r.inline for r in recs)
    assert mod.inline.stats.misses == 1 and mod.inline.stats.last_miss == "budget"
    # the worker's run used the module's own limit: all of the fuel is counted
    assert all(r.fuel is not None and r.fuel > INLINE_FUEL for r in recs)


def test_the_handlers_own_fuel_limit_still_fails_inline(tmp_path: Path) -> None:
    mod = served(tmp_path, "spin", edge_wat("done", spin=100_000),
                 limits=Limits(fuel=50_000))
    with ServerThread(RouteTable([route("/", mod)])) as s:
        statuses = [st for st, _ in _get_many(s, 3)]
        recs = s.wait_records(3)
    assert statuses == [500, 500, 500]
    assert [r.error_kind for r in recs] == ["fuel"] * 3
    assert "50,000" in (recs[-1].error or "")
    assert mod.inline.stats.misses == 0  # a real failure, not a reason to retry


def test_a_kv_write_goes_to_a_worker_and_happens_once(tmp_path: Path) -> None:
    mod = served(tmp_path, "counter", COUNTER_WAT)
    with ServerThread(RouteTable([route("/", mod)])) as s:
        assert _get_many(s, 4) == [(200, b"counted")] * 4
        recs = s.wait_records(4)
    assert mod.kv.get(b"n") == b"4"  # not 5: the abandoned inline try wrote nothing
    assert not any(r.inline for r in recs)
    assert mod.inline.stats.last_miss == "edge.kv_put"


def test_a_wasi_sleep_goes_to_a_worker(tmp_path: Path) -> None:
    mod = served(tmp_path, "sleepy", SLEEP_WAT)
    with ServerThread(RouteTable([route("/", mod)])) as s:
        assert _get_many(s, 3) == [(200, b"slept")] * 3
    assert "poll_oneoff" in mod.inline.stats.last_miss


def test_two_responses_in_turn_are_both_read(tmp_path: Path) -> None:
    h = Harness(wat(TOGGLE_WAT))
    req = Request("GET", "/")
    first = h.run(req, "warm")
    assert first.response is not None
    bodies = [first.response.body]
    for _ in range(5):
        r = h.run_inline(req, INLINE_FUEL)
        assert not isinstance(r, str) and r.response is not None
        bodies.append(r.response.body)
    assert bodies == [b"one", b"two", b"one", b"two", b"one", b"two"]


def test_run_inline_says_why_not(tmp_path: Path) -> None:
    h = Harness(wat(edge_wat("hi")))
    req = Request("GET", "/")
    assert h.run_inline(req, INLINE_FUEL) == "not warm"  # no instance yet
    h.run(req, "warm")
    with h._lock:  # another thread's run holds the harness
        assert h.run_inline(req, INLINE_FUEL) == "busy"
    r = h.run_inline(req, INLINE_FUEL)
    assert not isinstance(r, str) and r.ok and r.mode == "warm"


def test_policy_backs_off_doubling_and_resets_on_an_answer() -> None:
    p = InlinePolicy(True)
    tried = []
    for _ in range(40):
        if p.should_try():
            tried.append(True)
            p.missed("budget")
        else:
            tried.append(False)
    # tries at 0, then after skipping 1, 2, 4, 8, 16 requests
    assert [i for i, t in enumerate(tried) if t] == [0, 2, 5, 10, 19, 36]
    p.answered()
    p.missed("budget")
    assert [p.should_try() for _ in range(3)] == [False, True, True]
    p = InlinePolicy(True)
    for _ in range(40):
        p._skip = 0
        p.missed("x")
    assert p._next_skip == MAX_SKIP
    assert not InlinePolicy(False).should_try()


def _loops_from_the_second_request(import_: str, pages: int, call: str, body: str) -> str:
    """A handler answering `body` to the first request, and from the second on calling
    `call` (one host function, imported by `import_`) in a loop that never ends."""
    return f"""(module
  {import_}
  (memory (export "memory") {pages})
  (global $n (mut i32) (i32.const 0))
  (data (i32.const 16) "{_escape(_resp(body)[0])}")
  (func (export "alloc") (param i32) (result i32) (i32.const 4096))
  (func (export "handle") (param i32 i32) (result i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (if (i32.gt_u (global.get $n) (i32.const 1))
      (then (loop $l (drop {call}) (br $l))))
    (i32.const 16)))"""


# WASI `random_get` of 16 MB: a native host call costs no fuel and takes milliseconds
# (fuel alone allows minutes). (`memory.fill` would not do: wasmtime charges bulk memory
# by the byte.)
FILL_WAT = _loops_from_the_second_request(
    '(import "wasi_snapshot_preview1" "random_get" (func $rand (param i32 i32) (result i32)))',
    256, "(call $rand (i32.const 65536) (i32.const 16000000))", "filled")

# A Python host function (host calls cost no fuel either).
HOSTCALLS_WAT = _loops_from_the_second_request(
    '(import "edge" "now_ms" (func $now (result i64)))', 1, "(call $now)", "called")


def _inline_in_thread(h: Harness, req: Request) -> object:
    """run_inline in a thread, failing the test (not hanging it) if it never returns."""
    import threading

    out: list[object] = []
    t = threading.Thread(target=lambda: out.append(h.run_inline(req, INLINE_FUEL)),
                         daemon=True)
    t.start()
    t.join(60)
    assert out, "the inline run was never stopped"
    return out[0]


def _ticker_idle() -> None:
    """Wait for the 1 ms epoch ticker to go idle (it ticks on for a while after a run on
    a worker), so what stops an inline run is the watchdog, not the ticker."""
    import time

    from workbench.core.runtime import engine

    deadline = time.monotonic() + 20
    while engine.ticker().awake and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not engine.ticker().awake


def test_the_watchdog_stops_a_loop_that_costs_no_fuel() -> None:
    from workbench.core.runtime import engine

    h = Harness(wat(FILL_WAT), limits=Limits(timeout_ms=100))
    req = Request("GET", "/")
    first = h.run(req, "warm")
    assert first.ok and first.response is not None and first.response.body == b"filled"
    _ticker_idle()
    trips = engine.inline_watchdog().trips
    assert _inline_in_thread(h, req) == "time"
    assert engine.inline_watchdog().trips > trips
    assert h.edge.warm is None  # stopped midway: dropped


def test_the_watchdog_stops_a_loop_of_host_calls() -> None:
    h = Harness(wat(HOSTCALLS_WAT), limits=Limits(timeout_ms=100, fuel=10**12))
    req = Request("GET", "/")
    assert h.run(req, "warm").ok
    _ticker_idle()
    assert _inline_in_thread(h, req) in ("time", "budget")


def test_a_fill_loop_is_cut_on_the_loop_then_times_out_on_a_worker(tmp_path: Path) -> None:
    mod = served(tmp_path, "fill", FILL_WAT, limits=Limits(timeout_ms=300))
    other = served(tmp_path, "hello", edge_wat("still here"))
    table = RouteTable([route("/fill", mod), route("/", other)])
    with ServerThread(table) as s:
        assert _get_many(s, 1, "/fill") == [(200, b"filled")]  # the worker makes it warm
        assert _get_many(s, 2, "/") == [(200, b"still here")] * 2
        # the inline try loops and is stopped; redone on a worker's instance, which
        # starts clean (the stopped one is dropped) and answers
        assert _get_many(s, 1, "/fill") == [(200, b"filled")]
        assert mod.inline.stats.last_miss == "time"
        # backing off, the next goes to the worker, whose instance now loops: a timeout
        status, _headers, body = s.get("/fill")
        assert status == 500 and b"timeout" in body
        assert _get_many(s, 2, "/") == [(200, b"still here")] * 2
