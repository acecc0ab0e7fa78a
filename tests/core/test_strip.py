"""Strip and strip preview: byte-identical non-custom sections, wasm-strip parity."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cmodules import c_modules, parse
from tests.wat import wat
from workbench.core.errors import MalformedModule
from workbench.core.strip import gzip_size, strip, strip_preview, wasm_opt_estimate


@pytest.fixture(scope="module")
def data() -> bytes:
    return c_modules()["dwarf5"]


def _non_custom(raw: bytes) -> list[bytes]:
    module = parse(raw)
    return [raw[s.offset:s.end] for s in module.sections if not s.is_custom]


@pytest.mark.parametrize("keep", [set(), {"name"}, {"name", "producers"}])
def test_strip_keeps_non_custom_sections_byte_identical(data: bytes, keep: set[str]) -> None:
    out = strip(data, keep)
    assert out[:8] == data[:8]
    assert _non_custom(out) == _non_custom(data)
    customs = [s.name for s in parse(out).sections if s.is_custom]
    assert set(customs) == keep & {s.name for s in parse(data).sections}


def test_default_keep_is_name_and_producers(data: bytes) -> None:
    customs = {s.name for s in parse(strip(data)).sections if s.is_custom}
    assert customs == {"name", "producers"}


def test_preview_sizes_match_real_outputs(data: bytes) -> None:
    module = parse(data)
    preview = strip_preview(module)
    options = {o.label: o for o in preview.options}
    assert options["all"].size == len(strip(data, set()))
    assert options["name"].size == len(strip(data, {"name"}))
    assert options["all"].gzip_size == gzip_size(strip(data, set()))
    debug = options["debug"]
    assert all(name.startswith(".debug_") for name in debug.removed)
    assert debug.size == preview.size - sum(
        s.disk_size for s in module.sections if s.name.startswith(".debug_"))
    assert preview.size == len(data) and preview.wasm_opt is None
    doc = preview.to_json()
    assert doc["options"][1]["saved"] == len(data) - options["all"].size


def test_all_custom_matches_wasm_strip(data: bytes, tmp_path: Path) -> None:
    exe = shutil.which("wasm-strip")
    if exe is None:
        pytest.skip("wasm-strip (Debian package wabt) not installed")
    for name, raw in c_modules().items():
        src = tmp_path / f"{name}.wasm"
        src.write_bytes(raw)
        subprocess.run([exe, str(src), "-o", str(tmp_path / "out.wasm")], check=True)
        expected = (tmp_path / "out.wasm").read_bytes()
        assert strip(raw, set()) == expected, name
        assert {o.label: o for o in strip_preview(parse(raw)).options}["all"].size == len(
            expected)


def test_invalid_module_is_rejected() -> None:
    # Parses (section structure is fine) but a function body is not valid code.
    raw = bytearray(wat("(module (func (result i32) i32.const 1))"))
    raw[raw.index(b"\x41\x01")] = 0x6A  # i32.add with an empty stack
    with pytest.raises(MalformedModule, match="wasmtime rejects"):
        strip(bytes(raw), set())


def test_wasm_opt_estimate_when_installed(data: bytes) -> None:
    if shutil.which("wasm-opt") is None:
        assert wasm_opt_estimate(data) is None
        return
    stripped = strip(data, set())
    est = wasm_opt_estimate(stripped, timeout=60)
    assert est is not None and est.error is None, est
    assert est.size is not None and 8 < est.size <= len(stripped)
    preview = strip_preview(parse(data), wasm_opt=True)
    assert preview.wasm_opt == est
