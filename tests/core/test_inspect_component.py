"""Component binaries: reported as components with each embedded core module parsed."""

from __future__ import annotations

from tests.core.test_wasm_reader import custom, leb, section
from tests.wat import wat
from workbench.core.size.breakdown import view
from workbench.core.size.inspect import inspect_bytes
from workbench.core.wasm import parse_module

COMPONENT_HEADER = b"\x00asm\x0d\x00\x01\x00"
CORE_A = wat('(module (func (export "f") (result i32) i32.const 42) (memory (export "mem") 1)'
             ' (data (i32.const 0) "hello"))')
CORE_B = wat('(module (import "env" "log" (func (param i32))) (func (export "g") nop))')


def _component(core_b: bytes = CORE_B) -> bytes:
    nested = COMPONENT_HEADER + section(1, core_b)
    return (COMPONENT_HEADER + section(1, CORE_A) + custom("note", b"x")
            + section(4, nested) + section(11, leb(0)))


def test_core_modules_are_parsed_and_reported() -> None:
    report = inspect_bytes(_component(), "c.wasm")
    assert report.ok and report.kind == "component"
    a, b = report.core_modules
    core_a = parse_module(CORE_A)
    assert (a.index, a.depth, a.size, a.functions) == (0, 0, len(CORE_A), 1)
    assert a.code_size == core_a.section("code").size
    assert a.data_size == core_a.section("data").size
    assert [e.name for e in a.exports] == ["f", "mem"]
    assert (b.index, b.depth, b.functions) == (1, 1, 1)
    assert [(i.module, i.name, i.type) for i in b.imports] == [("env", "log", "(i32) -> ()")]
    assert report.warnings == ()


def test_components_json_keeps_the_reference_keys_and_adds_the_summary() -> None:
    data = _component()
    doc = inspect_bytes(data, "c.wasm").to_json()
    assert doc["kind"] == "component" and doc["functions"] == []
    first, second = doc["components"]
    assert data[first["start"]:first["start"] + first["size"]] == CORE_A
    assert data[second["start"]:second["start"] + second["size"]] == CORE_B
    assert first["exports"] == [{"name": "f", "kind": "func", "type": "() -> i32"},
                                {"name": "mem", "kind": "memory", "type": "memory 1..∞ pages"}]
    assert (first["depth"], second["depth"], second["functions"]) == (0, 1, 1)
    assert first["error"] is None


def test_a_damaged_core_module_is_a_warning_with_its_absolute_offset() -> None:
    broken = CORE_B[:-2]  # the last section now runs past the end of the core module
    data = _component(broken)
    report = inspect_bytes(data, "c.wasm")
    assert report.ok  # the component itself is readable
    _a, b = report.core_modules
    assert b.functions is None and b.error is not None
    assert b.start <= b.error["offset"] <= b.start + b.size
    assert len(report.warnings) == 1 and "core module 1" in report.warnings[0]


def test_size_views_of_a_component() -> None:
    module = parse_module(_component())
    sections = view(module, "section")
    assert sum(r.size for r in sections.rows) == module.size
    for by in ("function", "data", "source"):
        v = view(module, by)
        assert v.rows == () and v.total == 0
        assert v.note is not None and "component" in v.note
