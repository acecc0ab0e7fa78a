"""REST Client .http files and curl import (and writing Hurl back)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import RequestFileError
from workbench.core.requests.curl import parse_curl
from workbench.core.requests.files import load_requests
from workbench.core.requests.http_file import parse_http_file
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.hurl_write import to_hurl

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "requests"


def test_http_fixture() -> None:
    entries = load_requests(FIXTURES / "api.http")
    assert [e.name for e in entries] == ["list-users", "POST /api/users", "GET /plain"]
    first, second, third = entries
    assert first.request.target == "/api/users?page=2&size=10"
    assert first.request.headers == (("Host", "localhost:8080"), ("Accept", "application/json"),
                                     ("Authorization", "Bearer abc"))
    assert first.asserts == ()
    assert second.request.body == b'{"name": "Grace"}'
    assert second.request.client_ip == "192.168.7.9"
    assert second.line == 15
    assert third.request.method == "GET" and third.request.header("host") == "example.com"


def test_http_file_variables_override_workspace() -> None:
    text = "@v = file\n###\nGET /x/{{v}}/{{w}}\n"
    (e,) = parse_http_file(text, file="a.http", variables={"v": "ws", "w": "ws"})
    assert e.request.target == "/x/file/ws"


@pytest.mark.parametrize("text,line,fragment", [
    ("###\nFETCH /x\n", 2, "expected a request line"),
    ("GET /x\nnot a header\n", 2, "expected a header"),
    ("POST /x\n\n< ./body.json\n", 3, "body from a file"),
    ("GET /{{nope}}\n", 1, "undefined variable"),
])
def test_http_file_errors(text: str, line: int, fragment: str) -> None:
    with pytest.raises(RequestFileError) as info:
        parse_http_file(text, file="a.http")
    assert info.value.line == line and fragment in info.value.message


def test_curl_import() -> None:
    cmd = """curl -X PUT 'https://api.example.com/v1/items?id=3' \\
      -H 'Content-Type: application/json' -H "X-Trace: 1" \\
      --data-raw '{"name": "x"}' -s -L --compressed"""
    e = parse_curl(cmd)
    r = e.request
    assert (r.method, r.target, r.body) == ("PUT", "/v1/items?id=3", b'{"name": "x"}')
    assert r.headers == (("Host", "api.example.com"), ("Content-Type", "application/json"),
                         ("X-Trace", "1"))


@pytest.mark.parametrize("cmd,method,target,body,header", [
    ("curl http://h/a -d a=1 -d b=2", "POST", "/a", b"a=1&b=2",
     ("Content-Type", "application/x-www-form-urlencoded")),
    ("curl --json '{\"a\":1}' http://h/j", "POST", "/j", b'{"a":1}',
     ("Accept", "application/json")),
    ("curl -G http://h/s --data-urlencode 'q=a b'", "GET", "/s?q=a+b", b"", None),
    ("curl -I http://h/", "HEAD", "/", b"", None),
    ("curl -u bob:pw http://h/", "GET", "/", b"", ("Authorization", "Basic Ym9iOnB3")),
    ("curl -XDELETE http://h/x -A ua -b 's=1'", "DELETE", "/x", b"", ("Cookie", "s=1")),
    ("curl --request=PATCH --url=http://h/p", "PATCH", "/p", b"", None),
])
def test_curl_variants(cmd: str, method: str, target: str, body: bytes,
                       header: tuple[str, str] | None) -> None:
    r = parse_curl(cmd).request
    assert (r.method, r.target, r.body) == (method, target, body)
    if header:
        assert r.header(header[0]) == header[1]


@pytest.mark.parametrize("cmd,fragment", [
    ("curl --proxy-user a:b http://h/", "not supported: curl option --proxy-user"),
    ("curl -d @no-such-body.json http://h/", "cannot read -d @no-such-body.json"),
    ("curl -X POST", "no URL"),
    ("curl 'unterminated", "cannot read the command line: unterminated"),
    ("curl -H nocolon http://h/", "bad header"),
    ("wget https://h/", "not a curl command: it starts with 'wget'"),
])
def test_curl_rejects(cmd: str, fragment: str) -> None:
    with pytest.raises(RequestFileError, match=fragment):
        parse_curl(cmd)


@pytest.mark.parametrize("body", [b"", b'{"a": [1, 2]}', b'{"name":"Ada"}',
                                  b'[\n  1,\n\n  2\n]', b'{"t": "{{x}}"}', b"one line",
                                  b"two\nlines\n", b"no final newline\nx", b"\x00\xffbinary"])
def test_hurl_round_trip(body: bytes) -> None:
    from workbench.core.http import Request
    from workbench.core.requests.model import SavedRequest

    req = Request("POST", "/p?q=1", (("Host", "h.example"), ("X-A", "b")), body, "10.0.0.1")
    text = to_hurl([SavedRequest("x", req, (), "<curl>", 1)])
    (back,) = parse_hurl(text, file="out.hurl")
    assert back.request == req  # byte for byte, JSON included


def test_round_trip_keeps_asserts() -> None:
    src = 'GET http://h/a\nHTTP 200\n[Asserts]\nbody contains "x"\n'
    text = to_hurl(parse_hurl(src, file="a.hurl"))
    assert text == 'GET http://h/a\nHTTP 200\n[Asserts]\nbody contains "x"\n'


def test_curl_import_round_trip_end_to_end() -> None:
    cmd = ("curl -X POST 'https://api.example.com/users?x=1' -H 'Content-Type: "
           "application/json' -d '{\"name\":\"Ada\"}' -u bob:pw -b 'sid=1' -s")
    entry = parse_curl(cmd)
    text = to_hurl([entry])
    assert '{"name":"Ada"}' in text.splitlines()
    (back,) = parse_hurl(text, file="out.hurl")
    assert back.request == entry.request
    assert ("Authorization", "Basic Ym9iOnB3") in back.request.headers
