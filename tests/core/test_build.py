"""build_module: WAT in-process, C through zig, failures keep the last good module."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from workbench.config.module import load_module
from workbench.core.build.builder import build_module
from workbench.core.build.toolchains import rust
from workbench.core.errors import BuildFailed, ToolchainMissing

GOOD_WAT = """(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))
"""
BAD_WAT = """(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32)
    (i32.const 1024) oops))
"""
TYPE_ERROR_WAT = """(module (func (export "f") (result i32) (i64.const 1)))"""


def _wat_module(tmp_path: Path, text: str = GOOD_WAT) -> Path:
    (tmp_path / "mod.wat").write_text(text)
    return tmp_path


def test_wat_build_writes_output_and_reports(tmp_path: Path) -> None:
    cfg = load_module(_wat_module(tmp_path))
    result = build_module(cfg)
    assert result.ok and not result.stale and result.diagnostics == ()
    assert result.wasm_path == cfg.output == tmp_path.resolve() / "build" / f"{cfg.name}.wasm"
    data = cfg.output.read_bytes()
    assert data[:4] == b"\0asm" and result.size == len(data)
    assert result.previous_size is None and result.size_delta is None
    again = build_module(cfg)
    assert again.previous_size == result.size and again.size_delta == 0
    doc = again.to_json()
    assert doc["ok"] is True and doc["size"] == len(data) and doc["module"] == cfg.name
    assert not list((tmp_path / "build").glob(".*partial*"))  # no leftovers


def test_wat_error_is_parsed_and_previous_module_keeps_serving(tmp_path: Path) -> None:
    cfg = load_module(_wat_module(tmp_path))
    good = build_module(cfg)
    before = cfg.output.read_bytes()
    (tmp_path / "mod.wat").write_text(BAD_WAT)
    bad = build_module(cfg)
    assert not bad.ok and bad.stale
    assert bad.wasm_path == cfg.output and cfg.output.read_bytes() == before
    assert bad.size == good.size and bad.size_delta is None
    (diag,) = bad.errors
    assert (diag.file, diag.line, diag.column) == ("mod.wat", 4, 22)
    assert diag.severity == "error" and diag.message
    with pytest.raises(BuildFailed) as info:
        bad.raise_for_status()
    assert "stale" in str(info.value) and info.value.diagnostics == bad.diagnostics
    assert info.value.result is bad  # the whole BuildResult travels with the error


def test_first_build_failing_has_nothing_in_service(tmp_path: Path) -> None:
    cfg = load_module(_wat_module(tmp_path, BAD_WAT))
    result = build_module(cfg)
    assert not result.ok and not result.stale and result.wasm_path is None


def test_wat_validation_error_fails_the_build(tmp_path: Path) -> None:
    result = build_module(load_module(_wat_module(tmp_path, TYPE_ERROR_WAT)))
    assert not result.ok
    assert "type mismatch" in result.errors[0].message


def test_binary_wat_source_fails_with_words_not_a_codec_error(tmp_path: Path) -> None:
    (tmp_path / "mod.wat").write_bytes(b"(module\xce\x00)")
    result = build_module(load_module(tmp_path))
    assert not result.ok
    (diag,) = result.errors
    assert diag.message == "not UTF-8 text (invalid continuation byte at byte 7)"
    assert "codec" not in result.output


def _c_module(tmp_path: Path, source: str, toml: str = 'abi = "edge"\n') -> Path:
    (tmp_path / "main.c").write_text(source)
    (tmp_path / "module.toml").write_text(toml)
    return tmp_path


C_OK = """
static unsigned char heap[1024];
__attribute__((export_name("alloc"))) void *alloc(int n) { (void)n; return heap; }
int handle(int p, int n) { return p + n; }
"""


def test_c_build_and_compile_error_diagnostics(tmp_path: Path) -> None:
    cfg = load_module(_c_module(tmp_path, C_OK))
    ok = build_module(cfg)
    assert ok.ok, ok.output
    assert "ziglang" in ok.command and "--target=wasm32-freestanding" in ok.command
    (tmp_path / "main.c").write_text(C_OK + "int broken(void) { return undefined_name; }\n")
    bad = build_module(cfg)
    assert not bad.ok and bad.stale
    (err,) = bad.errors
    assert err.file == "main.c" and err.line == 5 and err.column == 27
    assert "undefined_name" in err.message
    assert "undefined_name" in bad.output  # whole output kept


def test_c_debug_profile_passes_g(tmp_path: Path) -> None:
    cfg = load_module(_c_module(tmp_path, C_OK, 'profile = "debug"\n'))
    result = build_module(cfg)
    assert result.ok, result.output
    assert " -g " in f" {result.command} "
    assert b".debug_info" in cfg.output.read_bytes()


def test_cancel_kills_the_compiler(tmp_path: Path) -> None:
    (tmp_path / "module.toml").write_text(
        f'toolchain = "command"\ncommand = "{sys.executable} -c \'import time; time.sleep(30)\'"\n')
    cfg = load_module(tmp_path)
    cancel = threading.Event()
    timer = threading.Timer(0.2, cancel.set)
    timer.start()
    result = build_module(cfg, cancel=cancel)
    timer.cancel()
    assert result.cancelled and not result.ok and result.wasm_path is None


def test_already_cancelled_build_does_nothing(tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    result = build_module(load_module(_wat_module(tmp_path)), cancel=cancel)
    assert result.cancelled and not (tmp_path / "build" / f"{tmp_path.name}.wasm").exists()


def test_command_toolchain_uses_its_output(tmp_path: Path) -> None:
    wasm = tmp_path / "prebuilt.wasm"
    wasm.write_bytes(b"\0asm\x01\0\0\0")
    (tmp_path / "module.toml").write_text(
        'toolchain = "command"\ncommand = "cp prebuilt.wasm \\"$WORKBENCH_OUTPUT\\""\n'
        'output = "out/x.wasm"\n')
    result = build_module(load_module(tmp_path))
    assert result.ok, result.output
    assert result.size == 8 and result.wasm_path == tmp_path.resolve() / "out" / "x.wasm"


def test_command_failure_without_parsable_output_still_has_an_error(tmp_path: Path) -> None:
    (tmp_path / "module.toml").write_text('toolchain = "command"\ncommand = "exit 3"\n')
    result = build_module(load_module(tmp_path))
    assert not result.ok and len(result.errors) == 1
    assert result.errors[0].message == "command build failed (exit status 3), with no output"


def test_rust_without_target_says_what_to_install(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "h"\n')
    monkeypatch.setattr(rust, "candidates", lambda: ())  # (tests/core/test_rust_toolchain.py)
    with pytest.raises(ToolchainMissing) as info:
        build_module(load_module(tmp_path))
    assert info.value.hint == ("with rustup (https://rustup.rs): `rustup target add "
                               "wasm32-unknown-unknown`; on Debian/Ubuntu: "
                               "`apt install rustc cargo libstd-rust-dev-wasm32`")


def test_assemblyscript_without_node_modules(tmp_path: Path) -> None:
    (tmp_path / "asconfig.json").write_text("{}")
    with pytest.raises(ToolchainMissing) as info:
        build_module(load_module(tmp_path))
    assert "npm" in (info.value.hint or "")


def test_missing_ziglang_says_pip_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.core.build.toolchains import native

    monkeypatch.setattr(native.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ToolchainMissing) as info:
        build_module(load_module(_c_module(tmp_path, C_OK)))
    assert "pip install ziglang" in (info.value.hint or "")


def test_zig_compile_error_is_parsed(tmp_path: Path) -> None:
    (tmp_path / "main.zig").write_text(
        "export fn handle(p: i32, n: i32) i32 {\n    return p + n + q;\n}\n")
    result = build_module(load_module(tmp_path))
    assert not result.ok
    (err,) = result.errors
    assert (err.file, err.line, err.column) == ("main.zig", 2, 20)
    assert "q" in err.message and "build-exe" in result.command


def test_header_diagnostics_are_relative_and_missing_exports_get_a_note(tmp_path: Path) -> None:
    (tmp_path / "lib.h").write_text("static int f(int a) { return a + nope; }\n")
    cfg = load_module(_c_module(tmp_path, '#include "lib.h"\n' + C_OK))
    bad = build_module(cfg)
    assert [(d.file, d.line) for d in bad.errors] == [("lib.h", 1)]
    (tmp_path / "lib.h").write_text("")
    (tmp_path / "main.c").write_text("int unrelated(int x) { return x; }\n")
    linked = build_module(cfg)
    assert {d.message for d in linked.errors} == {
        "symbol exported via --export not found: alloc",
        "symbol exported via --export not found: handle"}
    (note,) = [d for d in linked.diagnostics if d.severity == "note"]
    assert "alloc(len) and handle(ptr, len)" in note.message


def test_no_source_matching_is_a_config_error_with_the_line(tmp_path: Path) -> None:
    from workbench.core.errors import ConfigError

    (tmp_path / "mod.wat").write_text("(module)")
    (tmp_path / "module.toml").write_text('name = "m"\nsources = ["src/*.wat"]\n')
    with pytest.raises(ConfigError) as info:
        build_module(load_module(tmp_path))
    assert info.value.key == "sources" and info.value.line == 2


def test_rust_messages_say_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.core.errors import ConfigError

    (tmp_path / "Cargo.toml").write_text('[workspace]\nmembers = []\n')
    monkeypatch.setattr(rust, "candidates", lambda: ())
    with pytest.raises(ToolchainMissing) as missing:
        build_module(load_module(tmp_path))
    assert "rustup target add wasm32-unknown-unknown" in (missing.value.hint or "")
    found = rust.RustToolchain("/usr/bin/rustc", "/usr/bin/cargo", "rustc 1.63.0",
                               "wasm32-unknown-unknown", "/usr/lib/rustlib")
    monkeypatch.setattr(rust, "find_rust", lambda target, cwd: found)
    with pytest.raises(ConfigError) as workspace_root:
        build_module(load_module(tmp_path))
    assert workspace_root.value.key == "package.name"


def test_libc_header_in_an_edge_build_suggests_wagi(tmp_path: Path) -> None:
    (tmp_path / "main.c").write_text("#include <stdio.h>\nint main(void) { return 0; }\n")
    result = build_module(load_module(tmp_path))
    assert [(d.file, d.line) for d in result.errors] == [("main.c", 1)]
    (note,) = [d for d in result.diagnostics if d.severity == "note"]
    assert 'abi = "wagi"' in note.message


def test_debug_c_builds_are_the_same_bytes_in_any_folder(tmp_path: Path) -> None:
    built = []
    for where in ("a", "b/deeper"):
        folder = tmp_path / where / "mod"
        folder.mkdir(parents=True)
        cfg = load_module(_c_module(folder, C_OK, 'abi = "edge"\nprofile = "debug"\n'))
        result = build_module(cfg)
        assert result.ok, result.output
        built.append(cfg.output.read_bytes())
    assert b".debug_info" in built[0] and str(tmp_path).encode() not in built[0]
    assert built[0] == built[1]
