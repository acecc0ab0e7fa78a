"""Hurl's own parser-error tests (tests/data/hurl, from Orange-OpenSource/hurl): each is
refused at the line Hurl names, with a column, as a typed error (exit 2 from replay)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core.errors import RequestFileError
from workbench.core.requests.files import load_requests

DATA = Path(__file__).resolve().parents[1] / "data" / "hurl"
HURL_LINES = {  # the line of Hurl's own error for each file (its .err file)
    "hexdigit.hurl": 2, "invalid_character_at_end.hurl": 3, "multiline.hurl": 2,
    "section_name.hurl": 2, "template_variable.hurl": 1, "unicode.hurl": 4,
    "xml_unexpected_eof.hurl": 2, "json_object_trailing_comma.hurl": 4,
}


@pytest.mark.parametrize("name", sorted(HURL_LINES))
def test_refused_at_hurls_line_with_a_column(name: str) -> None:
    with pytest.raises(RequestFileError) as err:
        load_requests(DATA / name)
    assert err.value.line == HURL_LINES[name]
    assert err.value.column is not None and err.value.column >= 1
    assert err.value.where == f"{DATA / name}:{err.value.line}:{err.value.column}"


def test_replay_exits_2_naming_line_and_column(capsys) -> None:
    assert main(["replay", str(DATA / "multiline.hurl"), "--module", "x.wasm"]) == 2
    err = capsys.readouterr().err
    assert f"{DATA / 'multiline.hurl'}:2:4: " in err and "Traceback" not in err


@pytest.mark.parametrize("name,body", [
    ("assert_regex.hurl", b"Hello World!"),
    ("assert_match.hurl", b'{"date1": "2020-01-01", "date2": "2020-01-01T00:00:00", '
                          b'"path1": "aa/bb", "path2": "aa\\\\bb", "path3": "Hello World!"}'),
])
def test_hurls_own_regex_tests_pass_on_re2(name: str, body: bytes) -> None:
    from .conftest import replay_text

    text = (DATA / "ok" / name).read_text()
    (entry,) = replay_text(text, body, ctype="application/json").entries
    failed = [r.message for r in entry.results if not r.passed]
    assert failed == [] and len(entry.results) >= 7
