"""Slow clients (slowloris) over raw sockets: a head that trickles in is cut off at the
read timeout (aiohttp's keep-alive timer, which also runs before the first request and
between requests), a body that trickles in gets a 408 and a `request_timeout` record, and
clients sending at a normal pace are unaffected. Bounds are generous: the read timeout is
1 s and each check allows several."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from tests.services.serve.helpers import ServerThread, edge_wat, route, served
from workbench.services.serve.routes import RouteTable

TIMEOUT = 1.0


@pytest.fixture
def server(tmp_path: Path):
    table = RouteTable([route("/", served(tmp_path, "m", edge_wat("ok")))])
    with ServerThread(table, read_timeout_s=TIMEOUT) as s:
        yield s


def _trickle(port: int, data: bytes, every: float, limit: float = 10.0,
             first: bytes = b"") -> tuple[str, float, int, bytes]:
    """Send `first`, then `data` one byte every `every` s; (how it ended, seconds, bytes of
    `data` sent, what was received)."""
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(every)
    got, sent, t0 = b"", 0, time.monotonic()
    try:
        s.sendall(first)
        while time.monotonic() - t0 < limit:
            if sent < len(data):
                try:
                    s.send(data[sent:sent + 1])
                    sent += 1
                except OSError:
                    return "closed", time.monotonic() - t0, sent, got
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                continue
            except ConnectionResetError:
                return "closed", time.monotonic() - t0, sent, got
            if not chunk:
                return "closed", time.monotonic() - t0, sent, got
            got += chunk
        return "open", time.monotonic() - t0, sent, got
    finally:
        s.close()


HEAD = b"GET / HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 200 + b"\r\n\r\n"


def test_a_trickling_head_is_closed_at_the_read_timeout(server: ServerThread) -> None:
    how, took, sent, got = _trickle(server.port, HEAD, every=0.2)
    assert how == "closed" and got == b""
    assert TIMEOUT * 0.9 <= took < TIMEOUT + 4 and sent < len(HEAD)
    assert server.records == []  # no request was ever made


def test_a_trickling_second_head_is_closed_too(server: ServerThread) -> None:
    first = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    how, took, _, got = _trickle(server.port, HEAD, every=0.2, first=first)
    assert how == "closed" and got.startswith(b"HTTP/1.1 200") and got.endswith(b"ok")
    assert took < TIMEOUT + 4
    assert len(server.wait_records(1)) == 1


def test_a_trickling_body_gets_408_and_a_record(server: ServerThread) -> None:
    head = b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
    how, took, sent, got = _trickle(server.port, b"b" * 100, every=0.2, first=head)
    assert got.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), got[:80]
    assert b"request body not received within 1 s" in got and how == "closed"
    assert took < 2 * TIMEOUT + 4 and sent < 100  # + aiohttp's lingering (read timeout)
    rec = server.wait_records(1)[0]
    assert (rec.status, rec.error_kind, rec.answered_by) == (408, "request_timeout", "server")
    assert rec.error is not None and "bytes of 100 arrived" in rec.error


def test_a_chunked_body_that_stalls_gets_408(server: ServerThread) -> None:
    head = (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5\r\nhello\r\n")
    how, _, _, got = _trickle(server.port, b"", every=0.2, first=head)
    assert got.startswith(b"HTTP/1.1 408 ") and b"of a chunked body arrived" in got
    assert how == "closed"
    assert server.wait_records(1)[0].error_kind == "request_timeout"


def test_a_client_at_a_normal_pace_is_not_cut(server: ServerThread) -> None:
    """Requests spread over three read timeouts on one connection, each sent whole and
    at once, with pauses shorter than the timeout: all answered on that connection."""
    s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    try:
        for _ in range(6):
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
            got = b""
            while not got.endswith(b"ok"):
                chunk = s.recv(4096)
                assert chunk, "closed"
                got += chunk
            assert got.startswith(b"HTTP/1.1 200")
            time.sleep(TIMEOUT / 2)
    finally:
        s.close()
    assert [r.status for r in server.wait_records(6)] == [200] * 6
