"""toolchain = "prebuilt": a module another tool builds (spin build, cargo, a platform's
CLI), opened as a .wasm file or a folder holding one. The workbench reads it as is:
nothing is written or run, and a file that is not a module is a clear build failure."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime

from workbench.config.module import infer_toolchain, load_module, load_wasm_file
from workbench.config.workspace import load_workspace
from workbench.core.build.builder import build_module
from workbench.core.errors import ConfigError

HANDLER_WAT = '''(module (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))'''
HANDLER = wasmtime.wat2wasm(HANDLER_WAT)


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_a_wasm_file_is_a_module_read_as_is(tmp_path: Path) -> None:
    release = tmp_path / "target" / "wasm32-wasi" / "release"
    release.mkdir(parents=True)
    wasm = release / "my app.wasm"
    wasm.write_bytes(bytes(HANDLER))
    before = _files(tmp_path)
    cfg = load_wasm_file(wasm)
    assert (cfg.name, cfg.toolchain, cfg.output, cfg.sources) == (
        "my-app", "prebuilt", wasm.resolve(), ("my app.wasm",))
    assert cfg.strip_mode == "none"
    result = build_module(cfg)
    assert result.ok and result.wasm_path == wasm.resolve() and result.size == len(HANDLER)
    assert _files(tmp_path) == before  # no build/ folder, no copy
    assert wasm.read_bytes() == bytes(HANDLER)
    ws = load_workspace([wasm])
    assert [m.name for m in ws.modules] == ["my-app"]


def test_a_folder_with_one_wasm_and_no_source_is_prebuilt(tmp_path: Path) -> None:
    (tmp_path / "handler.wasm").write_bytes(bytes(HANDLER))
    assert infer_toolchain(tmp_path) == "prebuilt"
    cfg = load_module(tmp_path)
    assert (cfg.name, cfg.sources) == ("handler", ("handler.wasm",))
    (tmp_path / "other.wasm").write_bytes(bytes(HANDLER))
    assert infer_toolchain(tmp_path) is None  # which one? not guessed
    (tmp_path / "other.wasm").unlink()
    (tmp_path / "handler.wat").write_text("(module)")
    assert infer_toolchain(tmp_path) == "wat"  # a source wins over its output


def test_module_toml_names_the_output_another_tool_writes(tmp_path: Path) -> None:
    (tmp_path / "module.toml").write_text(
        'name = "api"\ntoolchain = "prebuilt"\noutput = "target/release/api.wasm"\n')
    cfg = load_module(tmp_path)
    assert cfg.sources == ("target/release/api.wasm",)
    result = build_module(cfg)  # not built yet by the user's tool
    assert not result.ok and result.wasm_path is None
    assert "cannot read" in str(result.errors[0]) and "api.wasm" in str(result.errors[0])
    assert "build it with your own toolchain" in " ".join(d.message for d in result.diagnostics)
    (tmp_path / "target" / "release").mkdir(parents=True)
    (tmp_path / "target" / "release" / "api.wasm").write_bytes(bytes(HANDLER))
    assert build_module(cfg).ok


@pytest.mark.parametrize(("toml", "key", "words"), [
    ('toolchain = "prebuilt"\noutput = "a.wasm"\nstrip = "all"\n', "strip", "read as is"),
    ('toolchain = "prebuilt"\noutput = "a.wasm"\nsources = ["a.wasm"]\n', "sources",
     "its output file"),
    ('toolchain = "prebuilt"\noutput = "../a.wasm"\n', "output", "outside the module"),
    ('toolchain = "prebuilt"\n', "output", "needs output"),
    ('toolchain = "prebuilt"\noutput = "a.wasm"\nflags = ["-O2"]\n', "flags", "not used"),
])
def test_prebuilt_settings_that_cannot_apply_are_errors(tmp_path: Path, toml: str, key: str,
                                                         words: str) -> None:
    mod = tmp_path / "m"
    mod.mkdir()
    (mod / "module.toml").write_text(toml)
    with pytest.raises(ConfigError) as e:
        load_module(mod)
    assert words in str(e.value) and key in str(e.value)


@pytest.mark.parametrize(("data", "words"), [
    (b"", "not a WebAssembly module: it is empty"),
    (b"<html>not wasm</html>", "not a WebAssembly module: it starts with b'<html>no'"),
    (b"\0asm\x01\0\0\0\x01\xff", "garbage.wasm"),  # truncated: wasmtime's validator says where
])
def test_a_file_that_is_not_a_valid_module_fails_its_build_clearly(
        tmp_path: Path, data: bytes, words: str) -> None:
    (tmp_path / "garbage.wasm").write_bytes(data)
    result = build_module(load_module(tmp_path))
    assert not result.ok and not result.stale and result.wasm_path is None
    assert words in str(result.errors[0])
    assert (tmp_path / "garbage.wasm").read_bytes() == data


def test_a_broken_module_toml_is_set_aside_when_asked(tmp_path: Path) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir(), bad.mkdir()
    (good / "h.wat").write_text("(module)")
    (bad / "module.toml").write_text('name = "bad"\nsources = ["a"\n')
    with pytest.raises(ConfigError):
        load_workspace([tmp_path])
    broken: list[tuple[Path, Exception]] = []
    ws = load_workspace([tmp_path], broken=broken)
    assert [m.name for m in ws.modules] == ["good"]
    assert [(p.name, "invalid TOML" in str(e)) for p, e in broken] == [("bad", True)]


def test_a_fifo_at_the_output_is_refused_not_read_for_ever(tmp_path: Path) -> None:
    import os

    (tmp_path / "module.toml").write_text('toolchain = "prebuilt"\noutput = "app.wasm"\n')
    os.mkfifo(tmp_path / "app.wasm")
    result = build_module(load_module(tmp_path))
    assert not result.ok and "not a regular file (a FIFO)" in str(result.errors[0])


def test_a_rewritten_prebuilt_file_reports_its_size_change(tmp_path: Path) -> None:
    """The other tool replaces the file before the workbench sees it: the change is counted
    from the size this process last read (watch and the app print it)."""
    wasm = tmp_path / "app.wasm"
    wasm.write_bytes(bytes(HANDLER))
    cfg = load_wasm_file(wasm)
    first = build_module(cfg)
    assert first.ok and first.size_delta is None  # nothing read before
    bigger = wasmtime.wat2wasm(HANDLER_WAT.replace('"memory") 1)', '"memory") 1)\n'
                                                   '  (func $pad (result i32) i32.const 7)'))
    wasm.write_bytes(bigger)
    second = build_module(cfg)
    assert second.ok and second.size_delta == len(bigger) - len(HANDLER) > 0
    wasm.write_bytes(b"\0asm broken")  # a tool mid-write: failed, and no delta
    third = build_module(cfg)
    assert not third.ok and third.size_delta is None
    wasm.write_bytes(bytes(HANDLER))
    assert build_module(cfg).size_delta == len(HANDLER) - len(bigger)
