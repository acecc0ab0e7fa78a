"""The Hurl subset: real files parse, unsupported features are rejected with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import RequestFileError
from workbench.core.requests.files import load_requests
from workbench.core.requests.hurl import parse_hurl

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "requests"


def test_fixture_file_parses_every_entry() -> None:
    entries = load_requests(FIXTURES / "api.hurl", {"host": "api.local"})
    assert [e.name for e in entries] == ["GET /healthz", "create-user", "PUT /api/users/1",
                                         "DELETE /api/users/1"]
    assert [e.line for e in entries] == [4, 13, 39, 54]
    health, create, put, delete = entries
    assert health.request.headers == (("Host", "api.local"),)
    assert [(a.query, a.predicate, a.value, a.line) for a in health.asserts] == [
        ("status", "==", 200, 5), ("header", "==", "text/plain", 6), ("body", "==", "ok", 8),
        ("duration", "<", 1000, 9)]
    assert create.request.client_ip == "10.1.2.3"
    assert create.request.target == "/api/users?source=test&dry_run=true&q=a%20b%26c"
    assert create.request.body.startswith(b'{\n  "name": "Ada"')
    assert ("X-Request-Id", "abc-123") in create.request.headers
    by_line = {a.line: a for a in create.asserts}
    assert by_line[28].negate and by_line[28].predicate == "exists"
    assert by_line[31].filter == "count" and by_line[31].value == 2
    assert by_line[33].value is True and by_line[34].value is None
    assert by_line[36].value == ("regex", r'"id":\s*\d+')
    assert by_line[37].query == "fuel"
    assert put.request.header("cookie") == "session=s3cr3t"
    assert put.request.header("authorization") == "Basic Ym9iOmh1bnRlcjI="
    assert put.request.body == b"line one\nline two\n"
    assert not any(a.query == "status" and a.implicit for a in put.asserts)  # HTTP *
    assert put.asserts[1].value == '"'
    assert delete.request.body == b"just one line"


def test_folder_loads_all_request_files(tmp_path: Path) -> None:
    (tmp_path / "a.hurl").write_text("GET http://h/a\nHTTP 200\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.http").write_text("GET http://h/b\n")
    (tmp_path / "notes.txt").write_text("GET http://h/ignored\n")
    assert [e.request.target for e in load_requests(tmp_path)] == ["/a", "/b"]


@pytest.mark.parametrize("text,line,fragment", [
    ("GET http://h/a\nHTTP 200\n[Asserts]\nstatus == 200\njsonpath \"$.a[?(@.b =~ 1)]\" "
     "exists\n", 5, "not supported: JSONPath"),
    ("GET http://h/a\nHTTP 200\n[Asserts]\nbody | count == 1\n", 4, "unknown predicate '|'"),
    ("GET http://h/a\nHTTP 200\n[Asserts]\nstatus == 2OO\n", 4, "invalid predicate value"),
    ("GET http://h/a\nHTTP 200\n[Asserts]\nheader X == 1\n", 4, "must be a \"quoted string\""),
    ("GET http://h/a\nHTTP 200\n[Asserts]\nbody matches /(/\n", 4, "invalid regex"),
    ("GET http://h/a\nHTTP 200\n[Asserts]\nstatus == 200 extra\n", 4, "unexpected text"),
    ("GET http://h/a\nHTTP 200\n[Asserts]\nbogus == 1\n", 4, "unknown query 'bogus'"),
    ("GET http://h/a\n[Asserts]\nstatus == 200\n", 2, "must follow a response line"),
    ("GET http://h/a\nfile,data.bin\n", 2, "unterminated file, body"),
    ("GET http://h/a\n{\n  \"a\": 1,\n}\n", 4, "invalid JSON body"),
    ("GET http://h/a\n```\nno end\n", 2, "unterminated"),
    ("get /a\n", 1, "expected a request line"),
    ("GET /a\n", 1, "Hurl needs http:// or https://"),
    ("GET http://h/{{missing}}\n", 1, "undefined variable {{missing}}"),
    ("# @client-ip 300.1.1.1\nGET http://h/a\n", 1, "not an IP address"),
    # a response line Hurl would reject must not turn into a body or a new entry
    ("GET http://h/a\nHTTP/1.1 200 OK\n", 2, "bad response line 'HTTP/1.1 200 OK'"),
    ("GET http://h/a\nHTTP 200 OK\n", 2, "bad response line"),
    ("GET http://h/a\nHTTP 2000\n", 2, "bad response line 'HTTP 2000'"),
    ("GET http://h/a\nHTTP/11 200\n", 2, "bad response line"),
    ("POST http://h/a\nContent-Type: text/plain\n`hello`\nHTTP 20\n", 4, "bad response line"),
    ("POST http://h/a\nContent-Type: text/plain\nhello\n", 3, "invalid JSON body"),
    ("GET http://h/a\nHTTP 200\n[Asserts]\nstatus ==\n", 4, "missing value after '=='"),
    ("GET http://h/a\nHTTP 200\n[Asserts]\nbody matches # nothing\n", 4, "missing value after"),
    ("POST http://h/a\n```\none\ntwo {{who}}\n```\n", 4, "undefined variable {{who}}"),
    ("GET http://h/a\nHTTP 200\n[Asserts]\ncontent-type: x\n", 4, "a header line inside [Asserts]"),
    ("GET http://h/a\nHTTP 200\n[Asserts]\nstatus = 200\n", 4, "did you mean '=='?"),
    ("GET http://h/a\nHTTP 200\n[Asserts]\nbody contains ok\n", 4, 'strings are quoted, "ok"'),
])
def test_rejected_with_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(RequestFileError) as info:
        parse_hurl(text, file="t.hurl")
    assert info.value.line == line, info.value
    assert fragment in info.value.message


def test_variables_everywhere() -> None:
    text = ('GET https://{{host}}/u/{{ id }}\nAuthorization: Bearer {{token}}\n'
            '[Query]\nv: {{id}}\n```\n{{id}}\n```\nHTTP 200\n[Asserts]\n'
            'jsonpath "$.id" == {{id}}\nbody contains "{{token}}"\n')
    (e,) = parse_hurl(text, file="v.hurl", variables={"host": "h:1", "id": 7, "token": "t"})
    assert e.request.target == "/u/7?v=7"
    assert e.request.headers == (("Host", "h:1"), ("Authorization", "Bearer t"))
    assert e.request.scheme == "https"
    assert e.request.body == b"7\n"
    assert [a.value for a in e.asserts] == [200, 7, "t"]


def test_http_versions_and_wildcard_status() -> None:
    entries = parse_hurl("GET http://h/a\nHTTP/2 404\nGET http://h/b\nHTTP *\nGET http://h/c\n",
                         file="x.hurl")
    assert [[a.value for a in e.asserts] for e in entries] == [["2", 404], [], []]


def test_directive_after_response_applies_to_next_entry() -> None:
    text = "GET http://h/a\nHTTP 200\n# @client-ip 10.9.9.9\nGET http://h/b\n"
    a, b = parse_hurl(text, file="x.hurl")
    assert (a.request.client_ip, b.request.client_ip) == ("127.0.0.1", "10.9.9.9")


def test_expected_body_after_asserts_and_header_alias() -> None:
    text = 'GET http://h/a\nHTTP 200\nx-a: 1\n[Asserts]\nstatus equals 200\n' \
           'header "x" includes "y"\n' \
           '```\nhello\n```\n'
    (e,) = parse_hurl(text, file="x.hurl")
    assert [(a.query, a.predicate, a.value) for a in e.asserts] == [
        ("status", "==", 200), ("header", "==", "1"), ("status", "==", 200),
        ("header", "includes", "y"), ("body", "==", "hello\n")]


def test_duplicate_names_are_made_unique() -> None:
    entries = parse_hurl("GET http://h/a\nGET http://h/a\n", file="x.hurl")
    assert [e.name for e in entries] == ["GET /a", "GET /a (line 2)"]
    assert len({e.key for e in entries}) == 2


def test_expected_json_array_body_after_asserts() -> None:
    (e,) = parse_hurl('GET http://h/a\nHTTP 200\n[Asserts]\nstatus == 200\n[1, 2]\n', file="x.hurl")
    assert e.asserts[-1].query == "body" and e.asserts[-1].value == "[1, 2]"
    assert e.asserts[-1].line == 5


def test_lowercase_method_hint() -> None:
    with pytest.raises(RequestFileError) as info:
        parse_hurl("get /a\n", file="t.hurl")
    assert info.value.hint == "methods are upper-case: GET"


def test_body_line_starting_with_http_inside_fences_is_fine() -> None:
    (entry,) = parse_hurl("POST http://h/a\n```\nHTTP is fun\n```\nHTTP 200\n", file="t.hurl")
    assert entry.request.body == b"HTTP is fun\n" and entry.asserts[0].value == 200


@pytest.mark.parametrize("name,line,fragment", [
    ("unsupported_certificate.hurl", 4, "not supported: query 'certificate'"),
    ("unsupported_ip.hurl", 5, "not supported: query 'ip'"),
    ("unsupported_proxy.hurl", 3, "not supported: option 'proxy'"),
    ("unsupported_compressed.hurl", 3, "not supported: option 'compressed'"),
])
def test_unsupported_fixture_files(name: str, line: int, fragment: str) -> None:
    with pytest.raises(RequestFileError) as info:
        load_requests(FIXTURES / name)
    err = info.value
    assert (err.line, err.file) == (line, str(FIXTURES / name))
    assert fragment in err.message
    assert f"{name}:{line}" in str(err)


@pytest.mark.parametrize("text,fragment", [
    ("GET http://h/a\n[Query]\na: b\n[Query]\nc: d\n", "duplicate section [Query]"),
    ("GET http://h/a\nHTTP 200\n[Asserts]\nstatus == 200\n[Asserts]\nstatus == 200\n",
     "duplicate section [Asserts]"),
    ("POST http://h/a\nbase64,SGVsbG8=\n", "unterminated base64, body"),
    ("POST http://h/a\n<a><b></b>\n", "unterminated XML body"),
    ("POST http://h/a\n```rust\nfn x\n```\n", "unknown multi-line string type"),
    ("GET http://h/{{}}\n", "empty placeholder {{}}"),
    ('POST http://h/a\n{"a": "\\ud800"}\n', "lone surrogate"),
    ("POST http://h/a\n" + "[" * 130 + "]" * 130 + "\n", "nested deeper than 128"),
    ("GET http://h/a\nHTTP/11 200\n", "bad response line"),
    ("GET h/a\n", "Hurl needs http:// or https://"),
])
def test_false_accepts_of_the_issue_are_rejected(text: str, fragment: str) -> None:
    with pytest.raises(RequestFileError) as info:
        parse_hurl(text, file="t.hurl")
    assert fragment in info.value.message and info.value.line >= 1


@pytest.mark.parametrize("text", [
    "\ufeffGET http://h/a\nHTTP 200\n",
    "GET http://h/a\nHTTP/* 200\n",
    "GET http://h/a\n{{k}}: v\nHTTP 200\n",
    "POST http://h/a\n```Hello```\nHTTP 200\n",
])
def test_false_rejects_of_the_issue_are_accepted(text: str) -> None:
    assert len(parse_hurl(text, file="t.hurl", variables={"k": "X-K"})) == 1
