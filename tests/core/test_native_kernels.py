"""The compiled kernels (`workbench/core/wasm/native`) against the Python reference.

Body scanner, data offsets and dominators must give exactly what the Python code
gives: on inline WAT that uses every opcode family the decoder knows (SIMD and relaxed
SIMD, GC, exceptions old and new, tail calls, memory64, multi-memory, atomics, bulk
memory, reference types), on thousands of mutated bodies (the same error at the same
offset, or the same references), on random graphs, and on third-party modules. Also:
the shipped binary is what its sources build, the C constants equal opcodes.py, and
`auto` falls back to Python when the kernels cannot run.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from tests.cmodules import c_modules
from tests.core.test_callgraph import NPM, REAL
from tests.wat import wat
from workbench.core.errors import MalformedModule
from workbench.core.size.callgraph import CallGraph, build_callgraph
from workbench.core.size.dominators import dominators
from workbench.core.size.retained import analyze
from workbench.core.wasm import opcodes as O
from workbench.core.wasm import parse_module
from workbench.core.wasm.edges import body_edges
from workbench.core.wasm.native import build, kernel, scanner
from workbench.core.wasm.refs import module_refs

EVERY_FAMILY = """(module
  (type $pt (struct (field i32) (field (mut i64))))
  (type $arr (array (mut i8)))
  (type $fa (array (mut funcref)))
  (type $sig (func (param i32) (result i32)))
  (memory $m0 1 2 shared)
  (memory $m1 i64 1)
  (table $t 4 funcref)
  (tag $e (param i32))
  (global $g (mut i32) (i32.const 0))
  (data $d0 (memory $m0) (i32.const 1024) "hello world, data segment zero")
  (data $d1 "passive bytes")
  (elem $el func $f0 $f1)
  (elem declare func $tail)
  (func $f0 (param i32) (result i32) local.get 0)
  (func $f1 (param i32) (result i32) (return_call $f0 (local.get 0)))
  (func $tail (param i32) (result i32)
    (return_call_indirect $t (type $sig) (local.get 0) (i32.const 0)))
  (func $numeric (param i32 i64 f32 f64) (result i32)
    (local $x i32) (local $v v128) (local $r anyref) (local $fr (ref null func))
    i32.const -1 i32.const 1030 i32.add drop
    i64.const -9223372036854775808 i64.const 0x7fffffffffffffff i64.add drop
    f32.const 1.5 f32.const -0.0 f32.add drop
    f64.const 3.25 f64.sqrt drop
    local.get 0 i32.clz i32.popcnt i32.extend8_s local.set $x
    local.get 1 i32.wrap_i64 drop
    local.get 2 i32.trunc_sat_f32_s drop
    local.get 3 i64.trunc_sat_f64_u drop
    (i32.load offset=4 align=2 (i32.const 1024)) drop
    (i64.store32 offset=100000 (i32.const 8) (i64.const 5))
    (i32.load $m1 offset=0x100000000 (i64.const 0)) drop
    (i64.store8 $m1 (i64.const 3) (i64.const 4))
    (memory.size $m1) drop
    (memory.grow $m0 (i32.const 0)) drop
    (memory.init $d0 (i32.const 0) (i32.const 0) (i32.const 1))
    data.drop $d1
    (memory.copy $m0 $m1 (i32.const 0) (i32.const 0) (i32.const 0))
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
    (table.init $t $el (i32.const 0) (i32.const 0) (i32.const 1))
    elem.drop $el
    (table.copy (i32.const 0) (i32.const 1) (i32.const 1))
    (table.grow $t (ref.func $f0) (i32.const 1)) drop
    (table.size $t) drop
    (table.fill $t (i32.const 0) (ref.null func) (i32.const 1))
    (table.set $t (i32.const 0) (table.get $t (i32.const 1)))
    global.get $g global.set $g
    ref.null any local.set $r
    ref.func $tail local.set $fr
    (ref.is_null (local.get $fr)) drop
    (select (i32.const 1) (i32.const 2) (local.get 0)) drop
    (select (result i64) (i64.const 1) (i64.const 2) (local.get 0)) drop
    (call_indirect $t (type $sig) (i32.const 1) (i32.const 0)) drop
    (call_ref $sig (i32.const 1) (ref.as_non_null (local.get $fr))) drop
    local.get 0)
  (func $simd (param i32) (result i32) (local $v v128)
    v128.const i32x4 1 2 3 4
    v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
    i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31
    local.set $v
    (v128.load offset=16 (i32.const 0)) drop
    (v128.store (i32.const 0) (local.get $v))
    (v128.load8_lane 3 (i32.const 0) (local.get $v)) drop
    (v128.store64_lane 1 (i32.const 0) (local.get $v))
    (v128.load32_zero (i32.const 0)) drop
    (i8x16.extract_lane_s 15 (local.get $v)) drop
    (i32x4.replace_lane 2 (local.get $v) (i32.const 7)) drop
    (i32x4.add (local.get $v) (local.get $v)) drop
    (f64x2.promote_low_f32x4 (local.get $v)) drop
    (i32x4.dot_i16x8_s (local.get $v) (local.get $v)) drop
    (i16x8.relaxed_q15mulr_s (local.get $v) (local.get $v)) drop
    (f32x4.relaxed_madd (local.get $v) (local.get $v) (local.get $v)) drop
    (i8x16.relaxed_swizzle (local.get $v) (local.get $v)) drop
    (v128.any_true (local.get $v)) drop
    (i32x4.bitmask (local.get $v)))
  (func $gc (param i32) (result i32) (local $p (ref null $pt)) (local $a (ref null $arr))
    (struct.new $pt (i32.const 1) (i64.const 2)) local.set $p
    (struct.get $pt 0 (local.get $p)) drop
    (struct.set $pt 1 (local.get $p) (i64.const 3))
    (array.new_data $arr $d1 (i32.const 0) (i32.const 4)) local.set $a
    (array.init_data $arr $d0 (local.get $a) (i32.const 0) (i32.const 0) (i32.const 1))
    (array.new_elem $fa $el (i32.const 0) (i32.const 1)) drop
    (array.len (local.get $a)) drop
    (array.get_u $arr (local.get $a) (i32.const 0)) drop
    (array.new_default $arr (i32.const 3)) drop
    (array.new_fixed $arr 2 (i32.const 1) (i32.const 2)) drop
    (array.copy $arr $arr (local.get $a) (i32.const 0) (local.get $a) (i32.const 0) (i32.const 1))
    (array.fill $arr (local.get $a) (i32.const 0) (i32.const 0) (i32.const 1))
    (ref.i31 (i32.const 5)) i31.get_s drop
    (ref.test (ref $pt) (local.get $p)) drop
    (ref.cast (ref null $pt) (local.get $p)) drop
    (block $l (result anyref)
      (br_on_cast $l anyref (ref $pt) (local.get $p))
      (br_on_cast_fail $l anyref (ref $arr)) drop (ref.null any))
    drop
    (any.convert_extern (ref.null extern)) extern.convert_any drop
    (ref.eq (local.get $p) (local.get $p)))
  (func $control (param i32) (result i32)
    (block $out (result i32)
      (loop $top
        (br_if $top (i32.eqz (local.get 0)))
        (br_table $out $top $out (i32.const 5) (local.get 0))))
    drop
    (if (result i32) (local.get 0) (then (call $f0 (i32.const 1))) (else (call $f1 (i32.const 2))))
    drop
    (block $h (result i32)
      (try_table (result i32) (catch $e $h) (catch_all $h)
        (throw $e (i32.const 3))))
    drop
    try (result i32)
      i32.const 4 call $f0
    catch $e
    catch_all
      i32.const 5
    end
    drop
    block $d
      try
        nop
      delegate $d
    end
    (block $ex (result exnref) (try_table (catch_all_ref $ex) (nop)) (unreachable))
    throw_ref)
  (func $atomics (param i32) (result i32)
    (i32.atomic.load (i32.const 0)) drop
    (i64.atomic.rmw.add offset=8 (i32.const 0) (i64.const 1)) drop
    (i32.atomic.rmw.cmpxchg (i32.const 0) (i32.const 1) (i32.const 2)) drop
    (memory.atomic.notify (i32.const 0) (i32.const 1)) drop
    (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0)) drop
    atomic.fence
    (return (i32.const 0)))
  (func $h2)
  (export "numeric" (func $numeric)) (export "simd" (func $simd)) (export "gc" (func $gc))
  (export "control" (func $control)) (export "atomics" (func $atomics)))
