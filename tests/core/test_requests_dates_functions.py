"""Date filters (toDate, toUnix, format) and the {{newUuid}} / {{newDate}} functions."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from workbench.core.http import Request, Response
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.replay import replay

from .test_requests_hurl_differential import FakeHarness


def dated(req: Request) -> Response:
    return Response(200, (("Content-Type", "application/json"),),
                    b'{"when": "2024-03-01T12:30:00Z", "day": "2024-03-01"}')


def test_to_date_to_unix_and_format() -> None:
    text = ('GET http://h/\nHTTP 200\n[Asserts]\n'
            'jsonpath "$.when" toDate "%Y-%m-%dT%H:%M:%SZ" toUnix == 1709296200\n'
            'jsonpath "$.day" toDate "%Y-%m-%d" format "%a, %d %b %Y" == "Fri, 01 Mar 2024"\n'
            'jsonpath "$.day" toDate "%Y-%m-%d" toUnix > 1700000000\n'
            'jsonpath "$.when" toUnix == 1\n')
    report = replay(parse_hurl(text, file="d.hurl"), FakeHarness(dated))
    results = report.entries[0].results
    assert [r.passed for r in results] == [True, True, True, True, False]
    assert "toUnix" in results[-1].message  # a string is no date: Hurl's "invalid input"


def test_new_uuid_and_new_date_are_fresh_per_send() -> None:
    text = ("POST http://h/a\nX-Id: {{newUuid}}\nX-At: {{newDate}}\nHTTP 200\n\n"
            "POST http://h/a\nX-Id: {{newUuid}}\nHTTP 200\n")
    harness = FakeHarness(dated)
    replay(parse_hurl(text, file="u.hurl"), harness)
    first, second = (r.header("x-id") for r in harness.sent)
    uuid4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
    assert first and second and uuid4.match(first) and uuid4.match(second) and first != second
    at = harness.sent[0].header("x-at") or ""
    assert at.endswith("Z")
    sent = datetime.fromisoformat(at.replace("Z", "+00:00"))
    assert abs((datetime.now(UTC) - sent).total_seconds()) < 3600


def test_jsonpath_made_invalid_by_a_captured_value_fails_the_assert() -> None:
    """Corpus find (sporestudio/web-server): `$.errors[{{index}}]` with a JSON capture."""
    text = ('GET http://h/\nHTTP 200\n[Captures]\nindex: body\n\n'
            'GET http://h/\nHTTP 200\n[Asserts]\njsonpath "$.errors[{{index}}].id" == "e"\n')
    report = replay(parse_hurl(text, file="j.hurl"), FakeHarness(dated))
    result = report.entries[1].results[-1]
    assert not result.passed and "JSONPath" in result.message


def test_unicode_keys_and_dot_bracket_jsonpath() -> None:
    """Corpus finds: `contraseña: x` in [FormParams] (nachoperna/RATAC) and `$.[0].a`
    (Financial-Times/bertha) are valid Hurl."""
    text = ("POST http://h/login\n[FormParams]\ncontraseña: pw\nHTTP 200\n\n"
            "GET http://h/\nHTTP 200\n[Asserts]\njsonpath \"$.[0]\" not exists\n")
    entries = parse_hurl(text, file="k.hurl")
    assert entries[0].request.body == b"contrase%C3%B1a=pw"
    report = replay(entries, FakeHarness(dated))
    assert report.entries[1].passed


def test_cookie_storage_comments_are_rejected_not_skipped() -> None:
    """Corpus find (Hurl's cookie_storage.hurl): Hurl acts on these comments."""
    import pytest

    from workbench.core.errors import RequestFileError

    text = "# @cookie_storage_clear\nGET http://h/\nHTTP 200\n"
    with pytest.raises(RequestFileError) as info:
        parse_hurl(text, file="c.hurl")
    assert info.value.line == 1 and info.value.message.startswith("not supported")


def test_charset_decode_and_bad_option_values_fail_only_their_entry() -> None:
    """Corpus finds (Hurl's tests_failed): `charsetDecode` is Hurl 7's `decode`; an
    [Options] value made invalid by a variable fails its entry, the replay goes on."""
    latin = ('GET http://h/\nHTTP 200\n[Asserts]\nbytes charsetDecode "latin1" == "café"\n\n'
             'GET http://h/\n[Options]\nvariable: n=10\nlocation: {{n}}\nHTTP 200\n\n'
             'GET http://h/\nHTTP 200\n')

    def body(req: Request) -> Response:
        return Response(200, (), "café".encode("latin1"))

    report = replay(parse_hurl(latin, file="l.hurl"), FakeHarness(body))
    first, bad, last = report.entries
    assert first.passed
    assert not bad.passed and bad.error and "location" in bad.error["message"]
    assert last.passed


def test_base64_url_safe_encode_has_no_padding() -> None:
    """Checked against Hurl's filter tests: base64UrlSafeEncode is URL_SAFE_NO_PAD."""
    text = ('GET http://h/\nHTTP 200\n[Asserts]\n'
            'jsonpath "$.f" base64Decode base64UrlSafeEncode == "0YjQtdC70LvRiw"\n'
            'jsonpath "$.f" base64Decode base64Encode == "0YjQtdC70LvRiw=="\n'
            'jsonpath "$.g" base64UrlSafeDecode base64UrlSafeEncode == "PDw_Pz8-Pg"\n')

    def body(req: Request) -> Response:
        return Response(200, (), b'{"f": "0YjQtdC70LvRiw==", "g": "PDw_Pz8-Pg"}')

    report = replay(parse_hurl(text, file="b.hurl"), FakeHarness(body))
    assert [r.passed for r in report.entries[0].results] == [True, True, True, True]


def test_empty_xpath_node_set_does_not_exist() -> None:
    """Found replaying Hurl's assert_xpath test against its own body: Hurl's `exists` is
    false for an empty node-set (an empty JSONPath list still exists, as in Hurl)."""
    text = ('GET http://h/\nHTTP 200\n[Asserts]\nxpath "//toto" not exists\n'
            'xpath "//data" exists\njsonpath "$.none" not exists\n')

    def xml(req: Request) -> Response:
        return Response(200, (("Content-Type", "application/xml"),), b"<data>x</data>")

    report = replay(parse_hurl(text, file="x.hurl"), FakeHarness(xml))
    assert [r.passed for r in report.entries[0].results][1:3] == [True, True]
