"""Finding 12: control characters from guests are shown escaped in human output
(run, replay, watch, bench errors, hooks), and JSON output stays exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main

OSC52 = "\x1b]52;c;ZXZpbA==\x07"  # writes "evil" to the clipboard of many terminals
CLEAR = "\x1b[2J\x1b[H"
# The header carries a bidi override: a control character in a header value is no
# longer a response at all (a `response` error, core/runtime/response_check.py).
RESPONSE = ("HTTP/1.1 200 OK\r\nX-Evil: a\u202eb\r\n\r\n"
            f"{CLEAR}hello{OSC52}\rX\u202eevil")
LOG = f"log line {OSC52}{CLEAR}"


def _wat_string(text: str) -> str:
    return "".join(f"\\{b:02x}" for b in text.encode())


def _module(tmp_path: Path) -> Path:
    body = RESPONSE.encode()
    log = LOG.encode()
    mod = tmp_path / "hostile"
    mod.mkdir()
    (mod / "h.wat").write_text(f"""(module
  (import "edge" "log" (func $log (param i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 1000) "{_wat_string(LOG)}")
  (data (i32.const 8192) "{_wat_string(chr(len(body)) + chr(0) + chr(0) + chr(0))}")
  (data (i32.const 8196) "{_wat_string(RESPONSE)}")
  (func (export "alloc") (param i32) (result i32) (i32.const 16384))
  (func (export "handle") (param i32 i32) (result i32)
    (call $log (i32.const 1) (i32.const 1000) (i32.const {len(log)}))
    (i32.const 8192)))
""")
    assert len(body) < 128  # one-byte length in the data segment above
    (mod / "requests").mkdir()
    (mod / "requests" / "a.hurl").write_text(
        'GET http://x/\nHTTP 200\n[Asserts]\nbody == "nope"\nheader "X-Evil" == "b"\n')
    return mod


def _raw_controls(text: str) -> list[str]:
    return [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or c == "\u202e"]


def test_printable_escapes_controls() -> None:
    from workbench.core.text import printable
    assert printable(f"a{OSC52}b\r\n\tc\u202e") == \
        "a\\x1b]52;c;ZXZpbA==\\x07b\\r\n\tc\\u202e"
    assert printable("plain text\n") == "plain text\n"


def test_run_human_output_shows_escapes(tmp_path: Path, capsys) -> None:
    main(["run", str(_module(tmp_path))])
    out = capsys.readouterr()
    text = out.out + out.err
    assert "hello" in text and "\\x1b]52" in text and "\\x1b[2J" in text
    assert _raw_controls(text) == []


def test_run_json_stays_exact(tmp_path: Path, capsys) -> None:
    assert main(["run", str(_module(tmp_path)), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["body"] == RESPONSE.split("\r\n\r\n", 1)[1]
    assert doc["logs"][0]["message"] == LOG


def test_replay_human_output_shows_escapes(tmp_path: Path, capsys) -> None:
    assert main(["replay", str(_module(tmp_path))]) == 1  # the asserts fail: a diff
    out = capsys.readouterr()
    text = out.out + out.err
    assert "ZXZpbA==" in text and _raw_controls(text) == []


@pytest.mark.parametrize("command", ["bench"])
def test_bench_output_has_no_raw_controls(command: str, tmp_path: Path, capsys) -> None:
    main([command, str(_module(tmp_path)), "-n", "3"])
    out = capsys.readouterr()
    assert _raw_controls(out.out + out.err) == []


def test_hooks_output_shows_escapes(tmp_path: Path, capsys) -> None:
    hooks = tmp_path / "hooks.toml"
    hooks.write_text('[[rule]]\nname = "r"\naction = "respond"\n'
                     f'body = {json.dumps(CLEAR + "hi" + OSC52)}\n')
    main(["hooks", str(hooks), "--path", "/"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert "answered 200" in text and _raw_controls(text) == []


def test_the_cli_consoles_escape_every_string(capsys) -> None:
    """watch and every other human renderer print through these consoles."""
    from workbench.cli.render import console, err_console

    console.print(f"[bold]x[/]{OSC52}", markup=True)
    err_console.print(f"y{CLEAR}", markup=False)
    out = capsys.readouterr()
    assert _raw_controls(out.out + out.err) == [] and "\\x1b]52" in out.out
