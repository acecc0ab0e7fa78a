"""Strip and strip preview: byte-identical non-custom sections, wasm-strip parity."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cmodules import c_modules, parse
from tests.wat import wat
from workbench.core.errors import MalformedModule
from workbench.core.size.strip import gzip_size, strip, strip_preview, wasm_opt_estimate


@pytest.fixture(scope="module")
def data() -> bytes:
    return c_modules()["dwarf5"]


def _non_custom(raw: bytes) -> list[tuple[int, bytes]]:
    """(id, payload) of every non-custom section."""
    module = parse(raw)
    return [(s.id, raw[s.start:s.end]) for s in module.sections if not s.is_custom]


def _padded(raw: bytes) -> bytes:
    """The same module with every section size written as a 5-byte LEB (as Go does)."""
    module = parse(raw)
    out = bytearray(raw[:8])
    for s in module.sections:
        n = s.size
        out += bytes((s.id,)) + bytes(((n >> (7 * i)) & 0x7F) | (0x80 if i < 4 else 0)
                                      for i in range(5)) + raw[s.start:s.end]
    return bytes(out)


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


def test_all_custom_matches_wasm_strip(tmp_path: Path) -> None:
    exe = shutil.which("wasm-strip")
    if exe is None:
        pytest.skip("wasm-strip (Debian package wabt) not installed")
    mods = c_modules()
    assert {"dwarf4", "dwarf5"} <= set(mods)
    for name, raw in mods.items():
        src = tmp_path / f"{name}.wasm"
        src.write_bytes(raw)
        subprocess.run([exe, str(src), "-o", str(tmp_path / "out.wasm")], check=True)
        expected = (tmp_path / "out.wasm").read_bytes()
        assert strip(raw, set()) == expected, name
        if name.startswith("dwarf"):  # DWARF builds lose their .debug_* sections
            assert len(expected) < len(raw), name
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


def test_padded_section_size_lebs_are_written_minimally(data: bytes, tmp_path: Path) -> None:
    padded = _padded(data)
    module = parse(padded)
    assert len(padded) > len(data) and _non_custom(padded) == _non_custom(data)
    out = strip(padded, set())
    assert _non_custom(out) == _non_custom(data)  # payloads verbatim
    assert out == strip(data, set())  # only the size LEBs changed: minimal, as wasm-strip
    customs = sum(s.disk_size for s in module.sections if s.is_custom)
    assert len(out) == len(padded) - customs - 4 * sum(
        1 for s in module.sections if not s.is_custom and s.size < 128) - 3 * sum(
        1 for s in module.sections if not s.is_custom and 128 <= s.size < 16384)
    exe = shutil.which("wasm-strip")
    if exe is not None:
        src = tmp_path / "padded.wasm"
        src.write_bytes(padded)
        subprocess.run([exe, str(src), "-o", str(tmp_path / "out.wasm")], check=True)
        assert out == (tmp_path / "out.wasm").read_bytes()


def test_estimated_preview_never_reports_negative_savings(data: bytes) -> None:
    module = parse(data)
    exact = strip_preview(module)
    est = strip_preview(module, exact_gzip=False)
    assert exact.gzip_exact and not est.gzip_exact
    assert [o.size for o in est.options] == [o.size for o in exact.options]
    for o in est.options:
        assert 0 < est.gzip_size - o.gzip_size <= est.size - o.size
    assert est.to_json()["gzip_exact"] is False


def test_a_module_wasmtime_rejects_is_named_as_the_problem() -> None:
    bad = wat("(module (func (result i32) i32.const 1))")
    bad = bad.replace(b"\x41\x01\x0b", b"\x01\x01\x0b")  # nop nop end: nothing returned
    with pytest.raises(MalformedModule) as info:
        strip(bad, set())
    assert "input module itself" in info.value.message
