"""Hostile handlers behind a real socket: a response HTTP cannot carry is a 500 naming the
field (never a dropped connection, an injected header or a second response), hook
answers get the same check, and a 500's body stays small whatever the guest logged."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from tests.core.runtime.handlers import IMPORTS
from tests.services.serve.helpers import ServerThread, edge_wat, route, served
from workbench.core.hooks.rules import HooksFile
from workbench.services.serve.routes import RouteTable


def answering(raw: bytes, *, log_first: int = 0) -> str:
    """An edge handler answering `raw` (an HTTP response), after logging a line of
    `log_first` zero bytes when asked."""
    data = "".join(f"\\{b:02x}" for b in len(raw).to_bytes(4, "little") + raw)
    log = (f"(call $log (i32.const 1) (i32.const 65536) (i32.const {log_first}))"
           if log_first else "")
    return f"""(module {IMPORTS} (memory (export "memory") 3)
  (data (i32.const 16) "{data}")
  (func (export "alloc") (param i32) (result i32) (i32.const 8192))
  (func (export "handle") (param i32 i32) (result i32) {log} (i32.const 16)))"""


def raw_get(port: int, path: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    return out


SPLIT = (b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nx-a: b\rSet-Cookie: evil=1\r\n"
         b"content-length: 2\r\n\r\nhi")


@pytest.mark.parametrize(("raw", "named"), [
    (SPLIT, "header 'x-a' has CR (\\\\r)"),
    (b"HTTP/1.1 200 OK\r\nx-a: b\x00c\r\n\r\n", "header 'x-a' has NUL (\\\\0)"),
    (b"HTTP/1.1 200 OK\r\nbad name: x\r\n\r\n", "header name 'bad name' is not a valid"),
    (b"HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n\r\n", "status 101"),
    (b"HTTP/1.1 103 Early Hints\r\n\r\n", "status 103"),
    (b"HTTP/1.1 999 Whatever\r\n\r\n", "status 999 is outside 200-599"),
], ids=["response splitting", "NUL", "bad name", "101", "103", "999"])
def test_unsendable_responses_are_a_500_naming_the_field(tmp_path: Path, raw: bytes,
                                                         named: str) -> None:
    bad = served(tmp_path, "bad", answering(raw))
    ok = served(tmp_path, "ok", edge_wat("fine"))
    with ServerThread(RouteTable([route("/bad", bad), route("/", ok)])) as s:
        reply = raw_get(s.port, "/bad")
        assert raw_get(s.port, "/")[-4:] == b"fine"  # the other route answers
        rec = s.wait_records(2)[0]
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 500 ") and reply.count(b"HTTP/1.1") == 1
    assert b"\r\nx-workbench-error: response" in head
    assert b"Set-Cookie" not in head and b"upgrade" not in head.lower()
    doc = json.loads(body)
    assert doc["error"]["kind"] == "response" and named in json.dumps(doc["error"]["message"])
    assert (rec.status, rec.error_kind, rec.target) == (500, "response", "/bad")


def test_a_204_with_a_body_is_sent_without_it_and_the_connection_stays_in_step(
        tmp_path: Path) -> None:
    mod = served(tmp_path, "m", answering(b"HTTP/1.1 204 No Content\r\n"
                                          b"content-length: 5\r\n\r\nhello"))
    with ServerThread(RouteTable([route("/", mod)])) as s:
        c = s.conn()
        for _ in range(3):  # keep-alive: a stray body would be read as the next response
            c.request("GET", "/")
            r = c.getresponse()
            assert (r.status, r.read()) == (204, b"")
        c.close()
        rec = s.wait_records(3)[2]
    assert [ln.message for ln in rec.logs] == [
        "[workbench] a 204 response has no body: the 5 bytes the handler wrote are not sent"]


def test_a_hook_answer_with_a_control_character_is_a_500(tmp_path: Path) -> None:
    """hooks.toml refuses CR, LF and NUL in a value; other control characters load, and
    aiohttp would drop the connection on them."""
    hooks = tmp_path / "hooks.toml"
    hooks.write_text('[[rule]]\nname = "bell"\nwhen = { path = "/bell" }\n'
                     'action = "respond"\nheaders = { "x-bell" = "a\\u0007b" }\nbody = "x"\n')
    mod = served(tmp_path, "m", edge_wat("module"))
    with ServerThread(RouteTable([route("/", mod, HooksFile(hooks))])) as s:
        for _ in range(2):  # the second comes from the checked-answer memo
            status, headers, body = s.get("/bell")
            assert status == 500
            assert b"hook answer: header 'x-bell' has control character U+0007" in body
        assert s.get("/other")[2] == b"module"
        rec = s.wait_records(1)[0]
    assert (rec.error_kind, rec.answered_by, rec.hook_rule) == ("response", "hook", "bell")


def test_a_500_body_cuts_long_guest_log_lines(tmp_path: Path) -> None:
    """16 KiB of NUL bytes logged, then a bad response: the line is in the record whole,
    and in the error page cut (escaped, it would be ~100 KB a line)."""
    mod = served(tmp_path, "m", answering(b"HTTP/1.1 200 OK\r\nx: \x01\r\n\r\n",
                                          log_first=16384))
    with ServerThread(RouteTable([route("/", mod)])) as s:
        status, _, body = s.get("/")
        rec = s.wait_records(1)[0]
    assert status == 500 and len(body) < 20_000  # 2,048 NULs escaped; uncut: ~100 KB
    line = json.loads(body)["logs"][0]["message"]
    assert line.startswith("\x00" * 2048) and line.endswith(
        " …[14,336 more characters in the log]")
    assert len(rec.logs[0].message) == 16384


def test_a_body_without_a_content_type_is_sent_without_one(tmp_path: Path) -> None:
    """aiohttp would add `application/octet-stream`, and a browser would download a
    "hello" that wasmtime serve shows; a type the handler set is kept."""
    bare = served(tmp_path, "bare", answering(b"HTTP/1.1 200 OK\r\n\r\nHello!\n"))
    typed = served(tmp_path, "typed", edge_wat("typed", content_type="text/html"))
    with ServerThread(RouteTable([route("/bare", bare), route("/", typed)])) as s:
        for _ in range(2):  # the second is the cached static answer
            head, _, body = raw_get(s.port, "/bare").partition(b"\r\n\r\n")
            assert body == b"Hello!\n" and b"content-type" not in head.lower()
        head = raw_get(s.port, "/").partition(b"\r\n\r\n")[0]
        assert b"\r\ncontent-type: text/html\r\n" in head
