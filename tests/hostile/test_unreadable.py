"""Files the user cannot read (EACCES; simulated: the tests run as root, who reads all):
every reader names the file and says it cannot read it, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.cli import main

SECRET = "no-access"


@pytest.fixture
def locked(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.open

    def refuse(path, *args, **kw):  # type: ignore[no-untyped-def]
        if SECRET in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kw)

    monkeypatch.setattr("workbench.core.files.os.open", refuse)


@pytest.mark.parametrize("name,content,argv,words", [
    ("no-access.hurl", "GET http://h/\n", ["replay", "{f}", "--module", "m.wasm"],
     "cannot read request file: cannot read: Permission denied"),
    ("no-access.toml", '[[rule]]\nname = "a"\naction = "log"\n', ["hooks", "{f}"],
     "cannot read hooks file: cannot read: Permission denied"),
    ("no-access.bin", "v", ["kv", "--workspace", ".", "put", "k", "@{f}"],
     "cannot read"),
    ("no-access.key", "k", ["sign", "m.wasm", "--key", "{f}"],
     "cannot read key file: cannot read: Permission denied"),
])
def test_unreadable_files(tmp_path: Path, monkeypatch, capsys, locked, name: str,
                          content: str, argv: list[str], words: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "workbench.toml").write_text("")
    (tmp_path / "m.wasm").write_bytes(b"\0asm\x01\0\0\0")
    (tmp_path / name).write_text(content)
    assert main([a.replace("{f}", name) for a in argv]) == 2
    err = capsys.readouterr().err
    assert words in err and name in err and "Traceback" not in err


def test_unreadable_module_toml(tmp_path: Path, monkeypatch, capsys, locked) -> None:
    folder = tmp_path / "no-access-module"
    folder.mkdir()
    (folder / "module.toml").write_text('toolchain = "wat"\n')
    (folder / "a.wat").write_text("(module)")
    assert main(["check", str(folder)]) == 2
    assert "module.toml: cannot read: Permission denied" in capsys.readouterr().err
