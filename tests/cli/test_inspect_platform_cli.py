"""`workbench inspect` names the platform and lists a component's world (JSON and human)."""

from __future__ import annotations

import json

import pytest
import wasmtime

from tests.core.platforms.fixtures import COMPONENTS, CORE
from tests.core.runtime.components import proxy
from workbench.cli import main


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, wat in {**CORE, **COMPONENTS}.items():
        p = tmp_path / f"{name}.wasm"
        p.write_bytes(wasmtime.wat2wasm(wat))
        paths[name] = p
    p = tmp_path / "proxy.wasm"
    p.write_bytes(proxy("local.get $req local.get $out call $hi"))
    paths["wasi-http-0.2"] = p
    return paths


def test_json_names_every_platform(files, capsys) -> None:
    names = sorted(files)
    assert main(["inspect", "--json", *(str(files[n]) for n in names)]) == 0
    docs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["platform"]["id"] for d in docs] == names
    for name, doc in zip(names, docs, strict=True):
        if doc["platform"]["id"] not in ("edge", "wagi", "wasi-command"):
            assert doc["abi"]["name"] != "wagi", name
        assert (doc["world"] is not None) == (doc["kind"] == "component")


def test_json_world_of_the_proxy_component(files, capsys) -> None:
    assert main(["inspect", "--json", str(files["wasi-http-0.2"])]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["abi"]["name"] == "wasi-http" and doc["abi"]["ok"]
    exports = doc["world"]["exports"]
    assert [(e["name"], e["version"]) for e in exports] == [
        ("wasi:http/incoming-handler@0.2.0", "0.2.0")]
    assert exports[0]["functions"] == [{
        "name": "handle",
        "signature": "func(request: incoming-request, response-out: response-outparam)"}]
    for core in doc["components"]:
        assert sum(p["bytes"] for p in core["breakdown"]) == core["size"]


def test_human_report_shows_platform_and_world(files, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["inspect", str(files["wasi-http-0.2"]), str(files["fastly-compute"])]) == 0
    out = capsys.readouterr().out
    assert "platform: wasi:http/proxy 0.2 component" in out
    assert "wasi:http/incoming-handler@0.2.0" in out
    assert "func(request: incoming-request, response-out: response-outparam)" in out
    assert "platform: Fastly Compute" in out
    assert "Viceroy" in out
    assert "by part" in out


def test_core_option_inspects_an_embedded_module(files, capsys) -> None:
    path = files["wasi-http-0.2"]
    assert main(["inspect", "--json", "--core", "0", str(path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["file"] == f"{path}#core0" and doc["kind"] == "module"
    assert 8 + sum(s["disk_size"] for s in doc["sections"]) == doc["size"] == 1300
    assert doc["platform"]["id"] == "component-core"
    assert doc["abi"]["name"] == "unknown"
    assert {f["name"] for f in doc["functions"]} >= {"cabi_realloc"}


def test_core_option_out_of_range_is_a_typed_error(files, capsys) -> None:
    assert main(["inspect", "--core", "9", str(files["wasi-http-0.2"])]) == 2  # usage
    out = capsys.readouterr().err
    assert "embeds 3 core modules (0..2)" in out and "Traceback" not in out
    assert main(["inspect", "--json", "--core", "0", str(files["edge"])]) == 2
    doc = json.loads(capsys.readouterr().out)
    assert doc["error"]["kind"] == "usage" and "not a component" in doc["error"]["message"]
