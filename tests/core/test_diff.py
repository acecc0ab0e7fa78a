"""Build-to-build diffs: matching by name, Rust hashes ignored, duplicates, sorting."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.cmodules import c_modules, parse
from tests.wat import wat
from workbench.core.size.diff import diff_modules, diff_sizes, match_key
from workbench.core.size.dwarf.attribute import attribute
from workbench.core.wasm import parse_module


def _module(funcs: list[tuple[str, int]]):  # noqa: ANN202
    """A module whose functions have these names and roughly these many i32.const pairs."""
    body = []
    for name, n in funcs:
        ops = " ".join(["i32.const 1 drop"] * n)
        body.append(f'(func ${name} {ops})')
    return parse_module(wat("(module " + " ".join(body) + ")"))


def test_diff_sizes_statuses_and_order() -> None:
    rows = diff_sizes({"a": 10, "b": 5, "c": 7}, {"a": 12, "c": 7, "d": 30})
    assert [(r.name, r.delta, r.status) for r in rows] == [
        ("d", 30, "added"), ("b", -5, "removed"), ("a", 2, "changed"), ("c", 0, "same")]


@pytest.mark.parametrize("old,new", [
    ("core::fmt::write::h0123456789abcdef", "core::fmt::write::hfedcba9876543210"),
    ("_ZN4core3fmt5write17h0123456789abcdefE", "_ZN4core3fmt5write17hfedcba9876543210E"),
])
def test_rust_hash_suffix_ignored(old: str, new: str) -> None:
    assert match_key(old) == match_key(new)
    diff = diff_modules(_module([(old, 2), ("keep", 1)]), _module([(new, 5), ("keep", 1)]))
    changed = [r for r in diff.functions if r.status != "same"]
    assert len(changed) == 1 and changed[0].status == "changed"
    assert changed[0].delta == 3 * 3  # three more `i32.const 1 drop` (3 bytes each)


def _renamed(module, name: str):  # noqa: ANN001, ANN202
    """Same module with every function called `name` (WAT forbids duplicate ids)."""
    return replace(module, functions=tuple(f._replace(name=name) for f in module.functions))


def test_duplicate_names_pair_in_order() -> None:
    old = _renamed(_module([("d1", 1), ("d2", 2)]), "dup")
    new = _renamed(_module([("d1", 1), ("d2", 4), ("d3", 1)]), "dup")
    rows = {r.name: r for r in diff_modules(old, new).functions}
    assert rows["dup"].status == "same"
    assert rows["dup #2"].delta == 6
    assert rows["dup #3"].status == "added"


def test_c_build_diff_per_section_function_source() -> None:
    mods = c_modules()
    old, new = parse(mods["dwarf4"]), parse(mods["dwarf4_v2"])
    diff = diff_modules(old, new, attribute(old), attribute(new))
    funcs = {r.name: r for r in diff.functions}
    fourth = {f.name: f.size for f in new.functions}["fourth"]
    assert funcs["fourth"].status == "added" and funcs["fourth"].delta == fourth
    assert funcs["helper"].status == "same"
    sections = {r.name: r for r in diff.sections}
    assert sections["code"].delta == new.section("code").size - old.section("code").size > 0
    assert diff.sources is not None
    sources = {r.name: r for r in diff.sources}
    assert sources["b.c"].delta == fourth and sources["a.c"].delta == 0
    doc = diff.to_json()
    assert doc["total"]["delta"] == new.size - old.size
    deltas = [abs(r["delta"]) for r in doc["functions"]]
    assert deltas == sorted(deltas, reverse=True)


def test_no_source_diff_without_dwarf() -> None:
    mods = c_modules()
    old, new = parse(mods["nodwarf"]), parse(mods["dwarf4"])
    diff = diff_modules(old, new, attribute(old), attribute(new))
    assert diff.sources is None and diff.note and "old build has no DWARF" in diff.note
    assert diff.to_json()["sources"] is None


def test_unnamed_functions_are_grouped_not_matched_by_index() -> None:
    # no name section, nothing exported: every function is only "func[N]"
    old = parse_module(wat("(module (func nop) (func i32.const 1 drop))"))
    new = parse_module(wat("(module (func i32.const 1 drop) (func nop) (func nop))"))
    diff = diff_modules(old, new)
    rows = {r.name: r for r in diff.functions}
    assert set(rows) == {"(functions without a name)"}
    row = rows["(functions without a name)"]
    assert (row.old, row.new) == (sum(f.size for f in old.functions),
                                  sum(f.size for f in new.functions))
    assert diff.functions_note is not None and "2 old and 3 new" in diff.functions_note
    named = diff_modules(_module([("a", 1)]), _module([("a", 2)]))
    assert named.functions_note is None


def test_section_deltas_plus_header_delta_add_up_to_the_total() -> None:
    old = _module([("a", 1)])
    new = _module([("a", 1), ("b", 70)])  # code payload passes 127 bytes: a 2-byte size LEB
    diff = diff_modules(old, new)
    assert diff.header_delta != 0
    assert sum(r.delta for r in diff.sections) + diff.header_delta == diff.delta
    doc = diff.to_json()
    assert doc["section_headers"]["delta"] == diff.header_delta
    assert doc["total"]["delta"] == new.size - old.size
