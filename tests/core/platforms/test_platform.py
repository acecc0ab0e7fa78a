"""`detect_platform`: every platform named from inline WAT and from real modules."""

from __future__ import annotations

import pytest
import wasmtime

from tests.core.platforms.fixtures import COMPONENTS, CORE, SAMPLES
from workbench.core.abi.detect import detect_abi
from workbench.core.abi.platform import FOREIGN_PLATFORMS, detect_platform
from workbench.core.runtime.compile import detect_compiled
from workbench.core.wasm import parse_module


def _module(wat: str):
    return parse_module(wasmtime.wat2wasm(wat))


@pytest.mark.parametrize("expected", sorted(CORE))
def test_core_module_platform(expected: str) -> None:
    report = detect_platform(_module(CORE[expected]))
    assert report.id == expected
    assert report.note and report.name
    assert report.to_json()["id"] == expected


@pytest.mark.parametrize("expected", sorted(COMPONENTS))
def test_component_platform(expected: str) -> None:
    report = detect_platform(_module(COMPONENTS[expected]))
    assert report.id == expected
    assert report.runs is False


def test_runnable_platforms_say_so() -> None:
    runs = {k for k, wat in CORE.items() if detect_platform(_module(wat)).runs}
    assert runs == {"edge", "wagi", "extism"}


def test_extism_plugin_has_its_own_abi() -> None:
    abi = detect_abi(_module(CORE["extism"]))
    assert abi.name == "extism" and abi.ok
    assert abi.platform is not None and abi.platform.id == "extism"
    assert "workbench[extism]" in abi.platform.note


def test_other_component_world_names_its_exports() -> None:
    report = detect_platform(_module(COMPONENTS["component"]))
    assert "example:kv/store@1.0.0" in report.note


@pytest.mark.parametrize("platform", sorted(FOREIGN_PLATFORMS))
def test_no_platform_module_is_labelled_wagi(platform: str) -> None:
    wat = CORE[platform]
    parsed = detect_abi(_module(wat))
    compiled = detect_compiled(wasmtime.Module(wasmtime.Engine(), wat))
    for abi in (parsed, compiled):
        assert abi.name == "unknown"
        assert abi.platform is not None and abi.platform.id == platform
        assert abi.problems[0].startswith(abi.platform.name)


def test_wagi_and_edge_keep_their_abi() -> None:
    assert detect_abi(_module(CORE["wagi"])).name == "wagi"
    assert detect_abi(_module(CORE["wagi"])).ok
    assert detect_abi(_module(CORE["edge"])).ok
    assert detect_abi(_module(CORE["edge"])).to_json()["platform"]["id"] == "edge"


def test_proxy_component_abi_is_wasi_http() -> None:
    from tests.core.runtime.components import proxy

    module = parse_module(proxy("local.get $req local.get $out call $hi"))
    abi = detect_abi(module)
    assert (abi.name, abi.ok) == ("wasi-http", True)
    assert abi.platform is not None and abi.platform.id == "wasi-http-0.2"


REAL = [  # file under SAMPLES, platform id, a phrase of the note
    ("fastly.wasm", "fastly-compute", "159 hostcalls"),
    ("resvg_bg.wasm", "wasm-bindgen", "JavaScript"),
    ("esbuild.wasm", "go-js", "wasm_exec.js"),
    ("py.wasm", "wasi-http-0.2", "in process"),
    ("spin5/app.wasm", "wasi-http-0.3", "Spin 4"),
    ("cjs/app.wasm", "wasi-http-0.2", "in process"),
]


@pytest.mark.parametrize(("name", "expected", "phrase"), REAL)
def test_real_module_platform(name: str, expected: str, phrase: str) -> None:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{path} not downloaded (see tests/core/platforms/fixtures.py)")
    module = parse_module(path.read_bytes())
    report = detect_platform(module)
    assert report.id == expected
    assert phrase in report.note
    assert detect_abi(module).name != "wagi"
