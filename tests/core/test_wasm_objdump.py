"""The reader against wabt's wasm-objdump: section start/end/size/count, body sizes and
data segment sizes must be identical. Golden numbers cover machines without wabt.

`objdump_facts` / `reader_facts` are also used by benchmarks/bench_inspect.py --verify
on real modules from other toolchains.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.wat import wat
from workbench.core.wasm import parse_module

_SECTION = re.compile(
    r"^\s*(\w+) start=0x([0-9a-f]+) end=0x([0-9a-f]+) \(size=0x([0-9a-f]+)\)"
    r"(?: count: (\d+)| \"(.*)\"| start: \d+)?\s*$")
_FUNC = re.compile(r"^ - func\[(\d+)\] size=(\d+)")
_SEG = re.compile(r"^ - segment\[(\d+)\] (?:<.*?> )?(?:passive|memory=\d+) size=(\d+)")


def objdump_facts(path: str, objdump: str = "wasm-objdump") -> dict:
    """Sections, function sizes and data segment sizes as wasm-objdump prints them."""
    head = subprocess.run([objdump, "-h", path], capture_output=True, text=True, check=True)
    sections = []
    for line in head.stdout.splitlines():
        m = _SECTION.match(line)
        if m:
            count = int(m.group(5)) if m.group(5) is not None else None
            sections.append((int(m.group(2), 16), int(m.group(3), 16), int(m.group(4), 16),
                             count))
    funcs, segs = {}, {}
    detail = subprocess.Popen([objdump, "-x", path], stdout=subprocess.PIPE, text=True)
    assert detail.stdout is not None
    part = None
    for line in detail.stdout:
        if not line.startswith(" "):
            part = line.split("[")[0]
            continue
        if part == "Code":
            m = _FUNC.match(line)
            if m:
                funcs[int(m.group(1))] = int(m.group(2))
        elif part == "Data":
            m = _SEG.match(line)
            if m:
                segs[int(m.group(1))] = int(m.group(2))
    detail.wait()
    return {"sections": sections, "functions": funcs, "data": segs}


def reader_facts(data: bytes) -> dict:
    m = parse_module(data)
    counted = {"datacount"}  # objdump prints "count:" for these even without a vector
    sections = [(s.start, s.end, s.size,
                 s.count if (s.count is not None and s.id != 0) or s.name in counted else None)
                for s in m.sections]
    return {"sections": sections,
            "functions": {f.index: f.size for f in m.functions},
            "data": {d.index: d.size for d in m.data_segments}}


KITCHEN_SINK = """
(module
  (type $t (func (param i32 i64) (result f32)))
  (import "edge" "log" (func $log (param i32 i32 i32)))
  (import "env" "mem" (memory 1 4))
  (import "env" "g" (global $g i32))
  (import "env" "tab" (table 1 funcref))
  (tag $e (param i32))
  (global $h (mut i64) (i64.const -1))
  (global $k f64 (f64.const 1.5))
  (func $big (param i32) (result i32)
    local.get 0 i32.const 100000 i32.add i32.const 3 i32.mul i32.const 7 i32.xor)
  (func $small nop)
  (func $f (type $t) f32.const 0)
  (elem (i32.const 0) $small)
  (elem declare func $big)
  (elem $pe funcref (ref.func $f) (ref.null func))
  (start $small)
  (export "run" (func $big))
  (export "tag" (tag $e))
  (export "h" (global $h))
  (data (i32.const 1024) "hello")
  (data (i32.const 70000) "\\00\\01\\02")
  (data $p "passive data")
)
"""

# wasm-objdump 1.0.32 -h / -x on KITCHEN_SINK (as compiled by wasmtime 50's wat2wasm)
GOLDEN = {
    "sections": [(10, 35, 25, 5), (37, 82, 45, 4), (84, 88, 4, 3), (90, 93, 3, 1),
                 (95, 113, 18, 2), (115, 132, 17, 3), (134, 135, 1, None), (137, 157, 20, 3),
                 (159, 188, 29, 3), (190, 226, 36, 3), (228, 293, 65, None)],
    "functions": {1: 15, 2: 3, 3: 7},
    "data": {0: 5, 1: 3, 2: 12},
}


@pytest.fixture(scope="module")
def sink() -> bytes:
    return wat(KITCHEN_SINK)


def test_kitchen_sink_matches_objdump(sink: bytes, wasm_objdump: str, tmp_path) -> None:
    path = tmp_path / "sink.wasm"
    path.write_bytes(sink)
    expected = objdump_facts(str(path), wasm_objdump)
    assert len(expected["sections"]) >= 10
    assert reader_facts(sink) == expected


def test_kitchen_sink_golden(sink: bytes) -> None:
    assert reader_facts(sink) == GOLDEN
