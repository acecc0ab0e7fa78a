"""A `command` build that copies a prebuilt .wasm nobody here wrote: bytes that are no
module at all, or a damaged component, fail the build with the reader's words and offset
(wasmtime's message for a bad magic was a cut multi-line dump, `expected=[ 0x0,`; a cut
component used to build, and failed only at its first request)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.wat import wat
from workbench.config.module import load_module
from workbench.core.build.builder import build_module

CORE = wat('(module (func (export "f")))')
COMPONENT = b"\0asm\x0d\0\x01\0" + b"\x01" + bytes([len(CORE)]) + CORE


def _build(tmp_path: Path, data: bytes):  # noqa: ANN202 - BuildResult
    (tmp_path / "prebuilt.wasm").write_bytes(data)
    (tmp_path / "module.toml").write_text(
        'toolchain = "command"\ncommand = "cp prebuilt.wasm \\"$WORKBENCH_OUTPUT\\""\n')
    return build_module(load_module(tmp_path))


@pytest.mark.parametrize("data,message", [
    (b"", "malformed at offset 0x0: truncated: a wasm header needs 8 bytes, the file is "
          "empty"),
    (b"hello, not wasm\n", "malformed at offset 0x0: bad magic 68 65 6c 6c"),
    (CORE[:-3], "malformed at offset 0x"),
    (COMPONENT[:-3], "malformed at offset 0x"),
    (COMPONENT[:9] + b"\x7f" + COMPONENT[10:], "malformed at offset 0x"),
], ids=["empty", "text", "cut-module", "cut-component", "component-bad-size"])
def test_a_prebuilt_file_that_is_no_module_fails_the_build(tmp_path: Path, data: bytes,
                                                          message: str) -> None:
    result = _build(tmp_path, data)
    assert not result.ok
    (diag,) = result.errors
    assert message in diag.message and "expected=[" not in diag.message
    assert diag.message.startswith("the built module is malformed")


@pytest.mark.parametrize("data", [CORE, COMPONENT])
def test_a_good_prebuilt_module_or_component_builds(tmp_path: Path, data: bytes) -> None:
    result = _build(tmp_path, data)
    assert result.ok and result.wasm_path is not None
    assert Path(result.wasm_path).read_bytes() == data
