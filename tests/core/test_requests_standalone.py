"""`workbench run FILE --entry N`: an entry using a captured value is refused, not sent
with literal braces; functions and workspace variables are rendered."""

from __future__ import annotations

import pytest

from workbench.core.errors import RequestFileError
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.standalone import standalone_request

TEXT = ("POST http://h/login\nHTTP 200\n[Captures]\ntoken: jsonpath \"$.token\"\n\n"
        "GET http://{{host}}/me\nAuthorization: Bearer {{token}}\nHTTP 200\n\n"
        "GET http://{{host}}/ping?n={{n}}\nX-Id: {{newUuid}}\n[Options]\nvariable: n=3\n"
        "HTTP 200\n")


def test_entry_with_a_capture_is_refused_naming_the_variable() -> None:
    entries = parse_hurl(TEXT, file="flow.hurl", variables={"host": "api.test"})
    with pytest.raises(RequestFileError) as info:
        standalone_request(entries, 1)
    e = info.value
    assert "{{token}}" in e.message and "captured by the entry at flow.hurl:1" in e.message
    assert e.line == 7 and "workbench replay flow.hurl" in (e.hint or "")


def test_entry_without_late_values_renders_variables_and_functions() -> None:
    entries = parse_hurl(TEXT, file="flow.hurl", variables={"host": "api.test"})
    first = standalone_request(entries, 0)
    assert first.host == "h" and first.target == "/login"
    req = standalone_request(entries, 2)
    assert req.host == "api.test" and req.target == "/ping?n=3"
    assert "{{" not in (req.header("x-id") or "{{") and len(req.header("x-id") or "") == 36
