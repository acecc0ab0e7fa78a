"""`decode_world` against `wasm-tools component wit` (the oracle), and by value."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime

from tests.core.platforms.fixtures import COMPONENTS, SAMPLES
from tests.core.platforms.wit_oracle import WASM_TOOLS, oracle_world
from tests.core.runtime.components import proxy
from workbench.core.size.inspect import inspect_bytes
from workbench.core.wasm.component_world import World, decode_world

HANDLE = "local.get $req local.get $out call $hi"


def _names(world: World) -> dict[str, dict[str, set[str]]]:
    return {"imports": {i.name: {f for f, _ in i.functions} for i in world.imports},
            "exports": {e.name: {f for f, _ in e.functions} for e in world.exports}}


def test_proxy_world_by_value() -> None:
    world = decode_world(proxy(HANDLE))
    assert world.partial is None
    assert [e.name for e in world.exports] == ["wasi:http/incoming-handler@0.2.0"]
    assert world.exports[0].functions == (
        ("handle", "func(request: incoming-request, response-out: response-outparam)"),)
    assert world.exports[0].version == "0.2.0"
    assert world.exports[0].package == "wasi:http"
    streams = next(i for i in world.imports if i.name == "wasi:io/streams@0.2.0")
    assert dict(streams.functions)["[method]output-stream.blocking-write-and-flush"] == (
        "func(self: borrow<output-stream>, contents: list<u8>) -> result<_, stream-error>")
    assert [i.name for i in world.imports] == [
        "wasi:io/error@0.2.0", "wasi:io/streams@0.2.0", "wasi:cli/stdout@0.2.0",
        "wasi:http/types@0.2.0", "wasi:http/outgoing-handler@0.2.0"]


def test_inline_component_world_signatures() -> None:
    world = decode_world(wasmtime.wat2wasm(COMPONENTS["component"]))
    assert world.exports[0].to_json() == {
        "name": "example:kv/store@1.0.0", "kind": "instance", "version": "1.0.0",
        "functions": [
            {"name": "get", "signature": "func(key: string) -> result<list<u8>, string>"},
            {"name": "put", "signature": "func(key: string, value: list<u8>)"}]}


def test_truncated_component_is_partial_not_an_exception() -> None:
    data = proxy(HANDLE)
    cut = bytearray(data)
    at = data.index(b"wasi:http/types@0.2.0") - 40
    cut[at:at + 30] = b"\xff" * 30
    world = decode_world(bytes(cut))
    assert world.partial is not None


def _sources(tmp_path: Path) -> list[Path]:
    out = tmp_path / "proxy.wasm"
    out.write_bytes(proxy(HANDLE))
    paths = [out]
    for name, wat in COMPONENTS.items():
        p = tmp_path / f"{name}.wasm"
        p.write_bytes(wasmtime.wat2wasm(wat))
        paths.append(p)
    real = (SAMPLES / "py.wasm", SAMPLES / "spin5" / "app.wasm", SAMPLES / "cjs" / "app.wasm")
    paths += [p for p in real if p.exists()]
    return paths


@pytest.mark.skipif(WASM_TOOLS is None, reason="wasm-tools not installed")
def test_world_matches_wasm_tools_component_wit(tmp_path: Path) -> None:
    checked = 0
    paths = _sources(tmp_path)
    for path in paths:
        expected = oracle_world(path)
        assert expected is not None
        world = decode_world(path.read_bytes())
        got = _names(world)
        assert set(got["imports"]) == set(expected["imports"]), path
        assert set(got["exports"]) == set(expected["exports"]), path
        for name, funcs in expected["exports"].items():
            assert got["exports"][name] == funcs, (path, name)
        for name, funcs in expected["imports"].items():
            assert got["imports"][name] == funcs, (path, name)
        checked += 1
    assert checked == len(paths) >= 4


def test_inspect_report_of_a_component_adds_up(tmp_path: Path) -> None:
    report = inspect_bytes(proxy(HANDLE), "proxy.wasm")
    assert report.world is not None and report.world.exports
    doc = report.to_json()
    assert doc["platform"]["id"] == "wasi-http-0.2"
    assert doc["world"]["exports"][0]["functions"][0]["name"] == "handle"
    assert 8 + sum(s.disk_size for s in report.sections) == report.size
    assert len(report.core_modules) == 3
    for core in report.core_modules:
        assert sum(v for _, v in core.breakdown) == core.size
        assert dict(core.breakdown)["code"] >= (core.code_size or 0)


def test_corrupted_components_never_raise() -> None:
    """2,000 seeded single-byte and truncation damages: a World (maybe partial), always."""
    import random

    data = proxy(HANDLE)
    rng = random.Random(17)
    partial = 0
    for _ in range(2000):
        damaged = bytearray(data)
        if rng.random() < 0.2:
            damaged = damaged[:rng.randrange(9, len(data))]
        else:
            damaged[rng.randrange(8, len(data))] = rng.randrange(256)
        world = decode_world(bytes(damaged))
        partial += world.partial is not None
    assert partial > 0  # the damage is noticed, not silently ignored every time
