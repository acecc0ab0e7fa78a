"""The module in service survives every failed build, custom commands included; `strip`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import wasmtime

from workbench.config.module import load_module
from workbench.core.build.builder import build_module
from workbench.core.build.output import PARTIAL_PREFIX, strip_custom
from workbench.core.wasm import parse_module

GOOD = bytes(wasmtime.wat2wasm('(module $good (func $f (export "f")))'))
OTHER = bytes(wasmtime.wat2wasm('(module (func (export "g") (result i32) (i32.const 7)))'))


def _command_module(tmp_path: Path, command: str, output: str | None = None) -> Path:
    (tmp_path / "good.wasm").write_bytes(GOOD)
    (tmp_path / "other.wasm").write_bytes(OTHER)
    toml = f"command = {command!r}\n"  # toolchain "command" is implied by `command`
    if output:
        toml += f'output = "{output}"\n'
    (tmp_path / "module.toml").write_text(toml)
    return tmp_path


def _serve_good(tmp_path: Path) -> Path:
    out = tmp_path / "build" / f"{tmp_path.name}.wasm"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(GOOD)
    return out


def test_command_writes_workbench_output_which_is_private(tmp_path: Path) -> None:
    folder = _command_module(tmp_path,
                             'cp other.wasm "$WORKBENCH_OUTPUT"; echo "$WORKBENCH_OUTPUT"')
    cfg = load_module(folder)
    assert cfg.toolchain == "command"
    out = _serve_good(tmp_path)
    result = build_module(cfg)
    assert result.ok, result.output
    assert out.read_bytes() == OTHER and result.size_delta == len(OTHER) - len(GOOD)
    written_to = Path(result.output.strip())
    assert written_to != out and written_to.parent.name.startswith(PARTIAL_PREFIX)
    assert not written_to.exists()  # moved into place, private folder removed


@pytest.mark.parametrize("command", [
    # writes garbage to the private path: never reaches the module in service
    'printf "not wasm" > "$WORKBENCH_OUTPUT"',
    # overwrites the output itself, then fails: the previous module is put back
    'printf "half a modu" > build/{name}.wasm; exit 2',
    # overwrites the output itself with bytes wasmtime rejects, exit 0
    'printf "\\0asm\\1\\0\\0\\0\\1" > build/{name}.wasm',
])
def test_failing_command_never_loses_the_module_in_service(tmp_path: Path, command: str) -> None:
    folder = _command_module(tmp_path, command.format(name=tmp_path.name))
    out = _serve_good(tmp_path)
    result = build_module(load_module(folder))
    assert not result.ok and result.stale
    assert result.wasm_path == out and out.read_bytes() == GOOD
    assert result.size == len(GOOD) and result.errors
    assert not list((tmp_path / "build").glob(f"{PARTIAL_PREFIX}*"))


def test_command_writing_the_output_itself_still_works(tmp_path: Path) -> None:
    folder = _command_module(tmp_path, "mkdir -p out && cp other.wasm out/x.wasm", "out/x.wasm")
    result = build_module(load_module(folder))
    assert result.ok, result.output
    assert (tmp_path / "out" / "x.wasm").read_bytes() == OTHER


def test_failed_first_direct_write_leaves_nothing_in_service(tmp_path: Path) -> None:
    folder = _command_module(tmp_path, "mkdir -p out && printf junk > out/x.wasm; exit 1",
                             "out/x.wasm")
    result = build_module(load_module(folder))
    assert not result.ok and not result.stale and result.wasm_path is None
    assert not (tmp_path / "out" / "x.wasm").exists()  # no invalid module left to serve


def test_command_that_writes_nothing_says_where_to_write(tmp_path: Path) -> None:
    result = build_module(load_module(_command_module(tmp_path, "true")))
    assert not result.ok
    assert "$WORKBENCH_OUTPUT" in result.errors[-1].message


def test_unwritable_output_is_a_failed_build_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "mod.wat").write_text("(module)")
    cfg = load_module(tmp_path)
    cfg.output.mkdir(parents=True)  # a folder where the module should go
    result = build_module(cfg)
    assert not result.ok and result.wasm_path is None
    assert f"cannot write {cfg.output}" in result.errors[0].message


def test_abandoned_private_folders_are_removed(tmp_path: Path) -> None:
    (tmp_path / "mod.wat").write_text("(module)")
    dead = tmp_path / "build" / f"{PARTIAL_PREFIX}999999999-1"  # no such process
    dead.mkdir(parents=True)
    alive = tmp_path / "build" / f"{PARTIAL_PREFIX}{os.getppid()}-1"
    alive.mkdir()
    assert build_module(load_module(tmp_path)).ok
    assert not dead.exists() and alive.exists()


def _customs(data: bytes) -> list[str]:
    return [s.name for s in parse_module(data).sections if s.is_custom]


def test_strip_custom_modes() -> None:
    data = bytes(wasmtime.wat2wasm('(module $m (func $f) (@custom ".debug_info" "x") '
                                   '(@custom "producers" "y"))'))
    assert _customs(data) == [".debug_info", "producers", "name"]
    assert strip_custom(data, "none") == data
    assert _customs(strip_custom(data, "debug")) == ["producers", "name"]
    assert _customs(strip_custom(data, "all")) == []


C_SOURCE = """
static unsigned char heap[256];
static int twice(int x) { return x * 2; }
__attribute__((export_name("alloc"))) void *alloc(int n) { (void)n; return heap; }
int handle(int p, int n) { return twice(p) + n; }
"""


def _c_release(tmp_path: Path, name: str, extra: str = "") -> tuple[bytes, list[str]]:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "main.c").write_text(C_SOURCE)
    (folder / "module.toml").write_text('abi = "edge"\nprofile = "release"\n' + extra)
    result = build_module(load_module(folder))
    assert result.ok, result.output
    data = result.wasm_path.read_bytes()  # type: ignore[union-attr]
    module = parse_module(data)
    names = [f.name for f in module.functions]
    return bytes(module.payload(module.section("code"))), [*_customs(data), *names]


def test_release_c_keeps_names_and_drops_dwarf(tmp_path: Path) -> None:
    code, found = _c_release(tmp_path, "default")
    assert "name" in found and "handle" in found
    assert not any(n.startswith(".debug_") for n in found)
    bare_code, bare = _c_release(tmp_path, "all", 'strip = "all"\n')
    assert "name" not in bare and "handle" in bare  # the export still names it
    assert bare_code == code  # -g for the names changes no instruction
    _, everything = _c_release(tmp_path, "none", 'strip = "none"\n')
    assert ".debug_info" in everything and "name" in everything


def test_release_zig_keeps_names(tmp_path: Path) -> None:
    (tmp_path / "main.zig").write_text(
        "fn twice(x: i32) i32 { return x * 2; }\n"
        "export fn handle(p: i32, n: i32) i32 { return twice(p) + n; }\n")
    result = build_module(load_module(tmp_path))
    assert result.ok, result.output
    data = result.wasm_path.read_bytes()  # type: ignore[union-attr]
    assert "name" in _customs(data)
    assert not any(n.startswith(".debug_") for n in _customs(data))
