"""Every sample module builds, has the edge/WAGI ABI it claims, and passes its saved requests.

Each sample is built once per session (a session fixture into a temporary copy, so the
test never writes into the repository's build folders), then its requests/ are replayed
through the real harness with the module's hooks. Nothing here skips.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.config.module import load_module
from workbench.config.workspace import load_workspace
from workbench.core.build.builder import BuildResult, build_module

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_modules"
WORKSPACE = load_workspace([SAMPLES])
# Listed (optional_modules) when their tools are installed, and tested on their own: the
# componentize-py component is no edge/WAGI core module and takes ~20 s to build.
ELSEWHERE = {"hello-wasi-http-py": "tests/core/runtime/test_component_py.py"}
MODULES = [m for m in WORKSPACE.modules if m.name not in ELSEWHERE]
NAMES = [m.name for m in MODULES]
REQUIRED = {"hello-wat", "json-api-c", "geo-ab-zig", "kv-counter-c", "wagi-c", "size-problem"}


@pytest.fixture(scope="session")
def built_samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildResult]:
    """Copy the samples (without build outputs) and build each one once."""
    root = tmp_path_factory.mktemp("samples")
    results: dict[str, BuildResult] = {}
    for cfg in MODULES:
        dest = root / cfg.root.name
        shutil.copytree(cfg.root, dest, ignore=shutil.ignore_patterns("build"))
        results[cfg.name] = build_module(load_module(dest))
    return results


def test_workspace_lists_every_required_sample() -> None:
    assert REQUIRED <= set(NAMES)
    for cfg in MODULES:
        assert (cfg.root / "README.md").is_file(), cfg.name
        assert cfg.config_file is not None, f"{cfg.name} has no module.toml"
        assert cfg.hooks is not None and cfg.hooks.is_file(), f"{cfg.name} has no hooks.toml"
        assert cfg.requests is not None and any(cfg.requests.glob("*.hurl")), cfg.name


@pytest.mark.parametrize("name", NAMES)
def test_sample_builds(built_samples: dict[str, BuildResult], name: str) -> None:
    result = built_samples[name]
    assert result.ok, f"{name} failed to build:\n{result.output}"
    assert result.errors == ()
    assert result.wasm_path is not None and result.wasm_path.is_file()
    assert result.size == result.wasm_path.stat().st_size > 8


@pytest.mark.parametrize("name", NAMES)
def test_sample_abi(built_samples: dict[str, BuildResult], name: str) -> None:
    from workbench.core.runtime.harness import Harness

    cfg = WORKSPACE.module(name)
    assert cfg is not None
    result = built_samples[name]
    assert result.wasm_path is not None
    report = Harness(result.wasm_path).abi
    expected = "wagi" if cfg.abi == "wagi" else "edge"
    assert report.name == expected, report.problems


@pytest.mark.parametrize("name", NAMES)
def test_sample_requests_replay(built_samples: dict[str, BuildResult], name: str) -> None:
    from workbench.core.hooks.rules import load_hooks
    from workbench.core.requests.files import load_requests
    from workbench.core.requests.replay import replay
    from workbench.core.runtime.harness import Harness

    cfg = WORKSPACE.module(name)
    assert cfg is not None and cfg.requests is not None
    result = built_samples[name]
    assert result.wasm_path is not None
    entries = load_requests(cfg.requests, WORKSPACE.variables)
    assert entries, f"{name}: no saved requests"
    hooks = load_hooks(cfg.hooks) if cfg.hooks else None
    harness = Harness(result.wasm_path, limits=cfg.limits, name=name)
    report = replay(entries, harness, hooks=hooks, store=None, module=name, save=False)
    failures = [f"{e.entry.name}: {[a.to_json() for a in e.failures]} error={e.error}"
                for e in report.entries if not e.passed]
    assert not failures, f"{name}: " + "\n".join(failures)
    assert len(report.entries) == len(entries)


def test_edge_h_copies_are_identical() -> None:
    """Each C sample carries its own edge.h (copyable alone); a fix must reach all three."""
    copies = sorted(SAMPLES.glob("*/edge.h"))
    assert len(copies) >= 3
    assert len({c.read_bytes() for c in copies}) == 1, [str(c) for c in copies]


@pytest.mark.parametrize("name", NAMES)
def test_sample_budget(built_samples: dict[str, BuildResult], name: str) -> None:
    """Every sample is within its module.toml budget, except the one that shows a problem."""
    from workbench.core.size.budget import check_budget
    from workbench.core.wasm import parse_module

    cfg = WORKSPACE.module(name)
    result = built_samples[name]
    assert cfg is not None and result.wasm_path is not None
    report = check_budget(parse_module(result.wasm_path.read_bytes()), cfg.budget, name=name)
    assert report.ok is (name != "size-problem"), [line.to_json() for line in report.lines]


@pytest.mark.parametrize("name", [n for n in NAMES if n != "hello-wat"])
def test_sample_functions_have_names(built_samples: dict[str, BuildResult], name: str) -> None:
    """Release builds keep the name section, so size views name functions, not func[3]."""
    from workbench.core.wasm import parse_module

    result = built_samples[name]
    assert result.wasm_path is not None
    module = parse_module(result.wasm_path.read_bytes())
    assert module.custom("name") is not None
    names = {f.name for f in module.functions}
    assert not any(n.startswith("func[") for n in names), sorted(names)
    expected = {"wagi-c": "_start", "geo-ab-zig": "main.handle"}.get(name, "handle")
    assert expected in names
