"""Reader records on modules built from inline WAT (plus hand-made custom sections)."""

from __future__ import annotations

import pytest

from tests.wat import wat
from workbench.core.wasm import parse_module


def leb(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def vec_name(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return leb(len(raw)) + raw


def section(sid: int, payload: bytes) -> bytes:
    return bytes([sid]) + leb(len(payload)) + payload


def custom(name: str, payload: bytes) -> bytes:
    return section(0, vec_name(name) + payload)


SIGS = wat("""
(module
  (import "edge" "log" (func (param i32 i32 i32)))
  (import "edge" "now_ms" (func (result i64)))
  (import "env" "memory" (memory 1 16))
  (func $_ZN4demo6handle17h0123456789abcdefE (param i32 i32) (result i32) i32.const 0)
  (func (param f32 f64) (result i32 i64) i32.const 0 i64.const 0)
  (func nop)
  (global $counter (mut i32) (i32.const 0))
  (export "handle" (func $_ZN4demo6handle17h0123456789abcdefE))
  (export "pair" (func 3))
  (export "counter" (global $counter))
  (data $greeting (i32.const 8) "hi")
)""")


@pytest.fixture(scope="module")
def sigs():
    return parse_module(SIGS)


def test_import_and_export_signatures(sigs) -> None:
    assert [(i.module, i.name, i.kind, i.type) for i in sigs.imports] == [
        ("edge", "log", "func", "(i32, i32, i32) -> ()"),
        ("edge", "now_ms", "func", "() -> i64"),
        ("env", "memory", "memory", "memory 1..16 pages"),
    ]
    assert [(e.name, e.kind, e.type) for e in sigs.exports] == [
        ("handle", "func", "(i32, i32) -> i32"),
        ("pair", "func", "(f32, f64) -> (i32, i64)"),
        ("counter", "global", "global mut i32"),
    ]
    assert sigs.exports[0].func_type.params == ("i32", "i32")


def test_function_names_name_section_then_export_then_index(sigs) -> None:
    # wat2wasm writes $names to the name section; func 3 and 4 have none
    names = {f.index: f.name for f in sigs.functions}
    assert names == {2: "demo::handle", 3: "pair", 4: "func[4]"}
    assert sigs.functions[0].raw_name == "_ZN4demo6handle17h0123456789abcdefE"
    assert sigs.imported_functions == 2
    assert [str(sigs.types[f.type_index]) for f in sigs.functions] == [
        "(i32, i32) -> i32", "(f32, f64) -> (i32, i64)", "() -> ()"]


def test_data_segment_named_and_located(sigs) -> None:
    (seg,) = sigs.data_segments
    assert seg.name == "greeting" and seg.mode == "active"
    assert bytes(SIGS[seg.start:seg.start + seg.size]) == b"hi"
    assert sigs.global_names == {0: "counter"}


def test_disk_sizes_add_up_to_the_file(sigs) -> None:
    assert 8 + sum(s.disk_size for s in sigs.sections) == len(SIGS)
    code = sigs.section("code")
    assert sum(f.disk_size for f in sigs.functions) + len(leb(len(sigs.functions))) == code.size
    for f in sigs.functions:
        assert f.start + f.size <= code.end


def test_memoryview_input_is_not_copied() -> None:
    buf = bytearray(SIGS)
    m = parse_module(memoryview(buf))
    code = m.section("code")
    view = m.payload(code)
    buf[code.start] = 0x7F  # the payload is a view of the caller's buffer
    assert view[0] == 0x7F
    assert m.custom("name") is not None and m.custom("nope") is None


def test_producers_and_target_features() -> None:
    producers = (leb(2) + vec_name("language") + leb(1) + vec_name("Rust") + vec_name("")
                 + vec_name("processed-by") + leb(2) + vec_name("rustc") + vec_name("1.80.0")
                 + vec_name("wasm-bindgen") + vec_name("0.2.92"))
    features = leb(2) + b"+" + vec_name("mutable-globals") + b"-" + vec_name("simd128")
    data = wat("(module)") + custom("producers", producers) + custom("target_features", features)
    m = parse_module(data)
    assert m.producers == {"language": [("Rust", "")],
                           "processed-by": [("rustc", "1.80.0"), ("wasm-bindgen", "0.2.92")]}
    assert m.target_features == ("+mutable-globals", "-simd128")
    assert [s.name for s in m.sections] == ["producers", "target_features"]
    assert m.sections[0].content == m.sections[0].start + 1 + len("producers")
    assert m.warnings == ()


def test_broken_name_section_is_a_warning_not_an_error() -> None:
    data = wat("(module (func))") + custom("name", b"\x01\x05\x01\x00\x09abc")
    m = parse_module(data)
    assert m.functions[0].name == "func[0]"
    assert len(m.warnings) == 1 and "name section" in m.warnings[0]


def test_proposals_memory64_shared_tags_gc_and_multivalue() -> None:
    m = parse_module(wat("""
    (module
      (type $pt (struct (field i32) (field (mut i64))))
      (type $arr (array i8))
      (memory i64 1 2)
      (memory 1 4 shared)
      (tag $oops (param i32))
      (export "oops" (tag $oops))
      (export "m64" (memory 0))
      (export "shared" (memory 1))
      (func (export "mk") (result (ref $pt)) i32.const 1 i64.const 2 struct.new $pt))
    """))
    assert m.types[0].kind == "struct" and m.types[1].kind == "array"
    assert m.memories == ("i64 1..2 pages", "1..4 pages shared")
    kinds = {e.name: e.type for e in m.exports}
    assert kinds["oops"] == "tag (i32) -> ()"
    assert kinds["m64"] == "memory i64 1..2 pages"
    assert kinds["mk"] == "() -> (ref 0)"


def test_component_lists_core_modules_and_is_not_misread() -> None:
    core_a, core_b = wat("(module (func))"), wat("(module (memory 1))")
    nested = b"\x00asm\x0d\x00\x01\x00" + section(1, core_b)
    comp = (b"\x00asm\x0d\x00\x01\x00" + section(1, core_a) + custom("note", b"x")
            + section(4, nested) + section(11, leb(0)))
    m = parse_module(comp)
    assert m.kind == "component" and m.functions == () and m.imports == ()
    assert [s.name for s in m.sections] == ["core module", "note", "component", "export"]
    assert m.sections[-1].count == 0
    assert [(c.index, c.size) for c in m.components] == [(0, len(core_a)), (1, len(core_b))]
    inner = parse_module(memoryview(comp)[m.components[1].start:][:m.components[1].size])
    assert inner.memories == ("1..∞ pages",)
    assert 8 + sum(s.disk_size for s in m.sections) == len(comp)


def test_datacount_start_and_passive_elements() -> None:
    m = parse_module(wat("""
    (module (memory 1) (table 2 funcref)
      (func $s) (start $s)
      (elem funcref (ref.func $s))
      (data "abc")
      (func (export "init") i32.const 0 i32.const 0 i32.const 3 memory.init 0 data.drop 0))
    """))
    assert m.start == 0 and m.data_count == 1 and m.element_segments == 1
    assert m.section("datacount").count == 1 and m.section("start").count is None
    assert m.data_segments[0].mode == "passive"
