"""Copy as curl / save as .hurl: what is written reads back to the same request."""

from __future__ import annotations

import shlex

from workbench.core.http import Request
from workbench.core.requests.export import to_curl, to_hurl_entry
from workbench.core.requests.hurl import parse_hurl


def test_curl_is_shell_safe_and_complete() -> None:
    req = Request("POST", "/api?q=a b", (("Host", "example.com"), ("X-Quote", "it's")),
                  b'{"a": 1}')
    argv = shlex.split(to_curl(req))
    assert argv == ["curl", "-X", "POST", "http://example.com/api?q=a b", "-H",
                    "X-Quote: it's", "--data-binary", '{"a": 1}']
    local = shlex.split(to_curl(req, "http://127.0.0.1:8787/"))
    assert local[3] == "http://127.0.0.1:8787/api?q=a b" and "Host: example.com" in local


def test_hurl_entry_round_trips() -> None:
    req = Request("PUT", "/items/7", (("Host", "example.com"), ("Content-Type", "text/plain")),
                  b"line one\nline two")
    text = to_hurl_entry(req, status=201, comment="saved from the app")
    (entry,) = parse_hurl(text, file="t.hurl", variables={})
    assert entry.request.method == "PUT" and entry.request.target == "/items/7"
    assert entry.request.body == b"line one\nline two"
    assert ("Content-Type", "text/plain") in entry.request.headers


def test_hurl_entry_keeps_exact_body_bytes() -> None:
    for body in (b"one line", b"two\nlines\n", b"no final\nnewline", b"\xff\x00binary",
                 b"tick ` and {{var}}"):
        text = to_hurl_entry(Request("POST", "/", (("Host", "h"),), body))
        (entry,) = parse_hurl(text, file="t.hurl", variables={})
        assert entry.request.body == body, (body, text)
