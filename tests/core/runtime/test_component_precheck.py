"""A component that is not a wasi:http/proxy 0.2 handler is refused from the parsed binary,
before any compile, with its platform named (Harness.precheck)."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime

from tests.core.runtime.components import HI, proxy
from workbench.core.errors import AbiMismatch
from workbench.core.http import Request

COMMAND = """(component
  (core module $m (func (export "run") (result i32) i32.const 0))
  (core instance $i (instantiate $m))
  (type $rt (func (result (result))))
  (func $run (type $rt) (canon lift (core func $i "run")))
  (instance $x (export "run" (func $run)))
  (export "EXPORT" (instance $x)))"""


def component(export: str) -> bytes:
    return bytes(wasmtime.wat2wasm(COMMAND.replace("EXPORT", export)))


@pytest.mark.parametrize(("export", "platform"), [
    ("wasi:cli/run@0.2.0", "WASI 0.2 command component"),
    ("wasi:http/handler@0.3.0", "wasi:http/handler 0.3 component"),
    ("example:kv/store@1.0.0", "component: world exports example:kv/store@1.0.0"),
])
@pytest.mark.parametrize("mode", ["cold", "fresh", "warm"])
def test_foreign_component_is_refused_before_compiling(make, tmp_path: Path, export: str,
                                                       platform: str, mode: str) -> None:
    h = make(component(export))
    r = h.run(Request("GET", "/"), mode)
    assert r.error is not None and r.error.kind == "abi"
    assert r.error.message.startswith(platform)
    assert not h.component_loaded  # no component runtime, so nothing was compiled
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())
    with pytest.raises(AbiMismatch, match=platform.split(":")[0]):
        h.check()


def test_wasi_http_component_passes_the_precheck(make) -> None:
    h = make(proxy(HI))
    rep = h.precheck()
    assert rep is not None and rep.ok and rep.name == "wasi-http"
    assert rep.platform is not None and rep.platform.id == "wasi-http-0.2"
    assert h.run(Request("GET", "/"), "fresh").response is not None
