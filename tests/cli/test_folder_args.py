"""`strip` and `hooks` take the module folder the user works in, like `inspect`: a
module folder stands for its build output / its hooks file; a workspace of several
modules asks which one; a module without the file says what to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.test_inspect import EDGE
from workbench.cli import main


def _module(root: Path, name: str, *, built: bool = True, hooks: bool = False) -> Path:
    mod = root / name
    mod.mkdir(parents=True)
    (mod / "module.toml").write_text('toolchain = "wat"\n')
    (mod / f"{name}.wat").write_text("(module)\n")
    if built:
        (mod / "build").mkdir()
        (mod / "build" / f"{name}.wasm").write_bytes(EDGE)
    if hooks:
        (mod / "hooks.toml").write_text('[[rule]]\nname = "health"\n'
                                        'when = { path = "/healthz" }\n'
                                        'action = "respond"\nbody = "ok"\n')
    return mod


def test_strip_a_module_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mod = _module(tmp_path, "edge")
    assert main(["strip", "--json", str(mod)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["file"].endswith("edge.wasm")


def test_strip_a_workspace_asks_which_module(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _module(tmp_path, "one")
    _module(tmp_path, "two")
    (tmp_path / "workbench.toml").write_text('modules = ["one", "two"]\n')
    assert main(["strip", str(tmp_path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "workspace of 2 modules: which one?" in err and "one.wasm" in err


def test_strip_an_unbuilt_module_says_build_it(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    mod = _module(tmp_path, "edge", built=False)
    assert main(["strip", str(mod)]) == 2
    assert "workbench build" in " ".join(capsys.readouterr().err.split())


def test_hooks_of_a_module_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mod = _module(tmp_path, "edge", hooks=True)
    assert main(["hooks", str(mod), "--path", "/healthz", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["file"].endswith("hooks.toml")
    assert doc["results"][0]["response"]["status"] == 200


def test_hooks_of_a_module_without_hooks(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    mod = _module(tmp_path, "edge")
    assert main(["hooks", str(mod)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "has no hooks file" in err and "hooks.toml" in err
