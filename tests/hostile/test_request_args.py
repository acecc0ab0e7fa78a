"""`run` / `bench` / `hooks` request flags: what cannot be written as an HTTP/1.1 request
(a CR/LF in --path or a header, a method with a space, an unclosed IPv6 URL) is a usage
error naming the flag (exit 2), never sent to the handler and never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.wat import wat
from workbench.cli import main

ECHO = wat('''(module (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "handle") (param i32 i32) (result i64) (i64.const 0)))''')


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.wasm").write_bytes(ECHO)
    return tmp_path / "m.wasm"


@pytest.mark.parametrize("args,flag,words", [
    (["--path", "/a\r\nX-Admin: 1"], "--path", "U+000D CR"),
    (["--path", "/a b"], "--path", "a space"),
    (["--path", "/a\x00"], "--path", "U+0000 NUL"),
    (["--path", "http://[::1/x"], "--path", "Invalid IPv6 URL"),
    (["-X", "GET /admin"], "--method", "is not an HTTP method"),
    (["-H", "X-A: a\r\nX-Admin: 1"], "--header", "header X-A holds U+000D CR"),
    (["-H", "X A: b"], "--header", "is not a field name"),
])
def test_run_refuses_a_request_that_cannot_be_written(module: Path, capsys, args: list[str],
                                                      flag: str, words: str) -> None:
    assert main(["run", str(module), *args]) == 2
    err = capsys.readouterr().err
    assert f"workbench: {flag}: " in err and words in err and "Traceback" not in err


def test_run_refuses_a_request_file_with_a_lone_cr(module: Path, capsys) -> None:
    (module.parent / "r.hurl").write_bytes(b"GET http://h/\rX-A: b\r")
    assert main(["run", str(module), "r.hurl"]) == 2
    assert "r.hurl:1:14: U+000D CR" in capsys.readouterr().err


@pytest.mark.parametrize("args,words", [
    (["--path", "/x\x1b[2J"], "U+001B ESC"),
    (["--path", "/x", "-X", "G T"], "is not an HTTP method"),
    (["--path", "/x", "-H", "A: b\nC: d"], "header A holds U+000A LF"),
])
def test_hooks_refuses_the_same(tmp_path: Path, capsys, args: list[str], words: str) -> None:
    hooks = tmp_path / "hooks.toml"
    hooks.write_text('[[rule]]\nname = "a"\naction = "log"\n')
    assert main(["hooks", str(hooks), *args]) == 2
    assert words in capsys.readouterr().err
