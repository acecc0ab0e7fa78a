"""Size views: rows add up exactly to their container, overhead rows are explicit."""

from __future__ import annotations

import pytest

from tests.cmodules import c_modules, parse
from tests.wat import wat
from workbench.core.size.breakdown import VIEWS, by_data, by_function, by_section, view
from workbench.core.wasm import parse_module

DATA_WAT = """(module
  (memory 1)
  (data (i32.const 0) "hello")
  (data (i32.const 100) "a much longer segment of bytes .............................")
  (data "passive one")
  (func (export "f") (result i32) i32.const 1))"""


def test_section_view_adds_up_to_file() -> None:
    module = parse(c_modules()["dwarf4"])
    v = by_section(module)
    assert v.total == module.size == sum(r.size for r in v.rows)
    overhead = {r.name: r.size for r in v.rows if r.kind == "overhead"}
    assert overhead["header (magic + version)"] == 8
    items = {r.name: r.size for r in v.rows if r.kind == "item"}
    assert items["code"] == module.section("code").size
    sizes = [r.size for r in v.rows if r.kind == "item"]
    assert sizes == sorted(sizes, reverse=True)


def test_function_view_adds_up_to_code_payload() -> None:
    module = parse(c_modules()["dwarf4"])
    v = by_function(module)
    assert v.total == module.section("code").size == sum(r.size for r in v.rows)
    assert {r.name: r.size for r in v.rows if r.kind == "item"} == {
        f.name: f.size for f in module.functions}
    overhead = {r.name: r.size for r in v.rows if r.kind == "overhead"}
    assert overhead["function count LEB"] == 1
    assert overhead["body size LEBs"] == len(module.functions) * 1 + sum(
        f.disk_size - f.size - 1 for f in module.functions)


def test_data_view_adds_up_to_data_payload() -> None:
    module = parse_module(wat(DATA_WAT))
    v = by_data(module)
    assert v.total == module.section("data").size == sum(r.size for r in v.rows)
    items = [r for r in v.rows if r.kind == "item"]
    assert [r.size for r in items] == [60, 11, 5]
    assert v.rows[-1].name == "segment count LEB" and v.rows[-1].size == 1


def test_views_without_code_or_data() -> None:
    module = parse_module(wat("(module)"))
    assert by_function(module).rows == () and by_function(module).total == 0
    assert by_data(module).note == "no data section"
    assert by_section(module).total == 8 == sum(r.size for r in by_section(module).rows)


@pytest.mark.parametrize("by", VIEWS)
def test_every_view_has_json(by: str) -> None:
    module = parse(c_modules()["partial"])
    doc = view(module, by).to_json()
    assert doc["by"] == by and sum(r["size"] for r in doc["rows"]) == doc["total"]
