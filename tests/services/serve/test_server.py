"""DevServer on an ephemeral port, driven by http.client: responses, records, limits,
errors, isolation between routes, live swaps. No timed assertions: order and values."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest

from tests.services.serve.helpers import ServerThread, edge_wat, route, served
from workbench.core.hooks.rules import HooksFile
from workbench.core.runtime.limits import Limits
from workbench.services.serve.routes import RouteTable


def test_module_answers_with_keep_alive_and_a_record(tmp_path: Path) -> None:
    mod = served(tmp_path, "hello", edge_wat("hi there"))
    with ServerThread(RouteTable([route("/", mod)])) as s:
        c = s.conn()
        c.request("GET", "/a?x=1")
        r1 = c.getresponse()
        assert (r1.status, r1.read()) == (200, b"hi there")
        sock = c.sock
        c.request("POST", "/b", body=b"12345")
        r2 = c.getresponse()
        assert (r2.status, r2.read()) == (200, b"hi there")
        assert c.sock is sock and sock is not None  # one connection: HTTP/1.1 keep-alive
        c.close()
        first, second = s.wait_records(2)[:2]
    assert (first.method, first.target, first.status) == ("GET", "/a?x=1", 200)
    assert (first.answered_by, first.module, first.build, first.route) == \
        ("module", "hello", 1, "/")
    assert first.client == "127.0.0.1" and first.mode == "warm"
    assert first.fuel is not None and first.fuel > 0
    ph = first.phases
    assert ph.queue_us is not None and ph.handler_us is not None and ph.run_us is not None
    assert ph.total_us >= ph.run_us
    assert first.bytes_out == len(b"hi there") and first.bytes_in == 0
    assert second.bytes_in == 5 and second.method == "POST"
    doc = first.to_json()
    assert doc["phases"]["handler"] is not None and doc["error"] is None
    json.dumps(doc)


def test_hooks_answer_before_any_worker(tmp_path: Path) -> None:
    hooks = tmp_path / "hooks.toml"
    hooks.write_text('[[rule]]\nname = "health"\nwhen = { path = "/healthz" }\n'
                     'action = "respond"\nbody = "fine"\n\n'
                     '[[rule]]\nname = "tag"\nwhen = { path = "/tagged" }\n'
                     'action = "set_headers"\nset = { "x-tag" = "1" }\n')
    mod = served(tmp_path, "m", edge_wat("module"))
    with ServerThread(RouteTable([route("/", mod, HooksFile(hooks))])) as s:
        status, headers, body = s.get("/healthz")
        assert (status, body) == (200, b"fine")
        assert headers["x-workbench-hook"] == "health"
        assert s.get("/tagged")[2] == b"module"
        hook_rec, tagged = s.wait_records(2)[:2]
    assert hook_rec.answered_by == "hook" and hook_rec.hook_rule == "health"
    assert hook_rec.phases.queue_us is None and hook_rec.fuel is None
    assert hook_rec.phases.hooks_us is not None
    assert tagged.answered_by == "module" and tagged.hook_rule == "tag"


def test_trap_is_a_500_with_the_typed_error(tmp_path: Path) -> None:
    mod = served(tmp_path, "bad", edge_wat(trap=True))
    with ServerThread(RouteTable([route("/", mod)])) as s:
        status, headers, body = s.get("/")
        rec = s.wait_records(1)[0]
    assert status == 500 and headers["x-workbench-error"] == "trap"
    doc = json.loads(body)
    assert doc["error"]["kind"] == "trap" and doc["module"] == "bad"
    assert "unreachable" in doc["error"]["message"]
    assert rec.status == 500 and rec.error_kind == "trap" and rec.answered_by == "module"


def test_hide_errors_gives_a_bare_500(tmp_path: Path) -> None:
    mod = served(tmp_path, "bad", edge_wat(trap=True))
    with ServerThread(RouteTable([route("/", mod)]), dev_errors=False) as s:
        status, headers, body = s.get("/")
        rec = s.wait_records(1)[0]
    assert status == 500 and b"trap" not in body and "x-workbench-error" not in headers
    assert rec.error_kind == "trap"  # the log still has it


def test_body_over_the_module_limit_is_413(tmp_path: Path) -> None:
    mod = served(tmp_path, "m", edge_wat(), limits=Limits(max_request_bytes=100))
    with ServerThread(RouteTable([route("/", mod)])) as s:
        assert s.get("/", "POST", b"x" * 100)[0] == 200
        assert s.get("/", "POST", b"x" * 101)[0] == 413
        # chunked: no content-length, the limit is found while reading
        c = s.conn()
        c.putrequest("POST", "/")
        c.putheader("transfer-encoding", "chunked")
        c.endheaders()
        for _ in range(3):
            c.send(b"40\r\n" + b"y" * 64 + b"\r\n")
        c.send(b"0\r\n\r\n")
        r = c.getresponse()
        assert r.status == 413
        c.close()
        recs = s.wait_records(3)
    assert [r.error_kind for r in recs[:3]] == [None, "request_too_large", "request_too_large"]


def test_no_route_and_no_build(tmp_path: Path) -> None:
    mod = served(tmp_path, "api", edge_wat("api"))
    broken = route("/broken", mod)
    broken.current, broken.problem = None, "build failed: oops"
    table = RouteTable([route("/api", mod), broken])
    with ServerThread(table) as s:
        assert s.get("/api/users")[2] == b"api"
        assert s.get("/api")[0] == 200
        status, _, body = s.get("/apis")
        assert status == 404 and b"no route" in body
        status, headers, body = s.get("/broken/x")
        assert status == 503 and headers["retry-after"] == "1" and b"oops" in body


def test_full_queue_is_503_with_retry_after(tmp_path: Path) -> None:
    slow = served(tmp_path, "slow", edge_wat(loop_forever=True),
                  limits=Limits(timeout_ms=400))
    with ServerThread(RouteTable([route("/", slow)]), workers=1, queue=0) as s:
        started = threading.Event()
        out: list[int] = []

        def first() -> None:
            c = s.conn()
            c.request("GET", "/first")
            started.set()
            out.append(c.getresponse().status)
            c.close()

        t = threading.Thread(target=first)
        t.start()
        started.wait(5)
        # Poll until the first request holds the only worker, then a second gets 503.
        pool = s.server._pools["/"]  # noqa: SLF001 - test looks at the pool's count
        while pool.pending < 1:
            pass
        status, headers, body = s.get("/second")
        t.join(10)
        recs = s.wait_records(2)
    assert status == 503 and headers["retry-after"] == "1" and b"busy" in body
    assert out == [500]  # the looping handler was cut by its timeout
    by_target = {r.target: r for r in recs}
    assert by_target["/second"].error_kind == "overloaded"
    assert by_target["/first"].error_kind == "timeout"


def test_looping_route_does_not_hold_another_route(tmp_path: Path) -> None:
    loop = served(tmp_path, "loop", edge_wat(loop_forever=True), limits=Limits(timeout_ms=2000))
    fast = served(tmp_path, "fast", edge_wat("fast"))
    with ServerThread(RouteTable([route("/loop", loop), route("/", fast)]), workers=1) as s:
        done = threading.Event()

        def looping() -> None:
            s.get("/loop")
            done.set()

        t = threading.Thread(target=looping)
        t.start()
        pool = s.server._pools["/loop"]  # noqa: SLF001
        while pool.pending < 1:
            pass
        answers = [s.get(f"/fast/{i}")[2] for i in range(20)]
        assert not done.is_set(), "the looping request should still be running"
        t.join(10)
    assert answers == [b"fast"] * 20


def test_swap_serves_new_requests_and_in_flight_finish_on_theirs(tmp_path: Path) -> None:
    v1 = served(tmp_path, "m", edge_wat("v1", spin=30_000_000), build=1)
    v2 = served(tmp_path, "m", edge_wat("v2"), build=2)
    with ServerThread(RouteTable([route("/", v1)]), workers=2) as s:
        out: list[bytes] = []
        t = threading.Thread(target=lambda: out.append(s.get("/slow")[2]))
        t.start()
        pool = s.server._pools["/"]  # noqa: SLF001
        while pool.pending < 1:
            pass
        s.on_loop(s.server.swap, "m", v2)
        new = s.get("/new")[2]
        t.join(30)
        recs = {r.target: r for r in s.wait_records(2)}
        s.on_loop(s.server.keep, "m", "build failed: main.wat:3: syntax error")
        after = s.get("/after")[2]
    assert out == [b"v1"] and new == b"v2" and after == b"v2"
    assert recs["/slow"].build == 1 and recs["/new"].build == 2
    kinds = [(e.kind, e.build) for e in s.events]
    assert ("swapped", 2) in kinds
    failed = [e for e in s.events if e.kind == "build_failed"]
    assert failed and "still serving the last good build (build 2)" in failed[0].message


def test_garbage_from_clients_never_stops_the_server(tmp_path: Path) -> None:
    mod = served(tmp_path, "m", edge_wat("alive"))
    junk = [b"\x00\xff\xfe garbage\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nbad header\r\n\r\n",
            b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
            b"POST / HTTP/1.1\r\ncontent-length: -5\r\n\r\n",
            b"POST / HTTP/1.1\r\ncontent-length: 10\r\n\r\nabc",  # then hang up
            b"GET / HTTP/1.1\r\nHost: \xc3\x28\r\nX: \xff\r\n\r\n",
            b"GET /\xe2\x82 HTTP/1.1\r\n\r\n",
            b"POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nxx\r\n"]
    with ServerThread(RouteTable([route("/", mod)])) as s:
        for data in junk:
            with socket.create_connection(("127.0.0.1", s.port), timeout=5) as sock:
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)
                try:
                    reply = sock.recv(65536)
                except OSError:
                    reply = b""
                assert reply == b"" or reply.startswith((b"HTTP/1.1 ", b"HTTP/1.0 4"))
            assert s.get("/")[2] == b"alive"
    assert any(e.kind == "protocol_error" for e in s.events)


@pytest.mark.parametrize("mode", ["fresh", "cold"])
def test_other_modes_serve_too(tmp_path: Path, mode: str) -> None:
    mod = served(tmp_path, "m", edge_wat("moded"), mode=mode)
    with ServerThread(RouteTable([route("/", mod)])) as s:
        assert s.get("/")[2] == b"moded"
        rec = s.wait_records(1)[0]
    assert rec.mode == mode and rec.phases.instantiate_us is not None


def test_subscriber_errors_do_not_fail_requests(tmp_path: Path) -> None:
    mod = served(tmp_path, "m", edge_wat("x"))
    with ServerThread(RouteTable([route("/", mod)])) as s:
        def broken(_item: object) -> None:
            raise RuntimeError("subscriber bug")

        unsubscribe = s.server.subscribe(broken)
        assert s.get("/")[0] == 200
        unsubscribe()
        assert s.get("/")[0] == 200
        s.wait_records(2)
    assert s.server.bus.subscriber_errors == 1


def test_head_gets_headers_without_a_body(tmp_path: Path) -> None:
    mod = served(tmp_path, "m", edge_wat("twelve bytes"))
    with ServerThread(RouteTable([route("/", mod)])) as s:
        c = s.conn()
        c.request("HEAD", "/")
        r = c.getresponse()
        assert r.status == 200 and r.read() == b""
        assert r.getheader("content-length") == "12"
        c.request("GET", "/")  # the connection is still in step after a HEAD
        assert c.getresponse().read() == b"twelve bytes"
        c.close()
