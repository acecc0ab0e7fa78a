"""A componentize-js (StarlingMonkey) component answers one request per instance: its
fetch event refuses a second `respondWith` ("FetchEvent#respondWith can't be called
twice"), as a real 13 MB componentize-js 0.23.0 build did under `bench` (warm: 5 of 5
requests failed). `wasmtime serve` and Spin make an instance per request, so the
workbench runs such a component fresh where warm is asked for, and says so. The
component is recognised by its own `producers` section (processed-by ComponentizeJS),
which inspect now also shows for components."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.core.runtime.components import HI, proxy
from workbench.core.abi.detect import detect_abi
from workbench.core.http import Request
from workbench.core.wasm.leb import encode_u as _uleb
from workbench.core.wasm.reader import parse_module

REQ = Request("GET", "/x", (("Host", "ex.test"),))


def _name(s: str) -> bytes:
    return _uleb(len(s.encode())) + s.encode()


def with_producers(wasm: bytes, tools: list[tuple[str, str]]) -> bytes:
    """`wasm` plus a top-level custom `producers` section naming `tools` as processed-by."""
    fields = _uleb(1) + _name("processed-by") + _uleb(len(tools)) + b"".join(
        _name(t) + _name(v) for t, v in tools)
    payload = _name("producers") + fields
    return wasm + b"\x00" + _uleb(len(payload)) + payload


def js_component() -> bytes:
    return with_producers(proxy(HI), [("wit-component", "0.259.0"),
                                      ("ComponentizeJS", "0.23.0")])


def test_component_producers_are_read() -> None:
    m = parse_module(js_component())
    assert m.producers == {"processed-by": [("wit-component", "0.259.0"),
                                            ("ComponentizeJS", "0.23.0")]}
    assert parse_module(proxy(HI)).producers == {}


def test_platform_says_fresh_only() -> None:
    rep = detect_abi(parse_module(js_component()))
    assert rep.ok and rep.name == "wasi-http" and rep.platform is not None
    assert rep.platform.fresh_only
    assert rep.platform.name == "wasi:http/proxy 0.2 component (ComponentizeJS 0.23.0)"
    assert "warm requests run fresh" in rep.platform.note
    assert "processed-by ComponentizeJS 0.23.0" in rep.platform.evidence
    plain = detect_abi(parse_module(with_producers(proxy(HI), [("wit-component", "1")])))
    assert plain.platform is not None and not plain.platform.fresh_only


def test_warm_runs_fresh_for_a_fresh_only_component(make) -> None:
    h = make(js_component())
    h.check()
    runs = [h.run(REQ, "warm") for _ in range(3)]
    assert all(r.error is None for r in runs), [r.error for r in runs]
    assert [r.mode for r in runs] == ["fresh"] * 3
    assert all("instantiate" in r.timing for r in runs)  # a new instance every time
    plain = make(proxy(HI))
    assert [plain.run(REQ, "warm").mode for _ in range(2)] == ["warm", "warm"]


def test_cli_inspect_and_bench_say_so(tmp_path: Path) -> None:
    wasm = tmp_path / "jsapp.wasm"
    wasm.write_bytes(js_component())

    def wb(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "workbench", *args, str(wasm)],
                              capture_output=True, text=True, timeout=180,
                              env={**os.environ, "COLUMNS": "200"})

    doc = json.loads(wb("inspect", "--json").stdout)
    assert doc["producers"]["processed-by"][1] == ["ComponentizeJS", "0.23.0"]
    assert doc["platform"]["fresh_only"] is True
    human = wb("inspect")
    assert human.returncode == 0
    assert "processed-by: wit-component 0.259.0, ComponentizeJS 0.23.0" in human.stdout
    assert "warm requests run fresh" in human.stdout
    bench = wb("bench", "-n", "2", "--cache-dir", str(tmp_path / "cache"))
    assert bench.returncode == 0, bench.stdout + bench.stderr
    assert "2 requests · warm (each request runs fresh: one request per instance)" \
        in bench.stdout
    assert "wasi:http request resources" in bench.stdout


def test_serve_says_such_a_route_runs_fresh(tmp_path: Path) -> None:
    """The dev server's route line and request records say "fresh", which is what runs."""
    from workbench.services.serve.module import ModuleSource, ServedModule

    path = tmp_path / "js.wasm"
    path.write_bytes(js_component())
    served = ServedModule(ModuleSource("js", path))  # warm asked (the default)
    assert served.mode == "fresh" and "fresh" in served.describe()
    assert served.run(REQ).response is not None
    assert served.run(REQ).response is not None  # a second request: a new instance
    path.write_bytes(proxy(HI))
    assert ServedModule(ModuleSource("plain", path)).mode == "warm"
