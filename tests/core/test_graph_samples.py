"""The shipped samples (C, Zig, WAT builds): CHK dominators equal the fixpoint oracle,
the fast scanner equals the reference decoder, and size-problem's sine table shows up
as a symbol of its own in the data view and the retained view."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from tests.core.test_callgraph import _check_against_oracle, _check_scanner
from workbench.config.module import load_module
from workbench.core.build.builder import build_module
from workbench.core.size.breakdown import by_data, view
from workbench.core.size.dwarf.variables import data_symbols
from workbench.core.wasm import parse_module

SAMPLES = Path(__file__).resolve().parents[2] / "sample_modules"
NAMES = ("size-problem", "json-api-c", "geo-ab-zig", "hello-wat")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    if importlib.util.find_spec("ziglang") is None:
        pytest.skip("ziglang not installed: the C and Zig samples cannot build")
    root = tmp_path_factory.mktemp("graph-samples")
    out = {}
    for name in NAMES:
        dest = root / name
        shutil.copytree(SAMPLES / name, dest, ignore=shutil.ignore_patterns("build"))
        result = build_module(load_module(dest))
        assert result.ok, result.output
        out[name] = Path(result.wasm_path).read_bytes()
    return out


@pytest.mark.parametrize("name", NAMES)
def test_sample_graph_matches_the_oracle(built: dict[str, bytes], name: str) -> None:
    module = parse_module(built[name])
    _check_against_oracle(module)
    _check_scanner(module)


def test_sine_table_is_a_symbol_of_its_own(built: dict[str, bytes]) -> None:
    module = parse_module(built["size-problem"])
    symbols = data_symbols(module)
    table = next(s for s in symbols if s.name == "SIN_TABLE")
    assert table.label == "SIN_TABLE (sin_table.h:3)"
    assert table.size == 3600 * 8
    v = view(module, "data")
    assert v.rows[0].name == "SIN_TABLE (sin_table.h:3)" and v.rows[0].size == 28_800
    assert sum(r.size for r in v.rows) == module.section("data").size
    plain = by_data(module)  # without symbols: one row per segment
    assert plain.rows[0].name == ".rodata"
    assert sum(r.size for r in plain.rows) == v.total


def test_sine_table_is_kept_by_the_function_that_names_it(built: dict[str, bytes]) -> None:
    from tests.core.graph_oracle import fixpoint
    from workbench.core.size.paths import paths
    from workbench.core.size.retained import analyze

    module = parse_module(built["size-problem"])
    a = analyze(module, data_symbols=True)
    assert sum(a.graph.sizes) == module.size
    idom, retained = fixpoint(a.graph.succ, a.graph.sizes)
    assert list(a.dominance.idom) == idom and list(a.dominance.retained) == retained
    (item,) = paths(a, "SIN_TABLE")
    assert item.size == item.retained == 28_800
    assert item.kept_by == ("table_sin",)
    assert item.path[-2:] == ("table_sin", "SIN_TABLE (sin_table.h:3)")
