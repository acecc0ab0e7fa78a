"""Hostile Hurl and .http text: control characters, lone CR line endings, numbers too
long for int(), options that would never end, bytes that are not UTF-8. Each is refused
at file:line(:column) with what to do, never sent to the handler, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import RequestFileError
from workbench.core.http import Response
from workbench.core.requests.files import load_requests
from workbench.core.requests.http_file import parse_http_file
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.hurl_options import variable_value
from workbench.core.requests.replay import replay

from .conftest import StubHarness, replay_text

BIG = "9" * 5000


def _refused(text: str) -> RequestFileError:
    with pytest.raises(RequestFileError) as err:
        parse_hurl(text, file="t.hurl", variables={})
    return err.value


def test_lone_cr_line_endings_are_refused_with_line_and_column() -> None:
    err = _refused("GET http://h/\rHTTP 200\r[Asserts]\rbody contains \"x\"\r")
    assert (err.line, err.column) == (1, 14)
    assert "lone CR" in err.message and "LF or CRLF" in (err.hint or "")


def test_crlf_line_endings_still_parse() -> None:
    (entry,) = parse_hurl("GET http://h/\r\nX-A: b\r\nHTTP 200\r\n", file="t.hurl")
    assert ("X-A", "b") in entry.request.headers


@pytest.mark.parametrize("text,line,column", [
    ("GET http://h/a\x00b\n", 1, 15),
    ("GET http://h/\nX-A: b\x00c\n", 2, 7),
    ("GET http://h/\nX-A: \x1b[31mred\n", 2, 6),
    ("GET http://h/\n[Query]\nq: a\x7fb\n", 3, 5),
])
def test_raw_control_characters_are_refused(text: str, line: int, column: int) -> None:
    err = _refused(text)
    assert (err.line, err.column) == (line, column)
    assert err.message.startswith("U+00")


@pytest.mark.parametrize("text", [
    "GET http://h/\nX-A: a\\u{d}\\u{a}X-Injected: 1\n",  # escapes that make a line break
    "GET http://h/\nX-A: a\\u{0}b\n",
    "GET http://h/a\\u{d}\\u{a}b\n",
    "GET http://h/a b\n",
    "GET http://h/\nX\\:A: b\n",  # an escaped colon in the name
])
def test_escapes_cannot_split_the_request_sent_to_the_handler(text: str) -> None:
    err = _refused(text)
    assert err.line == 1
    assert "holds" in err.message or "is not a field name" in err.message


def test_a_captured_line_break_is_not_sent_as_a_header() -> None:
    text = ('GET http://h/\nHTTP 200\n[Captures]\nt: header "X-T"\n'
            'GET http://h/two\nAuthorization: Bearer {{t}}\nHTTP 200\n')
    harness = StubHarness(Response(200, (("X-T", "abc\r\nX-Admin: 1"),), b""))
    entries = parse_hurl(text, file="t.hurl")
    report = replay(entries, harness, save=False)  # type: ignore[arg-type]
    assert len(harness.sent) == 1  # the second request never reached the handler
    error = report.entries[1].error
    assert error is not None and "header Authorization holds U+000D CR" in error["message"]


@pytest.mark.parametrize("option,words", [
    ("delay: 99999999999999999999", "longer than a replay waits"),
    ("delay: 2m", "longer than a replay waits"),
    ("retry-interval: 61s", "longer than a replay waits"),
    ("retry: 999999999", "more than this replay allows (100)"),
    (f"repeat: {BIG}", "more than this replay allows (10,000)"),
    ("max-redirs: 100000", "more than this replay allows (1,000)"),
])
def test_options_that_would_not_end_are_refused(option: str, words: str) -> None:
    err = _refused(f"GET http://h/\n[Options]\n{option}\nHTTP 200\n")
    assert err.line == 3 and words in err.message


def test_an_option_rendered_from_a_variable_is_bounded_when_sent() -> None:
    text = "GET http://h/\n[Options]\nvariable: d=9999999999999\ndelay: {{d}}\nHTTP 200\n"
    (entry,) = replay_text(text, b"").entries
    assert entry.error is not None and "longer than a replay waits" in entry.error["message"]


@pytest.mark.parametrize("text,words", [
    (f'GET http://h/\nHTTP 200\n[Asserts]\njsonpath "$" nth {BIG} == 1\n', "too large"),
    (f'GET http://h/\nHTTP 200\n[Asserts]\njsonpath "$[{BIG}]" == 1\n', "too large"),
    (f'GET http://h/\nHTTP 200\n[Asserts]\njsonpath "$[1:{BIG}]" == 1\n', "too large"),
    (f'GET http://h/\nHTTP 200\n[Asserts]\nbody == {BIG}\n', "number too long"),
])
def test_numbers_too_long_for_int_are_messages(text: str, words: str) -> None:
    err = _refused(text)
    assert err.line == 4 and words in err.message


def test_variable_values_too_long_for_an_integer_stay_text() -> None:
    assert variable_value(BIG) == BIG
    assert variable_value("9223372036854775807") == 2 ** 63 - 1
    assert variable_value("9223372036854775808") == "9223372036854775808"
    assert variable_value('"\\q"') == '"\\q"'  # not a JSON string: kept as written


def test_not_utf8_names_the_line_and_column_of_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "r.hurl"
    path.write_bytes(b"GET http://h/\nX-A: caf\xe9 ok\n")
    with pytest.raises(RequestFileError) as err:
        load_requests(path)
    assert (err.value.line, err.value.column) == (2, 9)
    assert "byte 0xe9" in err.value.message and "UTF-8" in (err.value.hint or "")


def test_utf16_is_named(tmp_path: Path) -> None:
    path = tmp_path / "r.hurl"
    path.write_bytes("GET http://h/\n".encode("utf-16"))
    with pytest.raises(RequestFileError) as err:
        load_requests(path)
    assert "UTF-16" in (err.value.hint or "")


@pytest.mark.parametrize("text,words", [
    ("GET http://[::1/x\n", "invalid URL"),
    ("GET http://h/a\x00b\n", "U+0000 NUL"),
    ("GET http://h/\nX-A: a\x1bb\n", "header X-A holds U+001B ESC"),
    ("G\x01T http://h/\n", "expected a request line"),
])
def test_http_files_refuse_what_cannot_be_sent(text: str, words: str) -> None:
    with pytest.raises(RequestFileError) as err:
        parse_http_file(text, file="t.http", variables={})
    assert err.value.line == 1 and words in err.value.message


def test_messages_quoting_huge_values_are_clipped() -> None:
    text = ('GET http://h/\nHTTP 200\n[Asserts]\nbody toInt == 1\n'
            'GET http://h/two\nHTTP 200\n[Captures]\nx: body toInt\n')
    report = replay_text(text, b"9" * 2_000_000)
    (failed,) = [r for r in report.entries[0].results if not r.passed]
    assert len(failed.message) < 1000 and "more characters" in failed.message
    error = report.entries[1].error
    assert error is not None and len(error["message"]) < 1000


def test_an_error_quoting_a_huge_line_is_clipped_when_shown() -> None:
    err = _refused("GET http://h/\nHTTP 200\n[Asserts]\nbody == " + "[" * 100_000 + "\n")
    assert len(err.message) > 100_000  # whole for --json
    assert len(str(err)) < 1500 and "more characters" in str(err)


def test_a_huge_url_gives_a_short_entry_name() -> None:
    (entry,) = parse_hurl("GET http://h/" + "a" * 1_000_000 + "\n", file="t.hurl")
    assert len(entry.name) < 130 and entry.name.startswith("GET /aaaa")
    assert len(entry.request.target) == 1_000_001  # the request itself is whole


def test_a_multiline_predicate_value_is_read() -> None:
    """Hurl's grammar allows a ``` string as a predicate value; it was read as an empty
    `one-line` string followed by a stray backtick ("unexpected text after the assertion")."""
    text = ('GET http://h/\nHTTP 200\n[Asserts]\nbody == ```\nline one\nline two\n```\n'
            'status == 200\n')
    (entry,) = parse_hurl(text, file="t.hurl")
    assert [a.value for a in entry.asserts[1:]] == ["line one\nline two\n", 200]
    (result,) = replay_text(text, b"line one\nline two\n").entries
    assert all(r.passed for r in result.results)


def test_an_unterminated_multiline_predicate_names_its_line() -> None:
    err = _refused("GET http://h/\nHTTP 200\n[Asserts]\n\n\nbody == ```\nabc\n")
    assert err.line == 6 and "unterminated ```" in err.message
