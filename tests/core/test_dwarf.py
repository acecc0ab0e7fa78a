"""DWARF attribution on real clang/wasm-ld output (compiled once per session)."""

from __future__ import annotations

import threading

import pytest

from tests.cmodules import c_modules, parse
from workbench.core.size.breakdown import by_source
from workbench.core.size.dwarf.attribute import Cancelled, attribute
from workbench.core.size.dwarf.result import UNATTRIBUTED


@pytest.fixture(scope="session")
def mods() -> dict[str, bytes]:
    return c_modules()


def _code_size(module) -> int:  # noqa: ANN001
    return module.section("code").size


@pytest.mark.parametrize("variant,version", [("dwarf4", 4), ("dwarf5", 5)])
def test_attributes_files_and_functions(mods: dict[str, bytes], variant: str,
                                        version: int) -> None:
    module = parse(mods[variant])
    attr = attribute(module)
    assert attr.status == "ok" and attr.warning is None
    assert {u.name for u in attr.units} == {"a.c", "b.c"}
    assert {u.version for u in attr.units} == {version}
    by_file = {f.file: {fn.name for fn in f.functions} for f in attr.files}
    assert by_file == {"a.c": {"helper", "entry"}, "b.c": {"other", "third"}}
    # Per-function DWARF size == body size of the same function by name.
    bodies = {f.name: f.size for f in module.functions}
    by_index = {f.index: f.name for f in module.functions}
    for file in attr.files:
        for fn in file.functions:
            assert fn.size == bodies[fn.name], fn.name
            assert by_index[fn.index] == fn.name
    # Exact total: files + unattributed == code payload; the rest is only LEB overhead.
    assert sum(r.size for r in attr.rows()) == _code_size(module)
    lebs = sum(f.disk_size - f.size for f in module.functions) + 1
    assert attr.unattributed == lebs
    assert [r.name for r in attr.unattributed_functions] == [
        "(function count and body size LEBs)"]


def test_json_sources_list(mods: dict[str, bytes]) -> None:
    module = parse(mods["dwarf4"])
    doc = attribute(module).to_json()
    assert isinstance(doc, list)
    assert sum(row["size"] for row in doc) == _code_size(module)
    assert doc[-1]["file"] == UNATTRIBUTED
    assert all({"file", "size", "functions"} <= row.keys() for row in doc)
    names = [fn["name"] for row in doc for fn in row["functions"]]
    assert "helper" in names and "third" in names


def test_inlined_listed_under_caller(mods: dict[str, bytes]) -> None:
    attr = attribute(parse(mods["dwarf4"]))
    funcs = {fn.name: fn for f in attr.files for fn in f.functions}
    helper = funcs["helper"]
    mix = [i for i in helper.inlined if i.name == "mix"]
    assert mix and mix[0].count >= 1
    assert 0 < mix[0].size <= helper.size
    # Inlined bytes are part of the caller's size, never counted again at file level.
    assert sum(f.size for f in attr.files) == sum(fn.size for fn in funcs.values())


def test_dead_code_markers_are_skipped(mods: dict[str, bytes]) -> None:
    """unused_fn is gc'd by wasm-ld: its subprogram keeps low_pc 0xffffffff."""
    module = parse(mods["dwarf4"])
    assert "unused_fn" not in {f.name for f in module.functions}
    attr = attribute(module)
    assert attr.dead_functions >= 1
    names = {fn.dwarf_name for f in attr.files for fn in f.functions}
    assert "unused_fn" not in names


def test_partial_dwarf(mods: dict[str, bytes]) -> None:
    """a.c built with -g, b.c without: b.c's functions land in the unattributed row."""
    module = parse(mods["partial"])
    attr = attribute(module)
    assert attr.status == "ok"
    assert [f.file for f in attr.files] == ["a.c"]
    unattributed = {r.name: r.size for r in attr.unattributed_functions}
    bodies = {f.name: f.size for f in module.functions}
    assert unattributed["other"] == bodies["other"]
    assert unattributed["third"] == bodies["third"]
    assert sum(unattributed.values()) == attr.unattributed
    assert sum(r.size for r in attr.rows()) == _code_size(module)


def test_no_dwarf_falls_back(mods: dict[str, bytes]) -> None:
    module = parse(mods["nodwarf"])
    attr = attribute(module)
    assert attr.status == "absent" and attr.to_json() is None
    assert attr.unattributed == _code_size(module)
    view = by_source(module, attr)
    assert view.note and "no DWARF" in view.note
    assert {r.name for r in view.rows if r.kind == "item"} == {
        "helper", "entry", "other", "third"}
    assert sum(r.size for r in view.rows) == view.total == _code_size(module)


def test_by_source_view_adds_up(mods: dict[str, bytes]) -> None:
    module = parse(mods["partial"])
    view = by_source(module)
    assert [r.kind for r in view.rows] == ["item", "unattributed"]
    assert sum(r.size for r in view.rows) == view.total == _code_size(module)


def test_progress_and_cancel(mods: dict[str, bytes]) -> None:
    module = parse(mods["dwarf5"])
    seen: list[tuple[int, int]] = []
    attribute(module, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) == 2
    assert seen[-1][0] == seen[-1][1] == module.custom(".debug_info").nbytes
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        attribute(module, cancel=cancel)


@pytest.mark.parametrize("variant", ["dwarf4", "dwarf5", "partial"])
def test_fast_scanner_agrees_with_pyelftools(mods: dict[str, bytes], variant: str) -> None:
    from workbench.core.size.dwarf.load import dwarf_sections, load_dwarf
    from workbench.core.size.dwarf.scan import scan
    from workbench.core.size.dwarf.walk import Collected, walk

    module = parse(mods[variant])
    sections = dwarf_sections(module)
    di = load_dwarf(module, sections)
    fast, slow = Collected(), Collected()
    scan(sections, di, fast)
    walk(di, slow)
    assert fast.subprograms and fast.inlines
    assert (fast.units, fast.subprograms, fast.inlines) == (
        slow.units, slow.subprograms, slow.inlines)


def test_fallback_to_pyelftools(mods: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.core.size.dwarf.attribute as dwarf
    from workbench.core.size.dwarf.forms import Unsupported

    module = parse(mods["dwarf5"])
    expected = attribute(module)

    def unsupported(*_args: object, **_kw: object) -> None:
        raise Unsupported("pretend")

    monkeypatch.setattr(dwarf, "scan", unsupported)
    assert attribute(module) == expected
