"""Grouping names for the `monos` and `crate` views (pure string functions)."""

from __future__ import annotations

import pytest

from tests.wat import wat
from workbench.core.size.crates import by_crate, crate_of
from workbench.core.size.monos import monomorphizations, strip_generics
from workbench.core.wasm import parse_module


@pytest.mark.parametrize(("name", "crate"), [
    ("core::fmt::write", "core"),
    ("<alloc::vec::Vec<T> as core::ops::drop::Drop>::drop", "alloc"),
    ("<&T as core::fmt::Debug>::fmt", "core"),
    ("<str as serde::Serialize>::serialize", "serde"),
    ("hashbrown::raw::RawTable<T,A>::reserve_rehash", "hashbrown"),
    ("runtime.mallocgc", "runtime"),
    ("github.com/evanw/esbuild/internal/js_parser.(*parser).parseStmt",
     "github.com/evanw/esbuild/internal/js_parser"),
    ("main", None),
    ("func[12]", None),
])
def test_crate_of(name: str, crate: str | None) -> None:
    assert crate_of(name) == crate


@pytest.mark.parametrize(("name", "generic"), [
    ("core::ptr::drop_in_place<alloc::string::String>", "core::ptr::drop_in_place"),
    ("<alloc::vec::Vec<u8> as core::clone::Clone>::clone",
     "<alloc::vec::Vec as core::clone::Clone>::clone"),
    ("std::vector<int, std::allocator<int> >::push_back(int const&)",
     "std::vector::push_back(int const&)"),
    ("plain_function", "plain_function"),
])
def test_strip_generics(name: str, generic: str) -> None:
    assert strip_generics(name) == generic


MONO_WAT = """(module
  (func $a (export "a") call $1 call $2 call $3)
  (func $1 (@name "core::ptr::drop_in_place<u8>") nop nop nop)
  (func $2 (@name "core::ptr::drop_in_place<u16>") nop)
  (func $3 (@name "serde::de::Visitor::visit<i32>") nop))"""


def test_monos_and_crates_on_a_module() -> None:
    module = parse_module(wat(MONO_WAT))
    sizes = {f.name: f.size for f in module.functions}
    monos = monomorphizations(module)
    (group,) = monos.groups
    assert group.generic == "core::ptr::drop_in_place" and group.count == 2
    big, small = sizes["core::ptr::drop_in_place<u8>"], sizes["core::ptr::drop_in_place<u16>"]
    assert group.bloat == small and group.largest == big
    crates = {r.name: r.size for r in by_crate(module).rows}
    assert crates["core"] == big + small and crates["serde"] == sizes[
        "serde::de::Visitor::visit<i32>"]
    assert sum(crates.values()) == module.size
