"""InspectReport: figures, JSON schema, gzip sizes, errors as values."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import zlib

import pytest

from tests.core.test_wasm_reader import SIGS
from tests.wat import wat
from workbench.core.size.inspect import (
    gzip_estimate,
    gzip_size,
    inspect_bytes,
    inspect_file,
    inspect_json,
    inspect_module,
)
from workbench.core.wasm import parse_module

EDGE = wat("""
(module
  (import "edge" "log" (func (param i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) i32.const 1024)
  (func $big (export "handle") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add local.get 0 i32.mul i32.const 3 i32.shl)
  (data (i32.const 64) "HTTP/1.1 200 OK"))
""")

KEYS = {"file", "size", "kind", "sections", "functions", "data_segments", "imports",
        "exports", "gzip_size", "gzip_exact", "abi", "error"}


def test_report_figures() -> None:
    r = inspect_bytes(EDGE, "edge.wasm")
    assert r.ok and r.kind == "module" and r.size == len(EDGE)
    assert r.gzip_size == len(zlib.compress(EDGE, 9, wbits=31)) and r.gzip_exact
    assert [f.name for f in r.top_functions()] == ["big", "alloc"]
    assert [f.name for f in r.top_functions(1)] == ["big"]
    assert r.data_total() == len("HTTP/1.1 200 OK")
    total = r.percent(8) + sum(r.percent(s.disk_size) for s in r.sections)
    assert total == pytest.approx(100.0)
    assert r.abi is not None and r.abi["name"] == "edge"


def test_json_schema_and_fast_dumps_agree() -> None:
    r = inspect_bytes(EDGE, "edge.wasm")
    doc = r.to_json()
    assert KEYS <= set(doc)
    assert doc["error"] is None
    code = next(s for s in doc["sections"] if s["name"] == "code")
    assert code["end"] - code["start"] == code["size"] and code["count"] == 2
    assert doc["functions"][1] == {"index": 2, "name": "big", "start": r.functions[1].start,
                                   "size": r.functions[1].size}
    assert doc["exports"][2] == {"name": "handle", "kind": "func", "type": "(i32, i32) -> i32"}
    assert doc["imports"][0]["type"] == "(i32, i32, i32) -> ()"
    assert json.loads(r.dumps()) == doc
    assert "\n" not in r.dumps()


def test_inspect_json_line_matches_report(tmp_path) -> None:
    path = tmp_path / "sigs.wasm"
    path.write_bytes(SIGS)
    line, ok = inspect_json(path)
    assert ok and json.loads(line) == inspect_file(path).to_json()


def test_missing_file_is_an_io_error(tmp_path) -> None:
    line, ok = inspect_json(tmp_path / "nope.wasm")
    doc = json.loads(line)
    assert not ok and doc["error"]["kind"] == "io" and "nope.wasm" in doc["error"]["message"]
    assert not inspect_file(tmp_path / "nope.wasm").ok


def test_malformed_file_is_reported_with_offset() -> None:
    r = inspect_bytes(SIGS[:40], "cut.wasm")
    assert not r.ok and r.error["kind"] == "malformed" and r.error["offset"] <= 40
    assert r.gzip_size == gzip_size(SIGS[:40]) and r.sections == ()
    assert r.to_json()["error"] == r.error


def test_inspect_module_reuses_a_parsed_module() -> None:
    m = parse_module(EDGE)
    r = inspect_module(m, file="x.wasm")
    assert r.module is m and r.file == "x.wasm" and r.functions == m.functions


@pytest.mark.skipif(shutil.which("gzip") is None, reason="gzip not installed")
def test_gzip_size_equals_gzip_minus_9(tmp_path) -> None:
    path = tmp_path / "m.wasm"
    path.write_bytes(SIGS)
    out = subprocess.run(["gzip", "-9", "-n", "-c", str(path)], capture_output=True, check=True)
    assert gzip_size(SIGS) == len(out.stdout)


def test_gzip_estimate_is_close_for_large_inputs() -> None:
    rng = random.Random(3)
    words = [bytes(rng.randrange(256) for _ in range(rng.randint(3, 12))) for _ in range(400)]
    data = b"".join(rng.choice(words) for _ in range(400_000))[:2_500_000]
    exact = gzip_size(data)
    assert abs(gzip_estimate(data) - exact) / exact < 0.08
    assert gzip_estimate(SIGS) == gzip_size(SIGS)  # small inputs: exact


def test_fast_dumps_escapes_odd_names() -> None:
    from tests.core.test_wasm_reader import custom, leb, section, vec_name

    odd = ['a"b', "back\\slash", "tab\there", "ünï", "ctl\x01"]
    fnames = leb(len(odd)) + b"".join(leb(i) + vec_name(n) for i, n in enumerate(odd))
    data = wat("(module" + " (func)" * len(odd) + ")") + custom("name", section(1, fnames))
    r = inspect_bytes(data, 'we"ird.wasm')
    assert [f.name for f in r.functions] == odd
    assert json.loads(r.dumps()) == r.to_json()


def test_inspect_json_extra_keys_from_other_layers(tmp_path) -> None:
    path = tmp_path / "edge.wasm"
    path.write_bytes(EDGE)
    line, ok = inspect_json(path, extra=lambda m: {"sources": None, "nfuncs": len(m.functions)})
    doc = json.loads(line)
    assert ok and doc["sources"] is None and doc["nfuncs"] == 2 and doc["size"] == len(EDGE)