"""


def _edges(data: bytes, kernels: str, lo: int = 0, hi: int = 1 << 32):
    module = parse_module(data)
    bodies = [(f.start, f.size) for f in module.functions]
    return body_edges(module.data, bodies, lo, hi, kernels=kernels)


def test_c_constants_equal_opcodes_py() -> None:
    source = (build.HERE / "scanner.c").read_text()
    defines = dict(re.findall(r"^#define (\w+) (\w+)$", source, re.M))
    for name in ("NONE", "U32", "U32X2", "BLOCK", "MEMARG", "I32", "I64", "F32", "F64",
                 "BR_TABLE", "SELECT_T", "HEAP", "TRY_TABLE", "MEMARG_LANE", "LANE",
                 "BYTES16", "ZERO", "BR_ON_CAST", "END"):
        assert int(defines[name]) == getattr(O, name), name
    assert int(defines["ABI_VERSION"]) == kernel.ABI_VERSION
    assert int(defines["PFX_N"]) == scanner.PFX_N
    assert max(max(t) for t in O.PREFIXES.values()) < scanner.PFX_N


def test_shipped_binary_is_what_the_sources_build() -> None:
    pytest.importorskip("ziglang")
    assert build.rebuilt() == build.BINARY.read_bytes(), \
        "run: python3 -m workbench.core.wasm.native.build"


def test_every_opcode_family_scans_alike() -> None:
    data = wat(EVERY_FAMILY)
    native = _edges(data, "native")
    assert native == _edges(data, "python")
    names = [f.name for f in parse_module(data).functions]
    got = dict(zip(names, native, strict=True))
    assert got["f1"].funcs == (0,)  # return_call
    assert got["numeric"].funcs == (0, 2)  # ref.func in table.grow, ref.func $tail
    assert got["numeric"].datas == (0, 1)  # memory.init, data.drop
    assert got["gc"].datas == (0, 1)  # array.new_data, array.init_data
    assert got["control"].funcs == (0, 1)  # calls inside if/else and legacy try
    assert 1030 in got["numeric"].consts and 0xFFFFFFFF in got["numeric"].consts
    for lo, hi in ((0, 0), (1024, 1031), (5, 1 << 31)):
        assert _edges(data, "native", lo, hi) == _edges(data, "python", lo, hi)


def test_output_area_refills() -> None:
    """A tiny output area: the host drains it and resumes at the next body."""
    data = wat(EVERY_FAMILY)
    expected = _edges(data, "python")
    words = scanner.OUT_WORDS
    try:
        scanner.OUT_WORDS = 1
        assert _edges(data, "native") == expected
    finally:
        scanner.OUT_WORDS = words


def _outcome(data: bytes, kernels: str) -> object:
    try:
        module = parse_module(data)
    except MalformedModule:
        return "reader"
    try:
        g = build_callgraph(module, kernels=kernels)
    except MalformedModule as e:
        return (e.message, e.offset)
    return g.succ


@pytest.mark.parametrize("seed", range(4))
def test_mutated_bodies_fail_alike(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Flip, insert and delete bytes inside bodies (sizes fixed up): the compiled scanner
    either gives the reference's references or lets the reference raise its error.
    Odd seeds scan in two parallel halves (as modules above SPLIT_BYTES are)."""
    if seed % 2:
        monkeypatch.setattr(scanner, "SPLIT_BYTES", 0)
    base = wat(EVERY_FAMILY)
    module = parse_module(base)
    rng = random.Random(seed)
    funcs = module.functions
    code = next(s for s in module.sections if s.id == 10)
    rejected = 0
    for _ in range(150):
        f = rng.choice(funcs)
        body = bytearray(base[f.start:f.start + f.size])
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(body))
            roll = rng.random()
            if roll < 0.6:
                body[at] = rng.choice((rng.randrange(256), 0x0B, 0x80, 0xFF, 0x05, 0x41))
            elif roll < 0.8:
                body.insert(at, rng.randrange(256))
            elif len(body) > 1:
                del body[at]
        data = _splice(base, code, funcs, f.index - module.imported_functions, bytes(body))
        native, python = _outcome(data, "native"), _outcome(data, "python")
        assert native == python, data.hex()
        rejected += isinstance(native, tuple)
    assert rejected > 30  # the mutations do reach the error paths


