"""workbench.toml `optional_modules`: listed when their toolchain is installed, else left
out with the reason and the install hint (and never a traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.config.workspace import load_workspace
from workbench.core.build.toolchains import rust
from workbench.core.errors import ConfigError, ToolchainMissing

REPO = Path(__file__).resolve().parents[2]
WAT = "(module (memory (export \"memory\") 1))\n"


def _workspace(root: Path, toml: str) -> Path:
    for name in ("wat", "rusty"):
        (root / name).mkdir(parents=True)
    (root / "wat" / "m.wat").write_text(WAT)
    (root / "rusty" / "Cargo.toml").write_text('[package]\nname = "rusty"\n')
    (root / "workbench.toml").write_text(toml)
    return root


@pytest.fixture
def no_rust(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rust, "candidates", lambda: ())
    monkeypatch.setattr(rust, "_FOUND", {})
    monkeypatch.setattr(rust, "_MISSING", {})


@pytest.fixture
def has_rust(monkeypatch: pytest.MonkeyPatch) -> None:
    found = rust.RustToolchain("/x/rustc", "/x/cargo", "rustc 1.63.0",
                               "wasm32-unknown-unknown", "/x/lib")
    monkeypatch.setattr(rust, "find_rust", lambda target, cwd: found)


def test_left_out_when_the_toolchain_is_missing(tmp_path: Path, no_rust: None) -> None:
    ws = load_workspace([_workspace(tmp_path, 'modules = ["wat"]\n'
                                              'optional_modules = ["rusty"]\n')])
    assert [m.name for m in ws.modules] == ["wat"]
    (gone,) = ws.left_out
    assert gone.name == "rusty" and gone.root == (tmp_path / "rusty").resolve()
    assert gone.reason.startswith("no Rust compiler here can build wasm32-unknown-unknown")
    assert "rustup target add wasm32-unknown-unknown" in (gone.hint or "")
    assert json.loads(json.dumps(ws.to_json()))["left_out"][0]["name"] == "rusty"


def test_listed_when_the_toolchain_is_there(tmp_path: Path, has_rust: None) -> None:
    ws = load_workspace([_workspace(tmp_path, 'modules = ["wat"]\n'
                                              'optional_modules = ["rusty"]\n')])
    assert [m.name for m in ws.modules] == ["wat", "rusty"] and ws.left_out == ()


def test_without_a_modules_list_the_left_out_child_is_dropped(tmp_path: Path,
                                                              no_rust: None) -> None:
    ws = load_workspace([_workspace(tmp_path, 'optional_modules = ["rusty"]\n')])
    assert [m.name for m in ws.modules] == ["wat"]
    assert [g.name for g in ws.left_out] == ["rusty"]


def test_named_in_modules_too_it_is_listed(tmp_path: Path, no_rust: None) -> None:
    ws = load_workspace([_workspace(tmp_path, 'modules = ["wat", "rusty"]\n'
                                              'optional_modules = ["rusty"]\n')])
    assert [m.name for m in ws.modules] == ["wat", "rusty"] and ws.left_out == ()


def test_a_wrong_entry_is_a_config_error_at_its_key(tmp_path: Path, has_rust: None) -> None:
    root = _workspace(tmp_path, 'modules = ["wat"]\noptional_modules = ["nope"]\n')
    with pytest.raises(ConfigError) as info:
        load_workspace([root])
    assert info.value.key == "optional_modules" and info.value.line == 2


def test_a_module_folder_given_alone_still_builds_and_says_what_is_missing(
        tmp_path: Path, no_rust: None) -> None:
    """Opening the folder itself lists it; the build then stops with the typed error."""
    from workbench.core.build.builder import build_module

    root = _workspace(tmp_path, 'modules = ["wat"]\noptional_modules = ["rusty"]\n')
    ws = load_workspace([root / "rusty"])
    assert [m.name for m in ws.modules] == ["rusty"]
    with pytest.raises(ToolchainMissing):
        build_module(ws.modules[0])


def test_build_cli_names_the_left_out_module(tmp_path: Path, no_rust: None,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    root = _workspace(tmp_path, 'modules = ["wat"]\noptional_modules = ["rusty"]\n')
    assert main(["build", str(root)]) == 0
    out = capsys.readouterr().out
    assert "✓ wat" in out and "- rusty: left out: no Rust compiler here" in out
    assert "to include it: with rustup" in out
    assert main(["build", str(root), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [g["name"] for g in doc["left_out"]] == ["rusty"] and doc["ok"] is True


def test_sample_workspace_lists_each_optional_module_exactly_when_its_tools_are_there(
        ) -> None:
    import importlib.util
    import shutil

    ws = load_workspace([REPO / "sample_modules"])
    expected_out = set()
    try:
        rust.find_rust("wasm32-freestanding", REPO)
    except ToolchainMissing:
        expected_out.add("hello-rust")
    if shutil.which("componentize-py") is None or importlib.util.find_spec("spin_sdk") is None:
        expected_out.add("hello-wasi-http-py")
    assert {g.name for g in ws.left_out} == expected_out
    listed = {m.name for m in ws.modules}
    assert {"hello-rust", "hello-wasi-http-py"} - listed == expected_out


def test_sample_componentize_py_module_is_left_out_without_the_tool(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped module.toml's `requires`, with componentize-py off PATH."""
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder
    ws = load_workspace([REPO / "sample_modules"])
    assert "hello-wasi-http-py" not in {m.name for m in ws.modules}
    assert "hello-wat" in {m.name for m in ws.modules}
    (gone,) = [g for g in ws.left_out if g.name == "hello-wasi-http-py"]
    # spin_sdk (a Python module) is named too where it is not installed either
    assert gone.reason.startswith("componentize-py is not installed (not found on PATH)")
    assert "pip install componentize-py" in gone.hint
