"""Plain-text replay failures hide captured `redact` values, as the JSON report does."""

from __future__ import annotations

import json

from tests.core.test_requests_hurl_differential import FakeHarness
from workbench.cli.commands._replay_render import render_entry
from workbench.cli.render import console
from workbench.core.http import Request, Response
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.replay import replay


def api(req: Request) -> Response:
    if req.path == "/login":
        return Response(200, (("Content-Type", "application/json"),),
                        b'{"token": "tok-9f8e7d"}')
    return Response(500, (("Content-Type", "text/plain"),),
                    f"bad token {req.header('authorization')}".encode())


def test_failure_lines_hide_redacted_captures() -> None:
    text = ("POST http://h/login\nHTTP 200\n[Captures]\ntoken: jsonpath \"$.token\" redact\n\n"
            "GET http://h/me\nAuthorization: {{token}}\nHTTP 200\n[Asserts]\n"
            "body == \"ok\"\n")
    report = replay(parse_hurl(text, file="r.hurl"), FakeHarness(api))
    failed = report.entries[1]
    assert not failed.passed
    with console.capture() as cap:
        render_entry(failed)
    shown = cap.get()
    assert "tok-9f8e7d" not in shown and "[redacted:token]" in shown
    assert "tok-9f8e7d" not in json.dumps(failed.to_json())
