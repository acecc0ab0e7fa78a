"""module.toml `requires`: validated with file:line errors, checked before a build and by
a workspace's `optional_modules` (left out with the reason and the install hint)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from workbench.config.module import load_module
from workbench.config.workspace import load_workspace
from workbench.core.build.requires import Requirement, check_requirements, missing
from workbench.core.build.toolchains import check_available
from workbench.core.errors import ConfigError, ToolchainMissing

WAT = "(module (memory (export \"memory\") 1))\n"
NO_SUCH = "wb-no-such-tool-3f9a"


def _command_module(folder: Path, requires: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "module.toml").write_text(
        'toolchain = "command"\ncommand = "./build.sh"\n' + requires + "\n")
    (folder / "build.sh").write_text("#!/bin/sh\nexit 1\n")
    return folder


def _workspace(root: Path, requires: str) -> Path:
    (root / "wat").mkdir(parents=True)
    (root / "wat" / "m.wat").write_text(WAT)
    _command_module(root / "py", requires)
    (root / "workbench.toml").write_text('modules = ["wat"]\noptional_modules = ["py"]\n')
    return root


def test_strings_and_tables_become_requirements(tmp_path: Path) -> None:
    mod = _command_module(tmp_path / "m", 'requires = ["sh", "sh", { python_module = "json" },'
                          ' { executable = "wasm-tools", install = "  pip install x  " }]')
    cfg = load_module(mod)
    assert cfg.requires == (Requirement("executable", "sh"),
                            Requirement("python_module", "json"),
                            Requirement("executable", "wasm-tools", "pip install x"))
    doc = json.loads(json.dumps(cfg.to_json()))["requires"]
    assert doc[2] == {"kind": "executable", "name": "wasm-tools", "install": "pip install x",
                      "hint": "pip install x"}
    assert load_module(_command_module(tmp_path / "one", 'requires = "sh"')).requires == \
        (Requirement("executable", "sh"),)
    assert load_module(_command_module(tmp_path / "none", "")).requires == ()


@pytest.mark.parametrize("toml, says", [
    ("requires = 3", "must be a list"),
    ("requires = [1]", "entries must be strings or tables"),
    ('requires = [""]', "empty executable name"),
    ('requires = ["   "]', "empty executable name"),
    ('requires = ["bin/tool"]', "is not a program name"),
    ('requires = ["two words"]', "is not a program name"),
    ('requires = [{ }]', "names one executable or one python_module"),
    ('requires = [{ executable = "a", python_module = "b" }]', "names one executable"),
    ('requires = [{ executable = 3 }]', "executable must be a string"),
    ('requires = [{ python_module = "spin-sdk" }]', "is not a Python module name"),
    ('requires = [{ python_module = "x", install = "" }]', "install must be a non-empty"),
    ('requires = [{ command = "x" }]', "unknown key 'command' in a requires table"),
])
def test_mistakes_are_config_errors_at_the_line(tmp_path: Path, toml: str, says: str) -> None:
    mod = _command_module(tmp_path / "m", "\n" + toml)  # requires is on line 4
    with pytest.raises(ConfigError) as info:
        load_module(mod)
    assert says in info.value.message
    assert info.value.line == 4 and info.value.file.endswith("module.toml")
    assert "module.toml:4" in str(info.value)


def test_unknown_tool_leaves_the_optional_module_out_with_the_reason(tmp_path: Path) -> None:
    ws = load_workspace([_workspace(tmp_path, f'requires = ["sh", "{NO_SUCH}"]')])
    assert [m.name for m in ws.modules] == ["wat"]
    (gone,) = ws.left_out
    assert gone.name == "py"
    assert gone.reason == f"{NO_SUCH} is not installed (not found on PATH)"
    assert gone.hint == f"install {NO_SUCH} and put it on PATH"


def test_known_tools_get_their_install_command(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    ws = load_workspace([_workspace(
        tmp_path, 'requires = ["componentize-py", { python_module = "wb_no_such_mod" }]')])
    (gone,) = ws.left_out
    assert gone.reason == ("componentize-py is not installed (not found on PATH); also "
                           "missing: Python module wb_no_such_mod")
    assert gone.hint is not None and gone.hint.startswith("pip install componentize-py; ")
    assert "provides the Python module wb_no_such_mod" in gone.hint


def test_listed_when_every_tool_is_there(tmp_path: Path) -> None:
    ws = load_workspace([_workspace(tmp_path, 'requires = ["sh", { python_module = '
                                              '"json.decoder" }]')])
    assert [m.name for m in ws.modules] == ["wat", "py"] and ws.left_out == ()


def test_python_module_found_without_importing() -> None:
    assert "this" not in sys.modules  # importing it would print the Zen of Python
    assert missing([Requirement("python_module", "this")]) == ()
    assert "this" not in sys.modules
    gone = Requirement("python_module", "wb_no_such_pkg.sub")  # a missing parent: no raise
    assert missing([gone]) == (gone,)


def test_direct_build_and_availability_say_the_same(tmp_path: Path) -> None:
    from workbench.core.build.builder import build_module

    cfg = load_module(_command_module(tmp_path / "m", f'requires = ["{NO_SUCH}"]'))
    with pytest.raises(ToolchainMissing) as built:
        build_module(cfg)
    with pytest.raises(ToolchainMissing) as checked:
        check_available(cfg)
    assert built.value.message == checked.value.message == \
        f"{NO_SUCH} is not installed (not found on PATH)"
    assert built.value.where == f"{cfg.config_file}: requires"
    assert not (tmp_path / "m" / "build").exists()  # nothing ran, nothing was written


def test_checked_before_the_trust_gate(tmp_path: Path) -> None:
    """An untrusted folder whose tool is missing says what to install, not what to trust."""
    from workbench.config.folder_trust import trust_status
    from workbench.services.folder_trust import gated_build

    cfg = load_module(_command_module(tmp_path / "m", f'requires = ["{NO_SUCH}"]'))
    assert not trust_status(cfg).may_build
    with pytest.raises(ToolchainMissing, match=NO_SUCH):
        gated_build(cfg)
    ok = load_module(_command_module(tmp_path / "ok", 'requires = ["sh"]'))
    assert gated_build(ok).untrusted  # tools present: the gate decides as before


def test_applies_to_any_toolchain(tmp_path: Path) -> None:
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "m.wat").write_text(WAT)
    (tmp_path / "w" / "module.toml").write_text(f'requires = ["{NO_SUCH}"]\n')
    with pytest.raises(ToolchainMissing):
        check_available(load_module(tmp_path / "w"))


def test_build_cli_on_the_module_folder_is_a_clean_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    mod = _command_module(tmp_path / "m", f'requires = ["{NO_SUCH}"]')
    assert main(["build", str(mod)]) == 1
    err = capsys.readouterr().err
    assert f"{NO_SUCH} is not installed" in err and f"install {NO_SUCH}" in err
    assert "Traceback" not in err


def test_check_requirements_passes_silently_when_present() -> None:
    check_requirements([Requirement("executable", "sh")])
    check_requirements([])
