"""Budgets: each limit's actual vs max, over only when strictly greater."""

from __future__ import annotations

from tests.wat import wat
from workbench.core.size.budget import Budget, check_budget
from workbench.core.size.strip import gzip_size
from workbench.core.wasm import parse_module

MODULE = parse_module(wat('(module (func (export "f") (result i32) i32.const 42))'))


def test_empty_budget_has_no_lines() -> None:
    report = check_budget(MODULE, Budget())
    assert report.lines == () and report.ok


def test_exact_limit_is_not_over() -> None:
    report = check_budget(MODULE, Budget(max_bytes=MODULE.size))
    assert report.ok and report.lines[0].headroom == 0


def test_each_limit_reported() -> None:
    code = MODULE.section("code").size
    gz = gzip_size(bytes(MODULE.data))
    budget = Budget(max_bytes=MODULE.size - 1, max_gzip_bytes=gz + 10,
                    sections={"code": code - 1, "data": 0})
    report = check_budget(MODULE, budget, name="m")
    lines = {line.limit: line for line in report.lines}
    assert lines["max_bytes"].over and lines["max_bytes"].actual == MODULE.size
    assert not lines["max_gzip_bytes"].over and lines["max_gzip_bytes"].actual == gz
    assert lines["section:code"].over and lines["section:code"].headroom == -1
    assert not lines["section:data"].over and lines["section:data"].actual == 0
    assert not report.ok and len(report.over) == 2
    doc = report.to_json()
    assert doc["ok"] is False and doc["name"] == "m"
    assert [x["limit"] for x in doc["limits"] if x["over"]] == ["max_bytes", "section:code"]


def test_given_gzip_size_is_used() -> None:
    report = check_budget(MODULE, Budget(max_gzip_bytes=100), gzip_size=101)
    assert report.lines[0].actual == 101 and not report.ok
