"""`workbench kv` on hostile values, files and stores: a FIFO or /dev/zero as @FILE (a
hang; an OOM kill), a NUL in kv_file (a ValueError traceback), a kv_file outside the
workspace (`kv reset` would have moved /etc/passwd aside), a folder where the store goes
(a misleading 'check the disk' message). A refused command leaves the store as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.cli import main


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    (tmp_path / "workbench.toml").write_text("")
    assert main(["kv", "--workspace", str(tmp_path), "put", "kept", "v1"]) == 0
    return tmp_path


def _kv(ws: Path, *args: str) -> int:
    return main(["kv", "--workspace", str(ws), *args])


def _kept(ws: Path, capsys) -> None:
    capsys.readouterr()
    assert _kv(ws, "get", "kept") == 0
    assert capsys.readouterr().out.strip() == "v1"


@pytest.mark.parametrize("name,words", [
    ("fifo", "not a regular file (a FIFO)"),
    ("/dev/zero", "not a regular file (a character device)"),
    (".", "not a regular file (a folder)"),
    ("missing", "cannot read"),
])
def test_put_from_a_file_that_is_not_one(ws: Path, capsys, name: str, words: str) -> None:
    os.mkfifo(ws / "fifo")
    target = name if name.startswith("/") else str(ws / name)
    assert _kv(ws, "put", "kept", "@" + target) == 2
    assert words in capsys.readouterr().err
    _kept(ws, capsys)


def test_put_from_a_regular_file(ws: Path, capsys) -> None:
    (ws / "v.bin").write_bytes(b"\x00\xffdata")
    assert _kv(ws, "put", "b", f"@{ws / 'v.bin'}") == 0
    assert _kv(ws, "get", "b") == 0
    assert "base64:AP9kYXRh" in capsys.readouterr().out


@pytest.mark.parametrize("kv_file,words", [
    ('"/etc/passwd"', "outside the workspace folder"),
    ('"../elsewhere.sqlite"', "outside the workspace folder"),
    ('"a\\u0000b"', "kv_file holds a NUL character"),
])
def test_kv_file_outside_or_invalid(tmp_path: Path, capsys, kv_file: str, words: str) -> None:
    (tmp_path / "workbench.toml").write_text(f"kv_file = {kv_file}\n")
    for action in (["list"], ["reset"], ["put", "k", "v"]):
        assert _kv(tmp_path, *action) == 2
        err = capsys.readouterr().err
        assert "workbench.toml:1: kv_file: " in err and words in err
    assert Path("/etc/passwd").is_file()


def test_a_folder_where_the_store_goes(tmp_path: Path, capsys) -> None:
    (tmp_path / "workbench.toml").write_text("")
    (tmp_path / ".workbench" / "kv.sqlite").mkdir(parents=True)
    (tmp_path / ".workbench" / "kv.sqlite" / "mine.txt").write_text("user data")
    for action in (["list"], ["reset"]):
        assert _kv(tmp_path, *action) == 2
        assert "the KV store path is a folder" in capsys.readouterr().err
    assert (tmp_path / ".workbench" / "kv.sqlite" / "mine.txt").read_text() == "user data"


def test_keys_and_values_with_control_characters_are_shown_escaped(ws: Path, capsys) -> None:
    assert _kv(ws, "put", "\x1b]0;title\x07", "\x1b[2J") == 0
    capsys.readouterr()
    assert _kv(ws, "list") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "base64:G10wO3RpdGxlBw==" in out
