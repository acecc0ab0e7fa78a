"""Extism plugins through the Harness and the Extism Python SDK (the `[extism]` extra).

`extism_wat/kernel.wat` is a plugin written by hand against the extism:host/env kernel ABI
(echo with a log line, error_set, a trap, an endless loop); tests/fixtures/extism/ holds
plugins built with Extism's AssemblyScript PDK (see its README). Skipped without `extism`,
except the test of the message a user gets when the extra is absent.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.http import Request
from workbench.core.runtime.host_config import HostConfig
from workbench.core.runtime.limits import Limits

HERE = Path(__file__).parent
KERNEL = (HERE / "extism_wat" / "kernel.wat").read_bytes()
FIXTURES = HERE.parent.parent / "fixtures" / "extism"
POST = Request("POST", "/greet", body=b"Ada")
MODES = ("cold", "fresh", "warm")

needs_sdk = pytest.mark.skipif(
    __import__("importlib.util").util.find_spec("extism") is None,
    reason="the Extism SDK is not installed (pip install 'workbench[extism]')")


def plugin(make, wasm: bytes | Path, function: str = "handle", **kw):
    data = wasm.read_bytes() if isinstance(wasm, Path) else wasm
    return make(data, host=HostConfig(extism_function=function), **kw)


@needs_sdk
@pytest.mark.parametrize("mode", MODES)
def test_body_in_output_out_with_logs(make, mode: str) -> None:
    h = plugin(make, KERNEL)
    assert h.check().name == "extism"
    r = h.run(POST, mode)
    assert r.error is None and r.abi == "extism"
    assert r.response is not None and r.response.status == 200
    assert r.response.body == b"Ada" and r.response.header("content-length") == "3"
    assert [(lg.level, lg.message) for lg in r.logs] == [("info", "hello log")]
    assert "handler" in r.timing and r.timing["total"] >= r.timing["handler"]
    assert ("compile" in r.timing) == (mode == "cold")
    assert r.cache == ("bypass" if mode == "cold" else None)


@needs_sdk
def test_warm_reuses_the_instance_fresh_does_not(make) -> None:
    h = plugin(make, KERNEL)
    first = h.run(POST, "warm")
    second = h.run(POST, "warm")
    assert "instantiate" in first.timing and "instantiate" not in second.timing
    assert "instantiate" in h.run(POST, "fresh").timing
    assert h.run(Request("POST", "/", body=b"x" * 5000), "warm").response.body == b"x" * 5000


@needs_sdk
@pytest.mark.parametrize(("function", "kind", "text"), [
    ("fail", "handler", "the plugin reported an error: hello log"),
    ("trap", "trap", "`trap` trapped"),
    ("nope", "abi", "the plugin exports no function `nope` (function exports: `handle`"),
])
def test_failures_are_typed(make, function: str, kind: str, text: str) -> None:
    h = plugin(make, KERNEL, function)
    r = h.run(POST, "warm")
    assert r.response is None and r.error is not None
    assert (r.error.kind, r.error.message[:len(text)]) == (kind, text)
    if kind == "trap":
        assert any(f.endswith("!trap") for f in r.error.backtrace), r.error.backtrace
    assert plugin(make, KERNEL).run(POST, "warm").response is not None  # others unaffected


@needs_sdk
def test_endless_loop_ends_by_timeout_and_by_fuel(make) -> None:
    slow = plugin(make, KERNEL, "spin", limits=Limits(timeout_ms=50, fuel=10**12))
    r = slow.run(POST, "warm")
    assert r.error is not None and r.error.kind == "timeout"
    assert "50 ms" in r.error.message
    assert slow.run(POST, "warm").error.kind == "timeout"  # a new instance, same outcome
    r = plugin(make, KERNEL, "spin", limits=Limits(fuel=10_000)).run(POST, "fresh")
    assert r.error is not None and r.error.kind == "fuel"


@needs_sdk
def test_output_over_the_response_limit(make) -> None:
    h = plugin(make, KERNEL, limits=Limits(max_response_bytes=2))
    r = h.run(POST, "fresh")
    assert r.error is not None and r.error.kind == "response_too_large"


@needs_sdk
@pytest.mark.parametrize("mode", MODES)
def test_pdk_plugin_count_vowels(make, mode: str) -> None:
    """The AssemblyScript PDK's own example (input, output, vars, config)."""
    h = plugin(make, FIXTURES / "count_vowels.wasm", "count_vowels")
    r = h.run(Request("POST", "/", body=b"Hello, World!"), mode)
    assert r.error is None
    assert r.response is not None
    assert r.response.body == b'{"count": 3, "config": "null", "a": "this is var a"}'


@needs_sdk
def test_pdk_plugin_logs_and_reports_errors(make) -> None:
    h = plugin(make, FIXTURES / "greet.wasm", "greet")
    r = h.run(POST, "warm")
    assert r.response is not None and r.response.body == b"Hello, Ada!"
    assert [(lg.level, lg.message) for lg in r.logs] == [("info", "greeting 3 chars")]
    r = h.run(Request("POST", "/"), "warm")
    assert r.error is not None and r.error.kind == "handler"
    assert r.error.message == "the plugin reported an error: a name is required"
    assert [lg.level for lg in r.logs] == ["info", "warn"]
    assert h.run(POST, "warm").response.body == b"Hello, Ada!"  # the instance survives


@needs_sdk
def test_sdk_loads_beside_wasmtime() -> None:
    import wasmtime

    from workbench.core.runtime.extism import sdk

    v = sdk.versions()
    assert v["extism"].startswith("1.") and v["runtime"]
    assert wasmtime.Engine() is not None  # both native libraries in one process


def test_missing_extra_names_the_install_command(make, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "extism", None)  # `import extism` raises ImportError
    h = plugin(make, KERNEL)
    r = h.run(POST, "fresh")
    assert r.error is not None and r.error.kind == "unavailable"
    assert "pip install 'workbench[extism]'" in r.error.message
    with pytest.raises(WorkbenchError) as err:
        h.check()
    assert err.value.kind == "unavailable"
    assert "pip install 'workbench[extism]'" in (err.value.hint or "")
