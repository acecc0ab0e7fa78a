"""Malformed input: a MalformedModule naming the byte offset and what is wrong."""

from __future__ import annotations

import pytest

from tests.core.test_wasm_reader import SIGS, custom, leb, section, vec_name
from workbench.core.errors import MalformedModule
from workbench.core.size.callgraph import build_callgraph
from workbench.core.wasm import parse_module

HDR = b"\x00asm\x01\x00\x00\x00"
FUNC_TYPE = section(1, leb(1) + b"\x60\x00\x00")  # one type: () -> ()


def _err(data: bytes) -> MalformedModule:
    with pytest.raises(MalformedModule) as info:
        parse_module(data, file="bad.wasm")
    return info.value


@pytest.mark.parametrize("data, offset, words", [
    (b"", 0, "truncated"),
    (b"\x00asm\x01", 5, "truncated"),
    (b"\x7fELF\x01\x00\x00\x00", 0, "bad magic"),
    (b"\x00asm\x02\x00\x00\x00", 4, "version"),
    (HDR + b"\x0e\x00", 8, "unknown section id 14"),
    (HDR + b"\x01\xff\xff\xff\xff\x7f", 9, "overflow"),
    (HDR + b"\x01\x80\x80\x80\x80\x80\x00", 9, "overflow"),
    (HDR + b"\x01\x80", 8, "ends inside"),
    (HDR + b"\x01\x05\x00", 8, "declares 5 bytes but only 1 remain"),
    (HDR + b"\x01\x02\x01\x60", 12, "runs past its declared size"),
    (HDR + section(1, leb(1_000_000)), 10, "count 1000000 cannot fit"),
    (HDR + section(1, leb(1) + b"\x60\x00\x00\x00"), 14, "1 unread bytes"),
    (HDR + section(1, leb(1) + b"\x55\x00\x00"), 11, "unknown type form 0x55"),
    (HDR + FUNC_TYPE + section(3, leb(1) + leb(0)), 18, "1 functions but the code section"),
    (HDR + FUNC_TYPE + section(3, leb(1) + leb(0)) + section(10, leb(1) + leb(9) + b"\x00"),
     21, "body of function #0 (9 bytes) runs past"),
    (HDR + FUNC_TYPE + FUNC_TYPE, 14, "out of order or repeated"),
    (HDR + section(7, leb(1) + vec_name(b"\xffx") + b"\x00" + leb(0)), 12, "UTF-8"),
    (HDR + section(0, vec_name(b"na\xc3")), 13, "UTF-8"),
    (HDR + section(11, leb(1) + b"\x00\x41\x00\x0b" + leb(50)), 11, "data segment #0"),
    (HDR + section(11, leb(1) + b"\x00\x28\x00\x0b" + leb(0)), 12, "not allowed in a constant"),
    (HDR + section(2, leb(1) + vec_name("m") + vec_name("f") + b"\x07"), 15, "import kind"),
    (HDR + section(5, leb(1) + b"\x01\x01"), 13, "past its declared size"),
    (HDR + section(12, leb(2)) + section(11, leb(1) + b"\x00\x41\x00\x0b" + leb(1) + b"x"),
     10, "datacount section says 2 data segments but the data section has 1"),
    (HDR + section(12, leb(1)), 10, "data section has 0"),
    (HDR + section(5, leb(1) + b"\x02\x00"), 11, "shared needs a maximum"),
    (HDR + section(4, leb(1) + b"\x70\x03\x00\x01"), 12, "are for memories"),
    (HDR + section(4, leb(1) + b"\x70\x08\x00\x10"), 12, "are for memories"),
])
def test_malformed_names_offset_and_problem(data: bytes, offset: int, words: str) -> None:
    err = _err(data)
    assert err.offset == offset, err.message
    assert words in err.message
    assert str(err).startswith(f"bad.wasm @ 0x{offset:x}: ")
    assert err.hint
    assert err.to_json() == {"kind": "malformed", "offset": offset, "message": err.message}


def test_every_truncation_of_a_real_module_is_malformed() -> None:
    # a cut exactly at a section boundary may leave a valid (shorter) module
    boundaries = {8} | {sec.end for sec in parse_module(SIGS).sections}
    for cut in range(len(SIGS)):
        try:
            m = parse_module(SIGS[:cut])
        except MalformedModule as err:
            assert 0 <= err.offset <= cut
        else:
            assert cut in boundaries, f"truncation at {cut} of {len(SIGS)} parsed"
            assert 8 + sum(sec.disk_size for sec in m.sections) == cut


def test_component_errors_are_malformed_too() -> None:
    comp = b"\x00asm\x0d\x00\x01\x00" + section(1, b"not a module")
    assert "embedded core module" in _err(comp).message
    assert _err(b"\x00asm\x0d\x00\x01\x00\x0f\x00").offset == 8


def test_custom_section_problems_do_not_fail_the_module() -> None:
    data = HDR + custom("producers", leb(5))
    assert parse_module(data).warnings


@pytest.mark.parametrize("data, words, hint", [
    (b"(module (func))\n", "bad magic 28 6d 6f 64", "WebAssembly text (WAT)"),
    (b"  ;; a comment\n(module)", "bad magic 20 20 3b 3b", "WebAssembly text (WAT)"),
    (b"hello\n", "bad magic 68 65 6c 6c", "does not start with"),  # short text: not "truncated"
    (b"", "the file is empty", "truncated"),
])
def test_not_a_wasm_binary_says_what_it_is(data: bytes, words: str, hint: str) -> None:
    err = _err(data)
    assert words in err.message and err.offset == 0
    assert err.hint is not None and hint in err.hint


def test_data_segment_instructions_need_a_datacount_section() -> None:
    """memory.init / data.drop without a datacount section: the body decoder names the
    instruction's offset (the spec's "data count section required")."""
    body = b"\x00" + b"\xfc\x09\x00" + b"\x0b"  # no locals; data.drop 0; end
    code = section(10, leb(1) + leb(len(body)) + body)
    data = section(11, leb(1) + b"\x01" + leb(0))
    mod = HDR + FUNC_TYPE + section(3, leb(1) + leb(0)) + code
    at = len(mod) - len(body) + 1
    with pytest.raises(MalformedModule) as info:
        build_callgraph(parse_module(mod + data))
    assert info.value.offset == at
    assert "no datacount section" in info.value.message
    with_count = HDR + FUNC_TYPE + section(3, leb(1) + leb(0)) + section(12, leb(1))
    assert build_callgraph(parse_module(with_count + code + data)).file_size
