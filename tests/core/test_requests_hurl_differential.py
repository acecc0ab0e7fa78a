"""Differential test: one small Hurl file per construct and the request Hurl documents it
sends (method, URL, headers, body bytes), then assertion outcomes against a fixed response.

Expected values come from hurl.dev (file format: request, entry, body, asserting response,
templates) and Hurl's own integration tests, not from this parser.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from workbench.core.http import Request, Response
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.replay import replay


def sent(text: str, variables: dict[str, Any] | None = None, tmp: Path | None = None
         ) -> Request:
    file = str(tmp / "t.hurl") if tmp else "t.hurl"
    (entry,) = parse_hurl(text, file=file, variables=variables or {})
    return entry.spec.render({**(variables or {})}) if entry.spec else entry.request


def hdrs(req: Request) -> list[tuple[str, str]]:
    return [(k, v) for k, v in req.headers if k != "Host"]


CASES: list[tuple[str, str, str, list[tuple[str, str]], bytes]] = [
    # (file text, method, url, headers other than Host, body)
    ("GET https://example.org/a?b=1 # comment\n", "GET", "https://example.org/a?b=1", [], b""),
    ("HEAD http://h:8080/\n", "HEAD", "http://h:8080/", [], b""),
    ("GET http://h/a\nX-A: v # a comment\nX-B: a\\#b\n", "GET", "http://h/a",
     [("X-A", "v"), ("X-B", "a#b")], b""),
    ("GET http://h/a\nX-U: caf\\u{e9}\n", "GET", "http://h/a", [("X-U", "café")], b""),
    ("GET http://h/a\nX-Custom;\n", "GET", "http://h/a", [("X-Custom", "")], b""),
    ("GET http://bob:s%40cret@h/a\n", "GET", "http://h/a",
     [("Authorization", "Basic " + base64.b64encode(b"bob:s@cret").decode())], b""),
    ("GET http://h/a\n[Query]\nq: a b\nn: 1\n", "GET", "http://h/a?q=a%20b&n=1", [], b""),
    ("GET http://h/a\n[Cookies]\nx: 1\ny: 2\n", "GET", "http://h/a", [("Cookie", "x=1; y=2")],
     b""),
    ("GET http://h/a\n[BasicAuth]\nbob@email.com: secret\n", "GET", "http://h/a",
     [("Authorization", "Basic " + base64.b64encode(b"bob@email.com:secret").decode())], b""),
    ("POST http://h/a\n[FormParams]\nparam1: value1\nparam2:\nparam3: a=b\nparam4: a%3db\n"
     "values\\u{5b}0\\u{5d}: 0\n", "POST", "http://h/a",
     [("Content-Type", "application/x-www-form-urlencoded")],
     b"param1=value1&param2=&param3=a%3Db&param4=a%253db&values%5B0%5D=0"),
    ('POST http://h/a\n{"a": [1, true, null]}\n', "POST", "http://h/a",
     [("Content-Type", "application/json")], b'{"a": [1, true, null]}'),
    ('POST http://h/a\nContent-Type: text/json\n{"a": 1}\n', "POST", "http://h/a",
     [("Content-Type", "text/json")], b'{"a": 1}'),
    ("POST http://h/a\n<?xml version=\"1.0\"?>\n<a>\n  <b>1</b>\n</a>\n", "POST", "http://h/a",
     [("Content-Type", "application/xml")], b'<?xml version="1.0"?>\n<a>\n  <b>1</b>\n</a>'),
    ("POST http://h/a\n```\nline1\nline2\n```\n", "POST", "http://h/a", [],
     b"line1\nline2\n"),
    ("POST http://h/a\n```escape\na\\tb\\u{41}\n```\n", "POST", "http://h/a", [], b"a\tbA\n"),
    ("POST http://h/a\n```\na\\tb\n```\n", "POST", "http://h/a", [], b"a\\tb\n"),
    ("POST http://h/a\n```novariable\n{{x}}\n```\n", "POST", "http://h/a", [], b"{{x}}\n"),
    ("POST http://h/a\n```json\n{\"x\": 1}\n```\n", "POST", "http://h/a",
     [("Content-Type", "application/json")], b'{"x": 1}\n'),
    ("POST http://h/a\n```graphql\n{ hero { name } }\n```\n", "POST", "http://h/a",
     [("Content-Type", "application/json")], b'{"query": "{ hero { name } }\\n"}'),
    ("POST http://h/a\n```base64\nSGVsbG8=\n```\n", "POST", "http://h/a", [], b"Hello"),
    ("POST http://h/a\n```Hello world```\n", "POST", "http://h/a", [], b"Hello world"),
    ("POST http://h/a\n`Hello \\`world\\``\n", "POST", "http://h/a", [], b"Hello `world`"),
    ("POST http://h/a\nbase64,SGVsbG8gV29ybGQh; # comment\n", "POST", "http://h/a", [],
     b"Hello World!"),
    ("POST http://h/a\nhex,48656c6c6f;\n", "POST", "http://h/a", [], b"Hello"),
    ("\ufeffGET http://h/bom\n", "GET", "http://h/bom", [], b""),
    ("GET http://h/a\n[Options]\nheader: X-O: 1\nuser: u:p\n", "GET", "http://h/a",
     [("X-O", "1"), ("Authorization", "Basic " + base64.b64encode(b"u:p").decode())], b""),
]


@pytest.mark.parametrize("text,method,url,headers,body", CASES)
def test_request_sent(text: str, method: str, url: str, headers: list[tuple[str, str]],
                      body: bytes) -> None:
    req = sent(text)
    assert (req.method, req.url, hdrs(req), req.body) == (method, url, headers, body)


def test_templated_header_name_and_json_placeholder() -> None:
    req = sent('POST http://{{host}}/a\n{{key}}: v\n{"n": {{n}}, "s": "{{s}}"}\n',
               {"host": "h:1", "key": "X-K", "n": 3, "s": "x"})
    assert hdrs(req) == [("X-K", "v"), ("Content-Type", "application/json")]
    assert req.body == b'{"n": 3, "s": "x"}' and req.host == "h:1"


def test_multipart_body(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_text("hello")
    req = sent("POST http://h/up\n[Multipart]\nf1: v1\nfile1: file,data.txt;\n"
               "file2: file,data.txt; text/html\n", tmp=tmp_path)
    ctype = req.header("content-type") or ""
    boundary = ctype.split("boundary=")[1]
    parts = req.body.split(b"--" + boundary.encode())
    assert ctype.startswith("multipart/form-data; boundary=")
    assert b'name="f1"\r\n\r\nv1\r\n' in parts[1]
    assert b'name="file1"; filename="data.txt"\r\nContent-Type: text/plain\r\n\r\nhello' \
        in parts[2]
    assert b"Content-Type: text/html" in parts[3] and parts[-1] == b"--\r\n"


def test_file_body_relative_to_the_hurl_file(tmp_path: Path) -> None:
    (tmp_path / "b.bin").write_bytes(b"\x00\x01")
    assert sent("POST http://h/a\nfile,b.bin;\n", tmp=tmp_path).body == b"\x00\x01"


@dataclass
class Run:
    response: Response | None
    timing: dict[str, float] = field(default_factory=lambda: {"total": 1500.0})
    fuel: int = 10
    error: Any = None
    hook: Any = None


class FakeHarness:
    """Answers each request with `answer(request)`; remembers what it was sent."""

    def __init__(self, answer: Any) -> None:
        self.answer, self.sent = answer, []

    def run(self, request: Request, mode: str = "fresh", hooks: Any = None) -> Run:
        self.sent.append(request)
        return Run(self.answer(request))


JSON_BODY = json.dumps({"count": 5, "success": False, "errors": [{"id": "e1"}, {"id": "e2"}],
                        "message": "Hello Bob!", "duration": 1.5, "tags": ["test"],
                        "nullable": None, "ips": "1.1.1.1, 2.2.2.2", "id": "123",
                        "date": "2022-10-31T09:00:00.594Z", "file": "0YjQtdC70LvRiw==",
                        "uuid": "01cc0f54-8885-4a1d-9121-ae5d316a33c5"}).encode()
RESPONSE = Response(200, (("Content-Type", "application/json"), ("X-Fruit", "Banana"),
                          ("X-Fruit", "Lemon"),
                          ("Set-Cookie", "LSID=abc; Path=/accounts; Secure; HttpOnly; "
                                         "Max-Age=1000; Expires=Wed, 13 Jan 2021 22:23:01 GMT")),
                    JSON_BODY)

ASSERTS = [  # (assert line, passes) as Hurl documents each
    ('jsonpath "$.count" == 5', True), ('jsonpath "$.count" == 5.0', True),
    ('jsonpath "$.count" == "5"', False), ('jsonpath "$.success" == false', True),
    ('jsonpath "$.success" == 0', False), ('jsonpath "$.errors" count == 2', True),
    ('jsonpath "$.errors[*].id" includes "e1"', True),
    ('jsonpath "$.errors[?(@.id == \'e2\')].id" nth 0 == "e2"', True),
    ('jsonpath "$..id" count == 3', True), ('jsonpath "$.nullable" == null', True),
    ('jsonpath "$.toto" not exists', True), ('jsonpath "$.toto" == null', False),
    ('jsonpath "$.duration" isFloat', True), ('jsonpath "$.count" isInteger', True),
    ('jsonpath "$.errors" isCollection', True), ('jsonpath "$.date" isIsoDate', True),
    ('jsonpath "$.uuid" isUuid', True), ('jsonpath "$.tags" isEmpty', False),
    ('jsonpath "$.message" regex /Hello (.*)!/ == "Bob"', True),
    ('jsonpath "$.ips" split ", " nth 1 == "2.2.2.2"', True),
    ('jsonpath "$.ips" split ", " nth 1 isIpv4', True),
    ('jsonpath "$.id" toInt == 123', True), ('jsonpath "$.id" toFloat == 123', True),
    ('jsonpath "$.message" replace "Bob" "Al" == "Hello Al!"', True),
    ('jsonpath "$.file" base64Decode == hex,d188d0b5d0bbd0bbd18b;', True),
    ('jsonpath "$.message" urlEncode == "Hello%20Bob%21"', True),
    ('jsonpath "$.message" htmlEscape == "Hello Bob!"', True),
    ('jsonpath "$.date" toDate "%Y-%m-%dT%H:%M:%S.%fZ" format "%Y" == "2022"', True),
    ('jsonpath "$.date" toDate "%Y-%m-%dT%H:%M:%S.%fZ" daysBeforeNow > 100', True),
    ('jsonpath "$.count" count == 1', False),  # invalid filter input: not a list
    ('header "X-Fruit" count == 2', True), ('header "x-fruit" nth 1 == "Lemon"', True),
    ('header "Content-Type" contains "json"', True), ('header "X-None" not exists', True),
    ('cookie "LSID" == "abc"', True), ('cookie "LSID[Path]" == "/accounts"', True),
    ('cookie "LSID[Secure]" exists', True), ('cookie "LSID[Max-Age]" == 1000', True),
    ('cookie "LSID[Expires]" format "%Y" == "2021"', True),
    ('cookie "LSID[Domain]" not exists', True),
    ('body contains "Bob"', True), ('body matches /"count": \\d+/', True),
    ('bytes count == ' + str(len(JSON_BODY)), True),
    ('sha256 == hex,' + __import__("hashlib").sha256(JSON_BODY).hexdigest() + ';', True),
    ('md5 == hex,' + __import__("hashlib").md5(JSON_BODY).hexdigest() + ';', True),
    ('regex "\\"id\\": \\"(\\\\d+)\\"" == "123"', True),
    ('status == 200', True), ('status < 300', True), ('version == "1.1"', True),
    ('url == "http://h/a"', True), ('duration < 1000', True),
    ('variable "v" == "w"', True),
]


@pytest.mark.parametrize("line,passes", ASSERTS)
def test_assertion_outcome(line: str, passes: bool) -> None:
    text = f"GET http://h/a\n[Options]\nvariable: v=w\nHTTP 200\n[Asserts]\n{line}\n"
    entries = parse_hurl(text, file="t.hurl")
    report = replay(entries, FakeHarness(lambda r: RESPONSE))
    (result,) = report.entries[0].results[1:]  # after the implicit status == 200
    assert result.passed is passes, result.message


def test_http_version_line_is_checked_not_dropped() -> None:
    for line, ok in (("HTTP/1.1 200", True), ("HTTP/2 200", False), ("HTTP/3 200", False),
                     ("HTTP/* 200", True), ("HTTP 200", True), ("HTTP 201", False)):
        entries = parse_hurl(f"GET http://h/a\n{line}\n", file="t.hurl")
        report = replay(entries, FakeHarness(lambda r: RESPONSE))
        assert report.passed is ok, line
    (e,) = parse_hurl("GET http://h/a\nHTTP/2 200\n", file="t.hurl")
    report = replay([e], FakeHarness(lambda r: RESPONSE))
    assert report.entries[0].failures[0].message == 'version: expected == "2", got "1.1"'


def test_implicit_headers_and_json_body() -> None:
    text = ("GET http://h/a\nHTTP 200\nContent-Type: application/json # a comment\n"
            "X-Fruit: Lemon\n" + json.dumps(json.loads(JSON_BODY), indent=2) + "\n")
    report = replay(parse_hurl(text, file="t.hurl"), FakeHarness(lambda r: RESPONSE))
    assert report.passed, [r.message for r in report.entries[0].failures]
    assert [r.assertion.query for r in report.entries[0].results] == [
        "status", "header", "header", "body"]


def test_oneline_expected_body_decodes_escapes() -> None:
    text = "GET http://h/a\nHTTP 200\n`a\\nb`\n"
    report = replay(parse_hurl(text, file="t.hurl"),
                    FakeHarness(lambda r: Response(200, (), b"a\nb")))
    assert report.passed
