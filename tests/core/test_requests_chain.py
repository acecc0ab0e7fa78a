"""Captures chain into later entries and files; [Options] run policies; redaction."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workbench.core.errors import RequestFileError
from workbench.core.http import Request, Response
from workbench.core.requests.files import load_requests
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.replay import replay

from .test_requests_hurl_differential import FakeHarness


def api(req: Request) -> Response:
    """A tiny login API: POST /login -> token; GET /me needs it; /old redirects."""
    if req.path == "/login":
        return Response(200, (("Content-Type", "application/json"),),
                        json.dumps({"token": "s3cr3t-tok", "id": 7}).encode())
    if req.path == "/me":
        ok = req.header("authorization") == "Bearer s3cr3t-tok"
        return Response(200 if ok else 401, (), b'{"id": 7}' if ok else b"{}")
    if req.path == "/old":
        return Response(301, (("Location", "/new?x=1"),), b"")
    if req.path == "/away":
        return Response(302, (("Location", "https://elsewhere.example/"),), b"")
    return Response(200, (), req.path.encode())


LOGIN = ("POST http://h/login\nHTTP 200\n[Captures]\ntoken: jsonpath \"$.token\" redact\n"
         "id: jsonpath \"$.id\"\n[Asserts]\nvariable \"id\" == 7\n\n")


def test_capture_then_use_in_header_url_and_assert() -> None:
    text = LOGIN + ("GET http://h/me?u={{id}}\nAuthorization: Bearer {{token}}\nHTTP 200\n"
                    "[Asserts]\njsonpath \"$.id\" == {{id}}\n")
    entries = parse_hurl(text, file="t.hurl")
    harness = FakeHarness(api)
    report = replay(entries, harness)
    assert report.passed, [r.message for e in report.entries for r in e.failures]
    assert harness.sent[1].target == "/me?u=7"
    assert harness.sent[1].header("authorization") == "Bearer s3cr3t-tok"
    shown = json.dumps(report.to_json())
    assert "s3cr3t-tok" not in shown and "[redacted:token]" in shown


def test_captures_flow_across_files_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "a_login.hurl").write_text(LOGIN)
    (tmp_path / "b_me.hurl").write_text("GET http://h/me\nAuthorization: Bearer {{token}}\n"
                                         "HTTP 200\n")
    entries = load_requests(tmp_path)
    assert replay(entries, FakeHarness(api)).passed
    with pytest.raises(RequestFileError) as info:  # alone, b_me.hurl has no token
        load_requests(tmp_path / "b_me.hurl")
    assert info.value.line == 2 and "undefined variable {{token}}" in info.value.message


def test_capture_that_finds_nothing_fails_the_entry() -> None:
    text = "GET http://h/x\nHTTP 200\n[Captures]\nt: jsonpath \"$.nope\"\n"
    report = replay(parse_hurl(text, file="t.hurl"), FakeHarness(api))
    err = report.entries[0].error
    assert not report.passed and err is not None and err["kind"] == "capture"
    assert "t.hurl:4" in err["message"]


def test_options_variable_skip_repeat_retry() -> None:
    calls: list[str] = []

    def flaky(req: Request) -> Response:
        calls.append(req.target)
        return Response(500 if len(calls) < 3 else 200, (), b"")

    text = ("GET http://h/a\n[Options]\nvariable: n=2\nskip: true\n\n"
            "GET http://h/b/{{n}}\n[Options]\nrepeat: 2\n\n"
            "GET http://h/c\n[Options]\nretry: 5\nretry-interval: 0\nHTTP 200\n")
    report = replay(parse_hurl(text, file="t.hurl"), FakeHarness(flaky))
    assert [e.skipped for e in report.entries] == [True, False, False, False]
    assert calls == ["/b/2", "/b/2", "/c"]  # the third call already succeeds
    assert report.passed


def test_retry_gives_up_and_reports_the_last_attempt() -> None:
    text = "GET http://h/a\n[Options]\nretry: 2\nretry-interval: 0ms\nHTTP 201\n"
    harness = FakeHarness(lambda r: Response(200, (), b""))
    report = replay(parse_hurl(text, file="t.hurl"), harness)
    assert len(harness.sent) == 3 and not report.passed
    assert report.entries[0].attempts == 3


def test_location_follows_same_host_redirects_only() -> None:
    text = ("GET http://h/old\n[Options]\nlocation: true\nHTTP 200\n[Asserts]\n"
            "url == \"http://h/new?x=1\"\nredirects count == 1\n"
            "redirects nth 0 location == \"http://h/new?x=1\"\n\n"
            "GET http://h/old\nHTTP 301\n\n"
            "GET http://h/away\n[Options]\nlocation: true\n")
    report = replay(parse_hurl(text, file="t.hurl"), FakeHarness(api))
    first, second, third = report.entries
    assert first.passed, [r.message for r in first.failures]
    assert second.passed
    assert third.error is not None and "not supported: redirect to another host" in \
        third.error["message"]


def test_undefined_and_reserved_names_are_load_errors() -> None:
    with pytest.raises(RequestFileError) as info:
        parse_hurl("GET http://h/a\nHTTP 200\n\nGET http://h/{{later}}\nHTTP 200\n"
                   "[Captures]\nlater: body\n", file="t.hurl")
    assert info.value.line == 4
    with pytest.raises(RequestFileError):
        parse_hurl("GET http://h/a\n[Options]\nvariable: newUuid=1\n", file="t.hurl")


def test_render_error_at_replay_is_an_entry_error() -> None:
    text = ("GET http://h/login\nHTTP 200\n[Captures]\nall: jsonpath \"$\"\n\n"
            "GET http://h/{{all}}\n")
    report = replay(parse_hurl(text, file="t.hurl"), FakeHarness(api))
    err: Any = report.entries[1].error
    assert err is not None and "cannot be rendered as text" in err["message"]
