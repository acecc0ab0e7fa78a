"""sample_modules/hello-rust, built by whichever rustc has the wasm32 std: it builds, its
saved requests pass, and the size views have a real subject (monomorphizations of its
own generics, its two local crates, DWARF pointing at its .rs files), each adding up to
the file size. Skipped, with what to install, when no rustc here has the target."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from workbench.config.module import load_module
from workbench.core.build.toolchains import rust
from workbench.core.errors import ToolchainMissing

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_modules" / "hello-rust"


def _toolchain() -> str | None:
    try:
        return rust.find_rust("wasm32-freestanding", SAMPLE).describe()
    except ToolchainMissing as exc:
        return f"{exc.message}; {exc.hint}"


FOUND = _toolchain()
pytestmark = pytest.mark.skipif(FOUND is None or FOUND.startswith("no Rust"),
                                reason=f"no wasm32 Rust here: {FOUND}")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.core.build.builder import build_module

    dest = tmp_path_factory.mktemp("rust") / "hello-rust"
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("build", "target"))
    result = build_module(load_module(dest))
    assert result.ok, result.output
    assert result.wasm_path is not None
    notes = [d.message for d in result.diagnostics if d.severity == "note"]
    assert notes[0].startswith("using rustc ") and "wasm32-unknown-unknown" in notes[0]
    assert result.command.startswith("RUSTC=")
    return result.wasm_path


def _inspect(wasm: Path, by: str) -> dict[str, Any]:
    """`workbench inspect --by BY --json` as a user runs it (a fresh interpreter)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "workbench", "inspect", str(wasm), "--by",
                           by, "--json"], capture_output=True, text=True, env=env, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["size"] == wasm.stat().st_size
    return doc


def test_builds_an_edge_module_with_dwarf_and_names(built: Path) -> None:
    from workbench.core.abi.detect import detect_abi
    from workbench.core.wasm import parse_module

    module = parse_module(built.read_bytes())
    assert detect_abi(module).name == "edge"
    assert module.custom(".debug_info") is not None and module.custom("name") is not None
    assert {e.name for e in module.exports} >= {"memory", "alloc", "handle"}
    assert [(i.module, i.name) for i in module.imports] == [("edge", "log")]


def test_saved_requests_pass(built: Path) -> None:
    from workbench.core.hooks.rules import load_hooks
    from workbench.core.requests.files import load_requests
    from workbench.core.requests.replay import replay
    from workbench.core.runtime.harness import Harness

    cfg = load_module(SAMPLE)
    assert cfg.requests is not None and cfg.hooks is not None
    entries = load_requests(cfg.requests, {})
    report = replay(entries, Harness(built, limits=cfg.limits, name=cfg.name),
                    hooks=load_hooks(cfg.hooks), store=None, module=cfg.name, save=False)
    failures = [(e.entry.name, [a.to_json() for a in e.failures], e.error)
                for e in report.entries if not e.passed]
    assert not failures
    assert len(report.entries) == len(entries) >= 16


def test_monos_groups_the_samples_own_generics(built: Path) -> None:
    view = _inspect(built, "monos")["view"]
    groups = {g["generic"]: g for g in view["groups"]}
    stats = groups["<hello_rust::stats::Stats>::parse"]
    assert stats["count"] == 3
    assert sorted(stats["members"]) == [f"<hello_rust::stats::Stats<{t}>>::parse"
                                        for t in ("i64", "u32", "u8")]
    assert stats["bloat"] == stats["size"] - stats["largest"] > 0
    assert groups["<tiny_json::Object>::field"]["count"] >= 4
    in_groups = sum(g["size"] for g in view["groups"])
    assert in_groups + view["other_functions"] + view["outside"] == view["total"]


def test_crate_view_names_both_local_crates(built: Path) -> None:
    view = _inspect(built, "crate")["view"]
    rows = {r["name"]: r for r in view["rows"]}
    assert {"hello_rust", "tiny_json", "edge_kit", "core", "alloc"} <= set(rows)
    assert rows["src/lib.rs"]["functions"] == 1  # `handle` (no_mangle): DWARF names it
    assert sum(r["size"] for r in view["rows"]) == view["total"]


def test_dwarf_attributes_code_to_the_samples_files(built: Path) -> None:
    doc = _inspect(built, "source")
    files = {s["name"]: s["size"] for s in doc["view"]["rows"]}
    for name in ("src/lib.rs", "src/stats.rs", "crates/tiny-json/src/lib.rs",
                 "crates/edge-kit/src/lib.rs"):
        assert files.get(name, 0) > 0, name
    code = next(s for s in doc["sections"] if s["name"] == "code")
    assert sum(files.values()) == code["size"]


@pytest.mark.parametrize("by", ["retained", "dominators", "garbage"])
def test_graph_views_add_up(built: Path, by: str) -> None:
    view = _inspect(built, by)["view"]
    assert view["reachable"] + view["unreachable"] == view["total"] == built.stat().st_size


def test_dominators_equal_the_fixpoint_oracle(built: Path) -> None:
    from tests.core.test_callgraph import _check_against_oracle, _check_scanner
    from workbench.core.wasm import parse_module

    module = parse_module(built.read_bytes())
    _check_against_oracle(module)
    _check_scanner(module)
