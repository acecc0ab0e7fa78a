"""The componentize-py sample (sample_modules/hello-wasi-http-py) through the Harness.

Builds the sample once per session with its build.sh (~20 s) and compiles it once into a
shared cache (~4 s with Winch); skipped when componentize-py or spin-sdk is missing.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from workbench.core.http import Request
from workbench.core.runtime.component.outbound import Outbound, Stub
from workbench.core.runtime.harness import Harness

SAMPLE = Path(__file__).resolve().parents[3] / "sample_modules" / "hello-wasi-http-py"

pytestmark = pytest.mark.skipif(
    shutil.which("componentize-py") is None or importlib.util.find_spec("spin_sdk") is None,
    reason="componentize-py and spin-sdk are not installed (pip install componentize-py "
           "spin-sdk)")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, Path]:
    out = tmp_path_factory.mktemp("py") / "app.wasm"
    proc = subprocess.run([str(SAMPLE / "build.sh"), str(out)], capture_output=True,
                          text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out.read_bytes(), tmp_path_factory.mktemp("cache")


def harness(built: tuple[bytes, Path], **kw) -> Harness:
    wasm, cache = built
    return Harness(wasm, cache_dir=cache, name="hello-wasi-http-py", **kw)


@pytest.mark.parametrize("mode", ["cold", "fresh", "warm"])
def test_get_root(built, mode: str) -> None:
    r = harness(built).run(Request("GET", "/"), mode)
    assert r.error is None, r.error
    assert r.response is not None and r.response.status == 200
    assert r.response.body == b"hello from python\n"
    assert r.response.header("x-handler") == "componentize-py"
    logs = [(ln.level, ln.message, ln.source) for ln in r.logs]
    assert logs == [("info", "path=/ status=200", "stdout"),
                    ("error", "served / from python", "stderr")]
    assert r.logs[0].fields == {"path": "/", "status": "200"}


def test_echo_404_and_outbound(built) -> None:
    h = harness(built, outbound=Outbound((Stub("https://example.com/*", 203, (),
                                                b"stubbed"),)))
    body = b'{"ping": 1}' * 500
    r = h.run(Request("POST", "/echo", (("content-type", "application/json"),), body), "warm")
    assert r.error is None, r.error
    assert r.response is not None and r.response.body == body
    assert r.response.header("content-type") == "application/json"
    assert h.run(Request("GET", "/nope"), "warm").response.status == 404  # type: ignore[union-attr]
    fetched = h.run(Request("GET", "/fetch"), "warm").response
    assert fetched is not None and fetched.body == b"upstream 203 7 bytes\n"


def test_outbound_latency_is_http_fetch(built) -> None:
    """Chaos `latency_ms.http_fetch` delays the outgoing request and is recorded."""
    from workbench.core.runtime.limits import Chaos

    h = harness(built, outbound=Outbound((Stub("https://example.com/*", 203, (),
                                                b"stubbed"),)),
                chaos=Chaos(latency_ms={"http_fetch": 40}))
    r = h.run(Request("GET", "/fetch"), "warm")
    assert r.error is None and r.response is not None
    assert r.response.body == b"upstream 203 7 bytes\n"
    assert r.faults == ("latency:http_fetch:40ms",)
    assert r.timing["handler"] >= 40_000  # us; a lower bound only


def test_outbound_denied_without_a_stub(built) -> None:
    r = harness(built).run(Request("GET", "/fetch"), "fresh")
    assert r.error is None and r.response is not None and r.response.status == 502
    assert b"HttpRequestDenied" in r.response.body  # componentize-py names the case
    assert any("no outbound stub" in ln.message for ln in r.logs)


def test_1100_warm_requests_on_one_instance(built) -> None:
    h = harness(built)
    h.run(Request("GET", "/"), "warm")
    rt = h.component_runtime()
    warm = rt.warm
    assert warm is not None
    before = len(warm.state.objects)
    for _ in range(1100):
        assert h.run(Request("GET", "/"), "warm").error is None
    assert rt.warm is warm
    assert len(warm.state.objects) <= before + 2


def test_module_toml_stubs_answer_replay(built) -> None:
    """The sample's module.toml [[outbound]] stub reaches the harness; its saved requests
    (hello.hurl, /fetch included) all pass on replay."""
    from workbench.config.module import load_module
    from workbench.core.requests.files import load_requests
    from workbench.core.requests.replay import replay

    cfg = load_module(SAMPLE)
    assert [s.pattern for s in cfg.host.outbound.stubs] == ["https://example.com/*"]
    h = harness(built, host=cfg.host, limits=cfg.limits)
    assert cfg.requests is not None
    report = replay(load_requests(cfg.requests), h, mode="warm", save=False)
    assert len(report.entries) == 4
    assert report.passed, [(e.entry.request.path, e.error, e.results) for e in report.entries]
    assert list(cfg.host.outbound.calls)[-1] == "https://example.com/"
