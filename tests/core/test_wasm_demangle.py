"""Demangling of name-section names: Rust legacy and v0, basic Itanium C++."""

from __future__ import annotations

import pytest

from workbench.core.wasm.demangle import demangle

ESCAPED = "_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$core..ops..drop..Drop$GT$"


@pytest.mark.parametrize("mangled, expected", [
    ("_ZN4core3fmt5write17h0123456789abcdefE", "core::fmt::write"),
    ("_ZN4demo6handle17h2b2d5c7f9e8a1b3cE.llvm.1234", "demo::handle"),
    (f"_ZN{len(ESCAPED)}{ESCAPED}4drop17h0123456789abcdefE",
     "<alloc::vec::Vec<T> as core::ops::drop::Drop>::drop"),
    ("_ZN3std2io5stdio6_print17h0123456789abcdefE", "std::io::stdio::_print"),
    ("_RNvCs1234_7mycrate4main", "mycrate::main"),
    ("_RNvMNtCs1234_5alloc3vecINtB2_3VecpE4push", "<alloc::vec::Vec<_>>::push"),
    ("_RNCNvCs1234_7mycrate4main0", "mycrate::main::{closure}"),
    ("_RINvCs1234_7mycrate4funcKj2a_Kb0_E", "mycrate::func<42, false>"),
    ("_Z3fooiPKc", "foo(int, char const*)"),
    ("_Z4mainv", "main()"),
    ("_ZN3foo3BarC2Ev", "foo::Bar::Bar()"),
    ("_ZN3foo3BarD1Ev", "foo::Bar::~Bar()"),
    ("_ZNSt3__16vectorIiNS_9allocatorIiEEE9push_backERKi",
     "std::__1::vector<int, std::__1::allocator<int>>::push_back(int const&)"),
    ("_ZN2ns5parseERKNS_6ConfigE", "ns::parse(ns::Config const&)"),
    ("__Z3barf", "bar(float)"),
])
def test_demangle(mangled: str, expected: str) -> None:
    assert demangle(mangled) == expected


@pytest.mark.parametrize("name", [
    "main", "handle", "func[3]", "_ZN", "_ZN3fooE_trailing", "_R", "_RNvC", "_Zx",
    "_ZN4core3fmt5write17h0123456789abcdeE",  # hash one digit short: not Rust, bad C++
])
def test_unmangled_or_broken_names_are_returned_unchanged(name: str) -> None:
    assert demangle(name) == name
