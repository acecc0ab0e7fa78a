"""Hostile clients on raw sockets: each gets a clear status, the server keeps serving, the
log has every refusal, and smuggled or path-escaping requests never reach a handler they
should not. The requests are in tests/data/serve/hostile_requests.jsonl; the big ones are
made here."""

from __future__ import annotations

import json
import re
import socket
import time
from pathlib import Path

import pytest

from tests.core.runtime.handlers import edge
from tests.services.serve.helpers import ServerThread, route
from workbench.core.runtime.limits import Limits
from workbench.services.serve.module import ModuleSource, ServedModule
from workbench.services.serve.routes import Route, RouteTable

DATA = Path(__file__).parents[2] / "data" / "serve" / "hostile_requests.jsonl"
ECHO = edge("(call $echo (local.get $p) (local.get $n))")  # answers the request it got
CASES = [json.loads(line) for line in DATA.read_text().splitlines()[1:]]


def echo(tmp: Path, name: str, limits: Limits | None = None) -> ServedModule:
    path = tmp / f"{name}.wasm"
    path.write_bytes(ECHO)
    return ServedModule(ModuleSource(name, path, limits or Limits()))


def exchange(port: int, data: bytes, timeout: float = 10) -> bytes:
    """Send `data`, read until the server closes (every case ends with a close)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        out = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            out += chunk
    return out


def first_response(port: int, data: bytes, timeout: float = 10) -> bytes:
    """Send `data`; the first whole response (a server refusing a body may keep reading
    it for a while, aiohttp's lingering close, so reading until it closes could wait)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        out = b""
        while b"\r\n\r\n" not in out:
            chunk = sock.recv(65536)
            if not chunk:
                return out
            out += chunk
        head, _, body = out.partition(b"\r\n\r\n")
        m = re.search(rb"(?im)^content-length: *(\d+)", head)
        want = int(m.group(1)) if m else 0
        while len(body) < want and (chunk := sock.recv(65536)):
            body += chunk
        return head + b"\r\n\r\n" + body


def status_of(reply: bytes) -> int:
    assert reply.startswith((b"HTTP/1.1 ", b"HTTP/1.0 ")), reply[:80]
    return int(reply[9:12])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("hostile")
    table = RouteTable([route("/ok", echo(tmp, "ok", Limits(max_request_bytes=1_000_000))),
                        route("/other", echo(tmp, "other"))])
    with ServerThread(table) as s:
        yield s


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_hostile_request_gets_its_status(server: ServerThread, case: dict) -> None:
    n_rec, n_ev = len(server.records), len(server.events)
    reply = first_response(server.port, case["send"].encode("latin-1"))
    assert status_of(reply) == case["status"], reply[:300]
    deadline = time.monotonic() + 10  # logged: a request record or a protocol_error event
    while len(server.records) == n_rec and len(server.events) == n_ev:
        assert time.monotonic() < deadline, "nothing was logged"
        time.sleep(0.005)
    assert server.get("/ok/alive")[0] == 200  # the server keeps serving
    assert not any(r.target.startswith("/other") for r in server.records)  # nothing smuggled


@pytest.mark.parametrize(("name", "data"), [
    ("100 KB header line", b"GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000
     + b"\r\n\r\n"),
    ("10,000 headers", b"GET /ok HTTP/1.1\r\nHost: x\r\n"
     + b"".join(b"X-%d: v\r\n" % i for i in range(10_000)) + b"\r\n"),
    ("100 KB path", b"GET /ok/" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_huge_heads_are_400(server: ServerThread, name: str, data: bytes) -> None:
    reply = first_response(server.port, data)
    assert status_of(reply) in (400, 431), (name, reply[:200])
    assert server.get("/ok")[0] == 200
    assert any(e.kind == "protocol_error" for e in server.events)


def test_a_chunked_body_over_the_limit_is_413(server: ServerThread) -> None:
    size = 2_000_000
    reply = first_response(server.port, b"POST /ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                     b"chunked\r\n\r\n%x\r\n" % size + b"a" * size + b"\r\n0\r\n\r\n")
    assert status_of(reply) == 413 and b"limits.max_request_bytes" in reply


def test_pipelined_requests_are_answered_in_order(server: ServerThread) -> None:
    reqs = b"".join(b"%s /ok/%d HTTP/1.1\r\nHost: x\r\n\r\n" % (m, i)
                    for i, m in enumerate([b"GET", b"HEAD", b"POST", b"GET"]))
    reply = exchange(server.port, reqs + b"GET /ok/last HTTP/1.1\r\nHost: x\r\n"
                     b"Connection: close\r\n\r\n")
    assert reply.count(b"HTTP/1.1 200 OK") == 5
    echoed = re.findall(rb"\r\n\r\n(GET|POST) /ok/(\w+) HTTP/1.1", reply)
    assert echoed == [(b"GET", b"0"), (b"POST", b"2"), (b"GET", b"3"), (b"GET", b"last")]


def test_http10_keep_alive_is_honoured(server: ServerThread) -> None:
    reply = exchange(server.port, b"GET /ok/1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                                  b"GET /ok/2 HTTP/1.0\r\n\r\n")
    assert reply.count(b"HTTP/1.0 200 OK") == 2 and b"GET /ok/2 HTTP/1.1" in reply


def test_expect_100_continue(tmp_path: Path) -> None:
    """The client waits for `100 Continue` before sending the body; over the route's
    limit it gets 413 at once and never sends it."""
    mod = echo(tmp_path, "m", Limits(max_request_bytes=100))
    with ServerThread(RouteTable([route("/", mod)])) as s:
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as sock:
            sock.sendall(b"POST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                         b"Content-Length: 5\r\nConnection: close\r\n\r\n")
            assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
            sock.sendall(b"hello")
            rest = b""
            while chunk := sock.recv(65536):
                rest += chunk
        assert rest.startswith(b"HTTP/1.1 200 OK") and rest.endswith(b"\r\n\r\nhello")
        reply = first_response(s.port, b"POST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                                 b"Content-Length: 5000\r\n\r\n")
        assert status_of(reply) == 413 and b"100 Continue" not in reply


def test_dot_segments_and_absolute_form_route_by_the_normalized_path(tmp_path: Path) -> None:
    """`/pub/../admin` and `/pub/%2e%2e/admin` are the admin route's (not /pub's, whose
    prefix the raw path starts with); the handler sees the normalized target."""
    pub, admin = echo(tmp_path, "pub"), echo(tmp_path, "admin")
    auto = echo(tmp_path, "auto")
    mount = Route("/auto", "auto", current=auto, builds=1, strip=True)
    with ServerThread(RouteTable([route("/pub", pub), route("/admin", admin), mount])) as s:
        seen = {}
        for raw in ["/pub/../admin/x", "/pub/%2e%2e/admin/x", "/pub/%2E./admin/x?q=/../",
                    "http://evil.example/admin/x", "/%2e%2e/%2e%2e/pub/y",
                    "/auto/./z/../w"]:
            reply = exchange(s.port, b"GET " + raw.encode() + b" HTTP/1.1\r\nHost: x\r\n"
                                                               b"Connection: close\r\n\r\n")
            assert status_of(reply) == 200, (raw, reply[:200])
            seen[raw] = reply.split(b"\r\n\r\n", 1)[1].split(b"\r\n", 1)[0].decode()
        recs = {r.target: r for r in s.wait_records(6)}
    assert seen == {
        "/pub/../admin/x": "GET /admin/x HTTP/1.1",
        "/pub/%2e%2e/admin/x": "GET /admin/x HTTP/1.1",
        "/pub/%2E./admin/x?q=/../": "GET /admin/x?q=/../ HTTP/1.1",
        "http://evil.example/admin/x": "GET /admin/x HTTP/1.1",
        "/%2e%2e/%2e%2e/pub/y": "GET /pub/y HTTP/1.1",
        "/auto/./z/../w": "GET /w HTTP/1.1"}
    assert recs["/pub/%2e%2e/admin/x"].module == "admin"
    assert recs["/pub/%2e%2e/admin/x"].handler_target == "/admin/x"
    assert recs["/auto/./z/../w"].handler_target == "/w"


def test_connect_and_asterisk_form_are_refused_and_logged(server: ServerThread) -> None:
    n = len(server.records)
    assert status_of(first_response(server.port, b"CONNECT /ok HTTP/1.1\r\nHost: x\r\n\r\n")) == 405
    reply = first_response(server.port, b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status_of(reply) == 400 and b"is not a path" in reply
    recs = server.wait_records(n + 2)[n:]
    assert [(r.status, r.error_kind, r.answered_by) for r in recs] == [
        (405, "bad_target", "server"), (400, "bad_target", "server")]
