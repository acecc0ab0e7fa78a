"""Broken DWARF in the data views: `inspect --by data` and the graph views (which split data
segments by DWARF variables) used to raise whatever pyelftools raised (KeyError,
ELFParseError, AssertionError, UnicodeDecodeError: a traceback from the CLI). Now the
variables read before the failure are kept, the rest stays by segment, the view's note
says why, and the rows still add up."""

from __future__ import annotations

import pytest

from tests.cmodules import c_data_module, parse
from tests.core.test_dwarf_broken import replace_custom
from workbench.core.size import retained
from workbench.core.size.breakdown import view
from workbench.core.size.dwarf.variables import read_data_symbols
from workbench.core.size.garbage import garbage


def _content(data: bytes, name: str) -> bytes:
    return bytes(parse(data).custom(name))


def test_intact_dwarf_splits_data_by_variable() -> None:
    module = parse(c_data_module())
    symbols, warning = read_data_symbols(module)
    assert warning is None
    # DWARF 5 locations are DW_OP_addrx indices into .debug_addr: they were not read at
    # all (no variable split); a pointer variable was the size of what it points to (1)
    sizes = {s.name: s.size for s in symbols}
    assert sizes == {"<literal>": 28, "greeting": 4, "table": 64}
    v = view(module, "data")
    assert v.note is None and any(r.name.startswith("table (data.c:1)") for r in v.rows)
    assert sum(r.size for r in v.rows) == v.total == module.section("data").size


def _mangled() -> dict[str, bytes]:
    data = c_data_module()
    info = _content(data, ".debug_info")
    abbrev = _content(data, ".debug_abbrev")
    garbage_info = bytes((b * 37 + 11) & 0xFF for b in info)  # deterministic garbage
    return {
        "abbrev-half": replace_custom(data, ".debug_abbrev", abbrev[:len(abbrev) // 2]),
        "abbrev-missing": replace_custom(data, ".debug_abbrev", None),
        "abbrev-zeros": replace_custom(data, ".debug_abbrev", bytes(len(abbrev))),
        "info-garbage": replace_custom(data, ".debug_info", info[:12] + garbage_info[12:]),
        "info-unit-length": replace_custom(data, ".debug_info", b"\xf0\xff\xff\xff" + info[4:]),
        "info-half": replace_custom(data, ".debug_info", info[:len(info) // 2]),
    }


@pytest.mark.parametrize("how", sorted(_mangled()))
def test_broken_dwarf_data_views_warn_and_add_up(how: str) -> None:
    module = parse(_mangled()[how])
    symbols, warning = read_data_symbols(module)
    assert warning is not None and warning.startswith("DWARF is broken (")
    v = view(module, "data")
    assert v.note is not None and "DWARF is broken" in v.note
    assert sum(r.size for r in v.rows) == v.total == module.section("data").size
    a = retained.analyze(module, data_symbols=True)
    for g in (retained.by_retained(a), retained.dominator_tree(a), garbage(a)):
        assert g.reachable + g.unreachable == g.total == module.size
        assert g.note is not None and "DWARF is broken" in g.note


def test_a_name_that_is_not_utf8_is_shown_replaced() -> None:
    data = c_data_module()
    strs = _content(data, ".debug_str").replace(b"table", b"t\xc3ble")
    module = parse(replace_custom(data, ".debug_str", strs))
    symbols, warning = read_data_symbols(module)
    assert warning is None and "t\ufffdble" in {s.name for s in symbols}
