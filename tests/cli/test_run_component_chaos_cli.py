"""`workbench run COMPONENT --chaos latency:...` through the CLI entry point: the latency
reaches a wasi:http component's KV calls and is listed with the run's faults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.runtime.test_component_kv import component
from workbench.cli import main


@pytest.fixture
def kv_component(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "kv.wasm").write_bytes(component())
    return tmp_path


def test_run_component_with_kv_get_latency_json(kv_component, capsys) -> None:
    code = main(["run", "kv.wasm", "--chaos", "latency:kv_get=30", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["status"] == 200 and doc["error"] is None
    # wasi:keyvalue get and spin key-value get: two kv_get calls, each delayed and recorded
    assert doc["faults"] == ["latency:kv_get:30ms", "latency:kv_get:30ms"]
    assert doc["timing"]["handler"] >= 60_000  # us; a lower bound only


def test_run_component_latency_prints_faults_and_timeout(kv_component, capsys) -> None:
    code = main(["run", "kv.wasm", "--chaos", "latency:secret_get=5000", "--timeout-ms",
                 "100"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code != 0 and "Traceback" not in text
    assert "timeout" in text and "chaos latency secret_get=5000ms" in text
    assert "latency:secret_get:5000ms" in text


def test_run_component_http_fetch_is_a_known_latency_name(kv_component, capsys) -> None:
    assert main(["run", "kv.wasm", "--chaos", "latency:http_fetch=1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["faults"] == []  # this one fetches nothing
    assert main(["run", "kv.wasm", "--chaos", "latency:http_fetchh=1"]) == 2
    assert "http_fetch (components)" in capsys.readouterr().err
