"""TOML from a folder: every hostile document is a message with file:line:column and a
hint, never a traceback (an integer of 5,000 digits was a ValueError traceback from
hooks, module.toml, workbench.toml, secrets.toml and the trust records alike)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core.tomldoc import TomlSyntax, parse_toml

BIG = "9" * 5000


@pytest.mark.parametrize("text,line,column,words,hint", [
    (f"a = 1\nb = {BIG}\n", 2, 5, "number too long", "sensible size"),
    ("x = " + "[" * 5000 + "]" * 5000 + "\n", 1, None, "nested too deeply", "nested"),
    ('a = 1\na = 2\n', 2, 6, "Cannot overwrite", "defined twice"),
    ('[t]\nx = 1\n[t]\n', 3, 3, "Cannot declare", "defined twice"),
    ('a = 1\rb = 2\r', 1, 6, "Expected newline", "lone CR"),
    ('a = "x\x00"\n', 1, 7, "Illegal character", "NUL"),
])
def test_hostile_toml_is_a_typed_error_with_a_position(text: str, line: int,
                                                       column: int | None, words: str,
                                                       hint: str) -> None:
    with pytest.raises(TomlSyntax) as err:
        parse_toml(text)
    assert (err.value.line, err.value.column) == (line, column)
    assert words in err.value.message
    assert hint in (err.value.hint or "")


def test_a_byte_order_mark_is_dropped() -> None:
    assert parse_toml('\ufeffname = "x"\n') == {"name": "x"}


def _module(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "hello.wat").write_text("(module)")
    (folder / "module.toml").write_text(text, encoding="utf-8", newline="")
    return folder


@pytest.mark.parametrize("command", ["check", "build"])
def test_module_toml_with_a_huge_integer(tmp_path: Path, capsys, command: str) -> None:
    folder = _module(tmp_path, f'toolchain = "wat"\n[budget]\nmax_bytes = {BIG}\n')
    assert main([command, str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"{folder / 'module.toml'}:3:13: invalid TOML: a number too long" in err
    assert "Traceback" not in err


def test_workbench_toml_with_a_huge_integer_for_kv(tmp_path: Path, capsys) -> None:
    (tmp_path / "workbench.toml").write_text(f"debounce_ms = {BIG}\n")
    assert main(["kv", "--workspace", str(tmp_path), "list"]) == 2
    assert f"{tmp_path / 'workbench.toml'}:1:15: invalid TOML" in capsys.readouterr().err


def test_hooks_file_with_a_huge_integer(tmp_path: Path, capsys) -> None:
    hooks = tmp_path / "hooks.toml"
    hooks.write_text(f'[[rule]]\nname = "a"\naction = "respond"\nstatus = {BIG}\n')
    assert main(["hooks", str(hooks)]) == 2
    err = capsys.readouterr().err
    assert f"{hooks}:4:10: not valid TOML: a number too long" in err


def test_secrets_with_a_huge_integer(tmp_path: Path, capsys) -> None:
    (tmp_path / "workbench.toml").write_text("")
    (tmp_path / ".workbench").mkdir()
    (tmp_path / ".workbench" / "secrets.toml").write_text(f"TOKEN = {BIG}\n")
    assert main(["kv", "--workspace", str(tmp_path), "list"]) == 2
    assert "cannot read secrets: a number too long" in capsys.readouterr().err


def test_trust_records_with_a_huge_integer(tmp_path: Path, capsys) -> None:
    records = Path(os.environ["WORKBENCH_CONFIG_DIR"]) / "trust.toml"
    records.parent.mkdir(parents=True, exist_ok=True)
    records.write_text(f"x = {BIG}\n")
    folder = _module(tmp_path, 'toolchain = "command"\ncommand = "true"\n')
    assert main(["trust", "--show", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "cannot read the trust records: a number too long" in err
    assert "delete the file" in err


def test_module_toml_with_lone_cr_line_endings(tmp_path: Path, capsys) -> None:
    folder = _module(tmp_path, 'toolchain = "wat"\rname = "x"\r')
    assert main(["check", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "module.toml:1:18: invalid TOML" in err and "lone CR line endings" in err


def test_module_toml_with_a_bom_loads(tmp_path: Path, capsys) -> None:
    folder = _module(tmp_path, '\ufeffname = "bom-ok"\ntoolchain = "wat"\n')
    assert main(["build", str(folder)]) == 0
    assert "bom-ok" in capsys.readouterr().out
