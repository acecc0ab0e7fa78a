"""module.toml and workbench.toml from a folder nobody reviewed: a NUL in a path (a
ValueError from pathlib), a 1 MB module name (ENAMETOOLONG from the build), a glob that
walks the whole disk or is absolute (NotImplementedError), 100,000 listed modules (read
100,000 times), an output outside the module folder. Each is a ConfigError naming the
file, the line and the key (exit 2), or simply works."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.config.workspace import load_workspace

WAT = '(module (memory (export "memory") 1)\n' \
      '  (func (export "alloc") (param i32) (result i32) (i32.const 0))\n' \
      '  (func (export "handle") (param i32 i32) (result i64) (i64.const 0)))\n'


def _module(root: Path, toml: str, name: str = "m") -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "h.wat").write_text(WAT)
    (folder / "module.toml").write_text(toml, encoding="utf-8")
    return folder


@pytest.mark.parametrize("toml,line,key,words", [
    ('toolchain = "wat"\nhooks = "a\\u0000b"\n', 2, "hooks", "holds a NUL character"),
    ('toolchain = "wat"\noutput = "x\\u0000.wasm"\n', 2, "output", "holds a NUL"),
    ('toolchain = "wat"\nsources = ["a\\u0000"]\n', 2, "sources", "holds a NUL"),
    ('toolchain = "wat"\nname = "' + "a" * 100_000 + '"\n', 2, "name",
     "(100,000 characters)' cannot be used as a file name"),
    ('toolchain = "wat"\nname = "ok\\n"\n', 2, "name", "cannot be used as a file name"),
    ('toolchain = "wat"\nhooks = "."\n', 2, "hooks", "is a folder, not a file"),
    ('toolchain = "wat"\noutput = "../../elsewhere.wasm"\n', 2, "output",
     "outside the module's folder"),
    ('toolchain = "wat"\nroute = "/a\\u001b[2J"\n', 2, "route", "is not a path prefix"),
])
@pytest.mark.parametrize("command", ["check", "build"])
def test_module_toml_mistakes_are_config_errors(tmp_path: Path, capsys, toml: str, line: int,
                                               key: str, words: str, command: str) -> None:
    folder = _module(tmp_path, toml)
    assert main([command, str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"module.toml:{line}: {key}: " in err and words in err
    assert "Traceback" not in err and len(err) < 2000


@pytest.mark.parametrize("modules,words", [
    ('["/**"]', "leaves the workspace folder"),
    ('["../../**/"]', "leaves the workspace folder"),
    ('["a\\u0000*"]', "holds a NUL"),
])
def test_workspace_globs_stay_inside(tmp_path: Path, capsys, modules: str, words: str) -> None:
    _module(tmp_path, 'toolchain = "wat"\n')
    (tmp_path / "workbench.toml").write_text(f"modules = {modules}\n")
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "workbench.toml:1: modules: " in err and words in err


def test_a_module_listed_many_times_is_read_once(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _module(tmp_path, 'toolchain = "wat"\n')
    listed = ", ".join(['"m"', '"./m"', '"m/"'] * 30_000)
    (tmp_path / "workbench.toml").write_text(f"modules = [{listed}]\n")
    import workbench.config.workspace as ws

    calls = []
    real = ws.load_module
    monkeypatch.setattr(ws, "load_module", lambda *a, **k: calls.append(a) or real(*a, **k))
    assert [m.name for m in load_workspace([tmp_path]).modules] == ["m"]
    assert len(calls) == 1


@pytest.mark.parametrize("keys,words", [
    ('["/dev/zero"]', "trusted key '/dev/zero' is not a regular file"),
    ('["a\\u0000"]', "trust.keys holds a NUL character"),
])
def test_trust_key_that_is_not_a_file(tmp_path: Path, capsys, keys: str, words: str) -> None:
    folder = _module(tmp_path, 'toolchain = "wat"\n')
    (tmp_path / "workbench.toml").write_text(f"[trust]\nkeys = {keys}\n")
    assert main(["verify", str(folder / "h.wat")]) == 2
    assert words in capsys.readouterr().err


def test_a_sample_with_a_bom_and_crlf_builds(tmp_path: Path, capsys) -> None:
    folder = _module(tmp_path, '\ufeffname = "crlf"\r\ntoolchain = "wat"\r\n')
    assert main(["build", str(folder)]) == 0
    shutil.rmtree(folder / "build")
