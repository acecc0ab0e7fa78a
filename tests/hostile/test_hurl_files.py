"""`file,name;` bodies, multipart files and xpath from a saved request nobody reviewed:
only regular files inside the .hurl file's folder (Hurl's default --file-root), never a
FIFO (a replay that never ends) or a device (/dev/zero fills the memory); XPath 1.0 only
(XPath 2's matches() ran Python's backtracking `re`), nesting errors in words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.core.errors import RequestFileError
from workbench.core.requests.files import load_requests
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.xpath import XPathError, check_xpath, eval_xpath

from .conftest import replay_text


def _write(folder: Path, text: str) -> Path:
    path = folder / "r.hurl"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("body", ["file,fifo;", "[Multipart]\nf: file,fifo;"])
def test_a_fifo_body_is_refused_at_load(tmp_path: Path, body: str) -> None:
    os.mkfifo(tmp_path / "fifo")
    path = _write(tmp_path, f"POST http://h/\n{body}\nHTTP 200\n")
    with pytest.raises(RequestFileError) as err:
        load_requests(path)
    assert "not a regular file (a FIFO)" in err.value.message
    assert err.value.file == str(path)


@pytest.mark.parametrize("name", ["/dev/zero", "/etc/passwd", "../outside.txt", "link.txt"])
def test_a_body_outside_the_hurl_folder_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / "outside.txt").write_text("secret")
    inner = tmp_path / "requests"
    inner.mkdir()
    (inner / "link.txt").symlink_to(tmp_path / "outside.txt")
    path = _write(inner, f"POST http://h/\nfile,{name};\nHTTP 200\n")
    with pytest.raises(RequestFileError) as err:
        load_requests(path)
    assert err.value.line == 2
    assert "outside" in err.value.message
    assert "--file-root" in (err.value.hint or "")


def test_a_body_file_inside_the_folder_is_sent(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "b.json").write_bytes(b'{"a": 1}')
    path = _write(tmp_path, "POST http://h/\nfile,data/b.json;\nHTTP 200\n")
    (entry,) = load_requests(path)
    assert entry.request.body == b'{"a": 1}'


def test_a_missing_body_file_is_reported_when_sent(tmp_path: Path) -> None:
    text = "POST http://h/\nfile,later.bin;\nHTTP 200\n"
    (entry,) = replay_text(text, b"", file=tmp_path / "r.hurl").entries
    assert entry.error is not None and "later.bin" in entry.error["message"]


def test_xpath2_matches_is_refused_at_load() -> None:
    text = 'GET http://h/\nHTTP 200\n[Asserts]\nxpath "matches(string(//p), \'(a|a)*$\')"\n'
    with pytest.raises(RequestFileError) as err:
        parse_hurl(text, file="t.hurl")
    assert err.value.line == 4 and "unknown function 'matches'" in err.value.message


def test_xpath2_functions_do_not_run_against_a_body() -> None:
    with pytest.raises(XPathError, match="matches"):
        eval_xpath(b"<p>" + b"a" * 40 + b"!</p>", 'matches(string(//p), "^(a|a)*$")')


def test_deeply_nested_xpath_is_a_message_not_a_recursion_error() -> None:
    expr = "(" * 5000 + "1" + ")" * 5000
    assert check_xpath(expr) == "the expression or the document is nested too deeply to " \
                                "evaluate"
    with pytest.raises(RequestFileError) as err:
        parse_hurl(f'GET http://h/\nHTTP 200\n[Asserts]\nxpath "{expr}" == 1\n',
                   file="t.hurl")
    assert err.value.line == 4 and "nested too deeply" in err.value.message


def test_xpath_on_a_deeply_nested_document() -> None:
    deep = b"<a>" * 5000 + b"x" + b"</a>" * 5000
    assert eval_xpath(deep, "count(//a)") == 5000
    assert eval_xpath(deep, "string(//a)") == "x"
