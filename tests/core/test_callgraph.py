"""Call graph, dominators and retained sizes: exact values on inline WAT, the CHK result
equal to a naive fixpoint (graph_oracle.py) on C modules and on real third-party
modules, the fast scanner equal to the reference decoder, malformed bodies rejected
with their offset."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cmodules import c_modules
from tests.core.graph_oracle import fixpoint, reachable, removal_retained
from tests.wat import wat
from workbench.core.errors import MalformedModule
from workbench.core.size.callgraph import ROOT, build_callgraph
from workbench.core.size.crates import by_crate
from workbench.core.size.garbage import garbage
from workbench.core.size.monos import monomorphizations
from workbench.core.size.paths import paths
from workbench.core.size.retained import analyze, by_retained, dominator_tree
from workbench.core.wasm import parse_module
from workbench.core.wasm.instr import decode_body
from workbench.core.wasm.scan import const_bytes_for, scan_bodies

GRAPH_WAT = """(module
  (memory 1)
  (data (i32.const 1024) "0123456789abcdef0123456789abcdef")
  (data (i32.const 4096) "unused bytes no constant names")
  (table 1 funcref)
  (elem (i32.const 0) $viatable)
  (func $run (export "run") (result i32)
    call $a
    call $shared
    i32.add)
  (func $a (result i32)
    (block (result i32)
      (if (result i32) (i32.const 1)
        (then (call $only_a))
        (else (call $shared))))
    i32.const 1030
    i32.load8_u
    i32.add)
  (func $only_a (result i32) i32.const 7)
  (func $shared (result i32) i32.const 8)
  (func $viatable (result i32) i32.const 9)
  (func $dead (result i32) call $dead2)
  (func $dead2 (result i32) i32.const 10))"""


def _node(graph, name: str) -> int:
    return graph.names.index(name)


def test_small_graph_exact_dominators_and_retained() -> None:
    module = parse_module(wat(GRAPH_WAT))
    a = analyze(module)
    g, d = a.graph, a.dominance
    assert sum(g.sizes) == module.size
    run, fa, only_a, shared = (_node(g, n) for n in ("run", "a", "only_a", "shared"))
    data0, data1 = g.data_node
    size = {f.name: f.size for f in module.functions}
    # only_a and data[0] are kept only through a; shared is kept by run and by a
    assert d.idom[only_a] == fa and d.idom[data0] == fa
    assert d.idom[shared] == run
    assert d.retained[fa] == size["a"] + size["only_a"] + module.data_segments[0].size
    assert d.retained[run] == size["run"] + d.retained[fa] + size["shared"]
    # dead/dead2 and the data segment no constant names are garbage
    gb = garbage(a)
    assert {r.name for r in gb.rows} == {"dead", "dead2", "data[1]"}
    assert gb.unreachable == size["dead"] + size["dead2"] + module.data_segments[1].size
    assert gb.reachable + gb.unreachable == module.size
    # the table keeps viatable through the element section
    viatable = _node(g, "viatable")
    assert g.names[d.idom[viatable]] == "element section"


def test_paths_explain_why_an_item_is_kept() -> None:
    a = analyze(parse_module(wat(GRAPH_WAT)))
    (item,) = paths(a, "only_a")
    assert item.path == ("<module>", "export 'run'", "run", "a", "only_a")
    assert item.kept_by == ("a",)
    assert item.dominators == ("a", "run", "export 'run'", "<module>")
    (dead,) = paths(a, "dead2")
    assert not dead.reachable and dead.path == () and dead.kept_by == ("dead",)


def test_views_add_up_to_the_file_size() -> None:
    module = parse_module(wat(GRAPH_WAT))
    a = analyze(module)
    tree = dominator_tree(a, max_depth=2, top=2)
    assert sum(r.retained for r in tree.rows if r.depth == 0) == module.size
    ret = by_retained(a)
    assert ret.reachable + ret.unreachable == module.size
    assert ret.rows[0].retained >= ret.rows[-1].retained
    crates = by_crate(module)
    assert sum(r.size for r in crates.rows) == module.size
    monos = monomorphizations(module)
    assert sum(g.size for g in monos.groups) + monos.other_functions + monos.outside \
        == module.size


def _check_against_oracle(module, sample: int = 40) -> None:
    a = analyze(module)
    g, d = a.graph, a.dominance
    assert sum(g.sizes) == module.size
    if len(g) <= 20_000:
        idom, retained = fixpoint(g.succ, g.sizes)
        assert list(d.idom) == idom
        assert list(d.retained) == retained
        return
    before = reachable(g.succ)
    order = sorted(range(len(g)), key=lambda n: -d.retained[n])
    for node in order[1:sample // 2] + order[sample // 2::max(1, len(g) // sample)]:
        assert d.retained[node] == removal_retained(g.succ, g.sizes, node, before), \
            g.names[node]


def _check_scanner(module) -> None:
    data = bytes(module.data)
    bodies = [(f.start, f.size) for f in module.functions]
    for cb in (0, 3, 5):
        fast = scan_bodies(data, bodies, cb)
        for (start, size), got in zip(bodies, fast, strict=True):
            ref = decode_body(data, start, start + size)
            assert (got.calls, got.funcrefs, got.datas) == (ref.calls, ref.funcrefs,
                                                             ref.datas)
            if cb == 0:
                assert got.consts == ref.consts


@pytest.mark.parametrize("variant", ["dwarf4", "nodwarf", "partial"])
def test_c_modules_match_the_oracle(variant: str) -> None:
    module = parse_module(c_modules()[variant])
    _check_against_oracle(module)
    _check_scanner(module)


def test_inline_wat_matches_the_oracle() -> None:
    module = parse_module(wat(GRAPH_WAT))
    _check_against_oracle(module)
    _check_scanner(module)


NPM = Path(os.environ.get("WORKBENCH_REAL_WASM", "/work/scratch/sizegraph-npm"))
REAL = {
    "go-esbuild": "x_esbuild-wasm-0.28.2.tgz/package/esbuild.wasm",
    "rust-swc": "x_swc-wasm-1.16.18.tgz/package/wasm_bg.wasm",
    "emscripten-sqljs": "x_sql.js-1.16.0.tgz/package/dist/sql-wasm.wasm",
    "emscripten-sqljs-debug": "x_sql.js-1.16.0.tgz/package/dist/sql-wasm-debug.wasm",
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_modules_match_the_oracle(name: str) -> None:
    """Third-party builds (`npm pack esbuild-wasm @swc/wasm sql.js`, unpacked into
    $WORKBENCH_REAL_WASM); skipped when absent."""
    path = NPM / REAL[name]
    if not path.exists():
        pytest.skip(f"{path} not present (npm pack the package and unpack it there)")
    module = parse_module(path.read_bytes())
    _check_against_oracle(module)
    if module.size < 2_000_000:
        _check_scanner(module)


BODY_PREFIX = bytes.fromhex("0061736d01000000" "010401600000" "03020100")


def _module_with_body(body: bytes) -> bytes:
    entry = bytes([len(body)]) + body
    code = bytes([1]) + entry
    return BODY_PREFIX + bytes([10, len(code)]) + code


@pytest.mark.parametrize(("body", "fragment"), [
    (b"\x00\xff\x0b", "unknown opcode 0xff"),
    (b"\x00\x01", "before its final end"),
    (b"\x00\x05\x0b", "else outside an if"),
    (b"\x00\x0b\x01", "after the final end"),
    (b"\x00\x02\x40\x0b", "before its final end"),
    (b"\x00\xfc\x63\x0b", "unknown opcode 0xfc 99"),
    (b"\x00\x28\x80\x01\x00\x0b", "memop flags"),
    (b"\x00\x10\x80\x80\x80\x80\x10\x0b", "overflow"),
])
@pytest.mark.parametrize("kernels", ["native", "python"])
def test_malformed_bodies_raise_with_offset(body: bytes, fragment: str, kernels: str) -> None:
    data = _module_with_body(body)
    module = parse_module(data)  # lazy: the reader itself never decodes bodies
    with pytest.raises(MalformedModule) as info:
        build_callgraph(module, kernels=kernels)
    assert fragment in info.value.message
    start = module.functions[0].start
    assert start <= info.value.offset <= start + len(body)


def test_const_bytes_for_picks_encodings_that_cannot_name_a_segment() -> None:
    assert const_bytes_for([]) == 5
    assert const_bytes_for([(1 << 20, (1 << 20) + 10)]) == 3
    assert const_bytes_for([(1024, 2048)]) == 1
    assert const_bytes_for([(0, 16)]) == 0


def test_root_is_node_zero_and_reaches_the_sections() -> None:
    g = build_callgraph(parse_module(wat(GRAPH_WAT)))
    assert g.names[ROOT] == "<module>" and g.sizes[ROOT] == 8
    assert "type section" in {g.names[n] for n in g.succ[ROOT]}