def test_split_scan_reports_the_first_malformed_body(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bad bodies in both halves: the error is the first body's, as the reference's."""
    monkeypatch.setattr(scanner, "SPLIT_BYTES", 0)
    base = wat(EVERY_FAMILY)
    module = parse_module(base)
    funcs, code = module.functions, next(s for s in module.sections if s.id == 10)
    data = _splice(base, code, funcs, 1, b"\x00\xff\x0b")
    spliced = parse_module(data)
    code = next(s for s in spliced.sections if s.id == 10)
    data = _splice(data, code, spliced.functions, len(funcs) - 1, b"\x00\x05\x0b")
    native, python = _outcome(data, "native"), _outcome(data, "python")
    assert native == python
    assert isinstance(native, tuple) and "unknown opcode 0xff" in native[0]
    assert _edges(base, "native") == _edges(base, "python")  # and a valid one, split


def _splice(base: bytes, code, funcs, k: int, body: bytes) -> bytes:
    """`base` with defined function k's body replaced (body and section sizes re-encoded)."""
    from workbench.core.wasm.leb import encode_u

    entries = b"".join(encode_u(len(b)) + b for b in (
        body if i == k else base[f.start:f.start + f.size] for i, f in enumerate(funcs)))
    payload = encode_u(len(funcs)) + entries
    head = base[:code.offset]
    return head + b"\x0a" + encode_u(len(payload)) + payload + base[code.end:]


def test_data_offsets_alike_on_every_segment_form() -> None:
    """300 segments (the kernel runs from 256): i32.const, padded LEBs, a memory index,
    global.get, extended constants, passive segments."""
    forms = ["(i32.const {a})", "(memory $m1) (i32.const {a})", "(global.get $g)",
             "(i32.add (i32.const {a}) (i32.const 1))", "", "(i32.const -{a})"]
    segs = "\n".join(f"(data {forms[i % len(forms)].format(a=64 * i + 8)} \"s{i}\")"
                     for i in range(300))
    text = f"(module (memory 1) (memory $m1 1) (global $g i32 (i32.const 4096)) {segs})"
    module = parse_module(wat(text))
    native, python = module_refs(module, kernels="native"), module_refs(module,
                                                                         kernels="python")
    assert native == python
    assert native.data_ranges[0] == (8, 10) and native.data_ranges[4] is None
    assert native.data_ranges[5] == ((-(64 * 5 + 8)) & 0xFFFFFFFF,
                                     ((-(64 * 5 + 8)) & 0xFFFFFFFF) + 2)


def _random_graph(rng: random.Random, n: int) -> CallGraph:
    succ = []
    for i in range(n):
        k = rng.choice((0, 1, 2, 3, 8))
        succ.append(tuple(sorted({rng.randrange(n) for _ in range(k)} | ({i} if rng.random()
                                                                        < 0.05 else set()))))
    sizes = tuple(rng.randrange(100) for _ in range(n))
    names = tuple(f"n{i}" for i in range(n))
    return CallGraph(names, ("function",) * n, sizes, tuple(succ), (), (), sum(sizes))


@pytest.mark.parametrize("seed", range(6))
def test_dominators_alike_on_random_graphs(seed: int) -> None:
    rng = random.Random(seed)
    g = _random_graph(rng, rng.choice((1, 2, 50, 2000)))
    assert dominators(g, kernels="native") == dominators(g, kernels="python")


@pytest.mark.parametrize("variant", ["dwarf4", "nodwarf", "partial"])
def test_c_modules_alike(variant: str) -> None:
    module = parse_module(c_modules()[variant])
    a, b = (analyze(module, data_symbols=True, kernels=k) for k in ("native", "python"))
    assert a.graph == b.graph and a.dominance == b.dominance


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_modules_alike(name: str) -> None:
    """Go (98k data segments), Rust (16k functions), Emscripten; skipped when absent."""
    path = NPM / REAL[name]
    if not path.exists():
        pytest.skip(f"{path} not present (npm pack the package and unpack it there)")
    module = parse_module(path.read_bytes())
    a, b = (analyze(module, data_symbols=True, kernels=k) for k in ("native", "python"))
    assert a.graph == b.graph
    assert a.dominance == b.dominance


def test_auto_falls_back_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    data = wat(EVERY_FAMILY)
    expected = _edges(data, "python")
    monkeypatch.setattr(kernel, "WASM", Path("/nonexistent/kernels.wasm"))
    kernel._compiled.cache_clear()
    try:
        assert _edges(data, "auto") == expected
        with pytest.raises(kernel.NativeUnavailable):
            _edges(data, "native")
    finally:
        monkeypatch.undo()
        kernel._compiled.cache_clear()


def test_environment_selects_python(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the compiled scanner ran")

    monkeypatch.setattr(scanner, "scan", refuse)
    monkeypatch.setenv("WORKBENCH_KERNELS", "python")
    assert _edges(wat(EVERY_FAMILY), "") == _edges(wat(EVERY_FAMILY), "python")
    monkeypatch.setenv("WORKBENCH_KERNELS", "fast")
    with pytest.raises(ValueError, match="unknown kernels"):
        _edges(wat(EVERY_FAMILY), "")


def test_a_trapping_kernel_falls_back_under_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kernel that traps (a bug, say an out-of-bounds read) is not the user's problem:
    `auto` gives the Python result, `native` reports it as NativeUnavailable."""
    data = wat(EVERY_FAMILY)
    expected = _edges(data, "python")

    def trap(*args: object) -> None:
        raise kernel.NativeUnavailable("compiled kernel scan failed: wasm trap")

    monkeypatch.setattr(scanner, "scan", trap)
    assert _edges(data, "auto") == expected
    with pytest.raises(kernel.NativeUnavailable):
        _edges(data, "native")


def test_a_trap_becomes_native_unavailable() -> None:
    arena = kernel.Arena()
    arena.commit()
    run = arena.func("data_offsets")
    with pytest.raises(kernel.NativeUnavailable, match="data_offsets"):
        run(0xFFFFFFF0, 64, 0, 1, 0, 0)  # reads far outside linear memory
