"""WAGI: CGI environment + stdin in, CGI headers + body out, through WASI."""

from __future__ import annotations

import pytest

from tests.core.runtime.handlers import wagi, wdata
from workbench.core.http import HttpParseError, Request
from workbench.core.runtime.wagi import cgi_env, parse_cgi

HDR = b"content-type: text/plain\n\n"


def write_const(text: bytes, at: int = 1000) -> tuple[str, str]:
    return wdata(at, text), f"(call $write (i32.const {at}) (i32.const {len(text)}))"


def test_document_response(make) -> None:
    data, body = write_const(b"Status: 404 Not Found\ncontent-type: text/plain\n\nnope")
    r = make(wagi(body, data=data)).run(Request())
    assert r.abi == "wagi" and r.error is None
    assert r.response is not None
    assert (r.response.status, r.response.reason, r.response.body) == (404, "Not Found", b"nope")
    assert r.response.headers == (("content-type", "text/plain"),)


def test_stdin_body_and_env_reach_the_command(make) -> None:
    # stdout = headers, then the raw environ block, then stdin.
    data, hdr = write_const(HDR)
    start = f"""
      {hdr}
      (drop (call $environ_sizes_get (i32.const 16) (i32.const 20)))
      (drop (call $environ_get (i32.const 4096) (i32.const 8192)))
      (call $write (i32.const 8192) (i32.load (i32.const 20)))
      (i32.store (i32.const 24) (i32.const 40000))
      (i32.store (i32.const 28) (i32.const 1000))
      (drop (call $fd_read (i32.const 0) (i32.const 24) (i32.const 1) (i32.const 32)))
      (call $write (i32.const 40000) (i32.load (i32.const 32)))"""
    h = make(wagi(start, data=data))
    req = Request("POST", "/p/x?q=1", (("Host", "ex.test:8080"), ("X-Trace", "abc"),
                                       ("Content-Type", "text/plain")), b"BODY!", "10.1.2.3")
    r = h.run(req)
    assert r.error is None, r.error
    env_block, _, stdin = r.response.body.rpartition(b"\0")  # type: ignore[union-attr]
    env = dict(item.split("=", 1) for item in env_block.decode().split("\0"))
    assert stdin == b"BODY!"
    assert env["REQUEST_METHOD"] == "POST" and env["PATH_INFO"] == "/p/x"
    assert env["QUERY_STRING"] == "q=1" and env["REMOTE_ADDR"] == "10.1.2.3"
    assert env["HTTP_X_TRACE"] == "abc" and env["CONTENT_LENGTH"] == "5"
    assert env["CONTENT_TYPE"] == "text/plain" and "HTTP_CONTENT_TYPE" not in env
    assert env["SERVER_NAME"] == "ex.test" and env["SERVER_PORT"] == "8080"
    assert "PATH" not in env and "HOME" not in env  # nothing inherited


def test_location_alone_is_302(make) -> None:
    data, body = write_const(b"Location: /new\n\n")
    r = make(wagi(body, data=data)).run(Request())
    assert r.error is None and r.response is not None
    assert r.response.status == 302 and r.response.header("location") == "/new"


def test_missing_content_type_is_response_error(make) -> None:
    data, body = write_const(b"x-a: 1\n\nhello")
    r = make(wagi(body, data=data)).run(Request())
    assert r.error is not None and r.error.kind == "response"
    assert "Content-Type" in r.error.message


def test_exit_codes_and_stderr_logs(make) -> None:
    data, body = write_const(HDR + b"ok")
    err_data = wdata(2000, b"warming up\n")
    ok = make(wagi(body + " (call $write_err (i32.const 2000) (i32.const 11))"
                   " (call $proc_exit (i32.const 0))", data=data + err_data)).run(Request())
    assert ok.error is None and ok.response.body == b"ok"  # type: ignore[union-attr]
    assert ok.logs[0].message == "warming up" and ok.logs[0].source == "stderr"
    bad = make(wagi(body + " (call $proc_exit (i32.const 3))", data=data)).run(Request())
    assert bad.error is not None and bad.error.kind == "exit" and "3" in bad.error.message


def test_trap_in_wagi(make) -> None:
    r = make(wagi("(unreachable)")).run(Request(), "warm")
    assert r.error is not None and r.error.kind == "trap"
    assert r.mode == "fresh"  # a command cannot be reused: warm runs fresh


def test_parse_cgi_errors() -> None:
    with pytest.raises(HttpParseError, match="wrote nothing"):
        parse_cgi(b"")
    with pytest.raises(HttpParseError, match="no blank line"):
        parse_cgi(b"content-type: text/plain")
    with pytest.raises(HttpParseError, match="bad Status"):
        parse_cgi(b"Status: abc\ncontent-type: x\n\n")
    assert parse_cgi(b"Content-Type: a\r\n\r\nb").body == b"b"


def test_cgi_env_joins_repeated_headers() -> None:
    env = dict(cgi_env(Request(headers=(("Accept", "a"), ("accept", "b")))))
    assert env["HTTP_ACCEPT"] == "a, b" and env["SERVER_NAME"] == "localhost"


def test_parse_cgi_content_type_rules() -> None:
    assert parse_cgi(b"Location: /x\n\n").status == 302  # a redirect needs none
    assert parse_cgi(b"Status: 204\n\n").status == 204  # no content, nothing to describe
    assert parse_cgi(b"Status: 301\nLocation: /y\n\n").status == 301
    for out in (b"Status: 200\n\nhello", b"Status: 204\n\nbody", b"Location: /x\n\nbody",
                b"x-a: 1\n\n"):
        with pytest.raises(HttpParseError, match="missing Content-Type"):
            parse_cgi(out)


def test_unicode_digits_are_not_a_status_or_a_length() -> None:
    from workbench.core.http import HttpParseError, parse_response
    from workbench.core.runtime.wagi import parse_cgi

    with pytest.raises(HttpParseError, match="bad Status header"):
        parse_cgi("Status: \u00b2\n\nx".encode())
    with pytest.raises(HttpParseError, match="content-length \u00b2 but the body has 0 bytes"):
        parse_response("HTTP/1.1 200 OK\r\ncontent-length: \u00b2\r\n\r\n".encode())
