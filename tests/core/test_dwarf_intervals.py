"""Interval arithmetic of attribution on synthetic ranges (no compiler needed)."""

from __future__ import annotations

import pytest

from tests.wat import wat
from workbench.core.size.dwarf.attribute import _build
from workbench.core.size.dwarf.result import merge, subtract, total
from workbench.core.size.dwarf.walk import Collected, RangeRecord, UnitRecord
from workbench.core.wasm import parse_module

WAT = """(module
  (func $a (result i32) i32.const 1 i32.const 2 i32.add i32.const 3 i32.add)
  (func $b (result i32) i32.const 7 i32.const 9 i32.mul)
  (func $c (result i32) i32.const 42))"""


def test_merge_subtract_total() -> None:
    assert merge([(5, 9), (0, 3), (2, 4), (9, 10)]) == [(0, 4), (5, 10)]
    assert subtract([(0, 20)], [(2, 4), (6, 8), (18, 30)]) == [(0, 2), (4, 6), (8, 18)]
    assert subtract([(0, 5), (10, 15)], [(3, 12)]) == [(0, 3), (12, 15)]
    assert total([(0, 2), (4, 6)]) == 4


def _module():  # noqa: ANN202
    module = parse_module(wat(WAT))
    code = module.section("code")
    spans = {f.name: (f.start - code.start, f.start - code.start + f.size)
             for f in module.functions}
    return module, code.size, spans


def _rec(ranges, name: str, offset: int, file: str = "x.c",  # noqa: ANN001
         inlined_into: int | None = None) -> RangeRecord:
    return RangeRecord(tuple(ranges), name, file, 0, inlined_into, offset)


def test_overlapping_ranges_are_not_double_counted() -> None:
    module, size, spans = _module()
    a, b = spans["a"], spans["b"]
    found = Collected([UnitRecord("x.c", None, None, 4)], [
        _rec([a], "a", 1),
        _rec([(a[0] + 2, b[1])], "a_tail_and_b", 2, "y.c"),  # overlaps a, covers b
    ])
    attr = _build(module, found, "ok", None)
    sizes = {fn.dwarf_name: fn.size for f in attr.files for fn in f.functions}
    assert sizes["a"] == a[1] - a[0]
    assert sizes["a_tail_and_b"] == b[1] - a[1]
    assert sum(r.size for r in attr.rows()) == size
    assert attr.units[0].size == attr.attributed


@pytest.mark.parametrize("lo", [0xFFFFFFFF, 0xFFFFFFFE, 0])
def test_dead_markers_skipped(lo: int) -> None:
    module, size, spans = _module()
    found = Collected([UnitRecord("x.c", None, None, 4)], [
        _rec([spans["c"]], "c", 1), _rec([(lo, lo + 5)], "dead", 2)])
    attr = _build(module, found, "ok", None)
    assert attr.dead_functions == 1
    assert [fn.name for f in attr.files for fn in f.functions] == ["c"]
    rest = {r.name: r.size for r in attr.unattributed_functions}
    assert rest["a"] == spans["a"][1] - spans["a"][0]
    assert sum(rest.values()) == attr.unattributed == size - (spans["c"][1] - spans["c"][0])


def test_ranges_past_the_end_warn_and_clip() -> None:
    module, size, spans = _module()
    found = Collected([UnitRecord("x.c", None, None, 4)], [
        _rec([(spans["c"][0], size + 100)], "c", 1), _rec([(size + 5, size + 9)], "z", 2)])
    attr = _build(module, found, "ok", None)
    assert attr.warning and "past the end" in attr.warning
    assert sum(r.size for r in attr.rows()) == size


def test_inlines_grouped_by_name_with_union() -> None:
    module, _size, spans = _module()
    lo, _hi = spans["a"]
    found = Collected([UnitRecord("x.c", None, None, 4)], [_rec([spans["a"]], "a", 1)],
                      [_rec([(lo + 1, lo + 3)], "sq", 10, inlined_into=1),
                       _rec([(lo + 2, lo + 5)], "sq", 11, inlined_into=1),
                       _rec([(lo + 6, lo + 7)], "cube", 12, inlined_into=1)])
    attr = _build(module, found, "ok", None)
    (fn,) = attr.files[0].functions
    assert [(i.name, i.size, i.count) for i in fn.inlined] == [("sq", 4, 2), ("cube", 1, 1)]


def test_stale_dwarf_warns() -> None:
    """Ranges that start inside bodies (not at a body start) suggest rewritten code."""
    module, size, spans = _module()
    found = Collected([UnitRecord("x.c", None, None, 4)], [
        _rec([(spans["a"][0] + 1, spans["a"][1])], "a", 1),
        _rec([(spans["b"][0] + 1, spans["b"][1])], "b", 2)])
    attr = _build(module, found, "ok", None)
    assert attr.status == "ok" and attr.warning and "stale" in attr.warning
    assert [fn.index for f in attr.files for fn in f.functions] == [None, None]
    assert sum(r.size for r in attr.rows()) == size
