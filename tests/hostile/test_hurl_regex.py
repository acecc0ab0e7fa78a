"""Regexes in Hurl asserts, captures and filters run on RE2: a catastrophic pattern cannot
freeze a replay (it did on Python's `re`: `^([\\s\\S]|.)*Z$` on a 40-character body runs
for days), and what RE2 (like Hurl's Rust engine) cannot run is refused at file:line."""

from __future__ import annotations

import pytest

from workbench.core.errors import RequestFileError
from workbench.core.requests.hurl import parse_hurl

from .conftest import replay_text

HOSTILE = b"a" * 40 + b"!"  # exponential for `([\s\S]|.)*Z` on a backtracking engine
CATASTROPHIC = r"^([\s\S]|.)*Z$"


@pytest.mark.parametrize("line", [
    f"body matches /{CATASTROPHIC}/",
    f'body matches "{CATASTROPHIC.replace(chr(92), chr(92) * 2)}"',
    f'body regex /{CATASTROPHIC}/ == "x"',
    f'body replaceRegex /{CATASTROPHIC}/ "y" == "x"',
    f'regex /{CATASTROPHIC}/ == "x"',
])
def test_catastrophic_patterns_fail_the_assertion_instead_of_hanging(line: str) -> None:
    report = replay_text(f"GET http://h/\nHTTP 200\n[Asserts]\n{line}\n", HOSTILE)
    (entry,) = report.entries
    assert entry.error is None
    explicit = [r for r in entry.results if not r.assertion.implicit]
    assert [r.passed for r in explicit] == [False]


def test_catastrophic_capture_finds_nothing() -> None:
    text = (f"GET http://h/\nHTTP 200\n[Captures]\nx: regex /{CATASTROPHIC}/\n"
            "GET http://h/{{x}}\n")
    report = replay_text(text, HOSTILE)
    assert report.entries[0].error is not None or report.entries[1].error is not None


def test_matching_still_works_on_re2() -> None:
    text = ('GET http://h/\nHTTP 200\n[Asserts]\nbody matches /^a+!$/\n'
            'body regex /(a{3})/ == "aaa"\nbody replaceRegex /a+/ "b" == "b!"\n')
    (entry,) = replay_text(text, HOSTILE).entries
    assert all(r.passed for r in entry.results), [r.message for r in entry.results]


@pytest.mark.parametrize("pattern", [r"(?=a)b", r"(a)\1", r"(?<!x)y"])
def test_lookaround_and_backreferences_are_refused_at_their_line(pattern: str) -> None:
    text = f"GET http://h/\nHTTP 200\n[Asserts]\nbody matches /{pattern}/\n"
    with pytest.raises(RequestFileError) as err:
        parse_hurl(text, file="t.hurl")
    assert err.value.line == 4
    assert "invalid regex" in err.value.message
    assert "lookaround" in err.value.message
    assert "Rust" in (err.value.hint or "")


def test_a_rendered_pattern_that_does_not_compile_fails_its_assertion() -> None:
    text = ('GET http://h/\n[Options]\nvariable: p=(\nHTTP 200\n[Asserts]\n'
            'body matches "{{p}}"\n')
    (entry,) = replay_text(text, b"x").entries
    failed = [r for r in entry.results if not r.passed]
    assert len(failed) == 1 and "invalid regex" in failed[0].message
