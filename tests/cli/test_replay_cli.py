"""`workbench replay` end to end: exit codes, JSON, JUnit, hooks flags, module folders."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.core.replay_wat import _escape, fixed_handler, http
from tests.wat import wat
from workbench.cli import main

V1 = http(200, '{"v": 1}', content_type="application/json")
V2 = http(200, '{"v": 2}', content_type="application/json")
HURL = """GET http://localhost/v
HTTP 200
[Asserts]
jsonpath "$.v" == 1

GET http://localhost/healthz
HTTP 200
[Asserts]
body == "ok"
"""
HOOKS = '[[rule]]\nname = "health"\nwhen = { path = "/healthz" }\naction = "respond"\n' \
        'body = "ok"\n'


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "v1.wasm").write_bytes(fixed_handler(V1))
    (tmp_path / "v2.wasm").write_bytes(fixed_handler(V2))
    (tmp_path / "api.hurl").write_text(HURL)
    (tmp_path / "hooks.toml").write_text(HOOKS)
    return tmp_path


def replay_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["replay", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_pass_then_fail_after_rebuild(ws: Path, capsys) -> None:
    code, doc = replay_json(capsys, "api.hurl", "--module", "v1.wasm", "--hooks", "hooks.toml")
    assert code == 0 and doc["passed"] is True
    (report,) = doc["reports"]
    assert report["entries"][1]["hook_rule"] == "health"
    # "rebuild": the same module path now holds the new build
    (ws / "v1.wasm").write_bytes(fixed_handler(V2))
    code, doc = replay_json(capsys, "api.hurl", "--module", "v1.wasm", "--hooks", "hooks.toml")
    assert code == 1
    entry = doc["reports"][0]["entries"][0]
    (failed,) = [a for a in entry["assertions"] if not a["passed"]]
    assert failed["where"] == "api.hurl:4" and failed["actual"] == 2
    assert {'-  "v": 1', '+  "v": 2'} <= set(entry["diff"]["body_diff"])
    assert (ws / ".workbench" / "last_responses.json").is_file()


def test_no_hooks_sends_health_to_module(ws: Path, capsys) -> None:
    code, doc = replay_json(capsys, "api.hurl", "--module", "v1.wasm", "--no-hooks")
    assert code == 1
    health = doc["reports"][0]["entries"][1]
    assert health["hook_rule"] is None and not health["passed"]


def test_junit_and_human_output(ws: Path, capsys) -> None:
    code = main(["replay", "api.hurl", "--module", "v2.wasm", "--hooks", "hooks.toml",
                 "--junit", "out/junit.xml", "--no-save"])
    out = capsys.readouterr().out
    assert code == 1
    assert "api.hurl:4" in out and 'expected == 1, got 2' in out
    assert "1/2 entries passed" in out
    root = ET.parse(ws / "out" / "junit.xml").getroot()
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
    assert not (ws / ".workbench").exists()  # --no-save


def test_module_folder_uses_its_requests_and_hooks(ws: Path, capsys) -> None:
    mod = ws / "mod"
    (mod / "requests").mkdir(parents=True)
    blob = len(V1).to_bytes(4, "little") + V1
    (mod / "main.wat").write_text(f"""(module
  (memory (export "memory") 1)
  (data (i32.const 1024) "{_escape(blob)}")
  (func (export "alloc") (param i32) (result i32) (i32.const 8192))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 1024)))""")
    (mod / "requests" / "api.hurl").write_text(HURL)
    (mod / "hooks.toml").write_text(HOOKS)
    code, doc = replay_json(capsys, "mod")
    assert code == 0, doc
    assert doc["reports"][0]["module"] == "mod"
    assert doc["reports"][0]["entries"][1]["hook_rule"] == "health"
    assert (mod / ".workbench" / "last_responses.json").is_file()


@pytest.mark.parametrize("argv,fragment", [
    (["api.hurl"], "which module?"),
    (["nope.hurl", "--module", "v1.wasm"], "no such file"),
    (["bad.hurl", "--module", "v1.wasm"], "bad.hurl:3:1: not supported: option 'proxy'"),
    (["api.hurl", "--module", "v1.wasm", "--hooks", "badhooks.toml"], "rule 'x'"),
    (["empty.hurl", "--module", "v1.wasm"], "empty.hurl: no saved requests"),
])
def test_user_mistakes_exit_2_without_traceback(ws: Path, capsys, argv, fragment) -> None:
    (ws / "bad.hurl").write_text("GET http://localhost/x\n[Options]\nproxy: http://p\n")
    (ws / "empty.hurl").write_text("# nothing yet\n")
    (ws / "noabi.wasm").write_bytes(wat('(module (func (export "main")))'))
    (ws / "badhooks.toml").write_text('[[rule]]\nname = "x"\naction = "explode"\n')
    code = main(["replay", *argv])
    err = capsys.readouterr().err
    assert code == 2 and fragment in err and "Traceback" not in err


def test_a_module_that_is_no_handler_exits_1(ws: Path, capsys) -> None:
    """Not a handler: the module failed (README: 1), not a usage mistake."""
    (ws / "noabi.wasm").write_bytes(wat('(module (func (export "main")))'))
    code = main(["replay", "api.hurl", "--module", "noabi.wasm", "--no-hooks"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "noabi.wasm: expected an edge handler (exports `memory`" in err


def test_import_curl_appends_a_replayable_entry(ws: Path, capsys) -> None:
    (ws / "new.hurl").write_text("GET http://localhost/healthz\nHTTP 200\n")
    code = main(["import-curl", "curl -s 'http://api.local/v?x=1' -H 'Accept: */*'",
                 "-o", "new.hurl", "--status", "200"])
    assert code == 0
    text = (ws / "new.hurl").read_text()
    assert text == ("GET http://localhost/healthz\nHTTP 200\n\n"
                    "GET http://api.local/v?x=1\nAccept: */*\nHTTP 200\n")
    code, doc = replay_json(capsys, "new.hurl", "--module", "v1.wasm", "--hooks",
                            "hooks.toml")
    assert code == 0 and [e["name"] for e in doc["reports"][0]["entries"]] == [
        "GET /healthz", "GET /v?x=1"]


@pytest.mark.parametrize(("name", "content", "fragment"), [
    ("app.wasm", b"\x00asm\x01\x00\x00\x00", "app.wasm: entries are written in Hurl format"),
    ("bin.hurl", b"\xff\xfe\x00garbage", "bin.hurl is not a text file: nothing appended"),
])
def test_import_curl_never_appends_to_a_wrong_file(ws: Path, capsys, name: str,
                                                   content: bytes, fragment: str) -> None:
    (ws / name).write_bytes(content)
    assert main(["import-curl", "curl http://h/x", "-o", name]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err
    assert (ws / name).read_bytes() == content


def test_import_curl_rejects_unknown_option(ws: Path, capsys) -> None:
    code = main(["import-curl", "curl --proxy-user p http://h/"])
    assert code == 2 and "not supported: curl option --proxy-user" in capsys.readouterr().err


def test_workspace_folder_replays_every_module(ws: Path, capsys) -> None:
    for name, resp in (("one", V1), ("two", V2)):
        mod = ws / "space" / name
        (mod / "requests").mkdir(parents=True)
        blob = len(resp).to_bytes(4, "little") + resp
        (mod / "main.wat").write_text(f"""(module
  (memory (export "memory") 1)
  (data (i32.const 1024) "{_escape(blob)}")
  (func (export "alloc") (param i32) (result i32) (i32.const 8192))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 1024)))""")
        (mod / "requests" / "v.hurl").write_text("GET http://localhost/v\nHTTP 200\n[Asserts]\n"
                                                  'jsonpath "$.v" == {{want}}\n')
    (ws / "space" / "workbench.toml").write_text("[variables]\nwant = 1\n")
    code, doc = replay_json(capsys, "space", "--no-save")
    assert code == 1
    assert [(r["module"], r["passed"]) for r in doc["reports"]] == [("one", True),
                                                                     ("two", False)]


def test_unwritable_store_warns_and_keeps_the_verdict(ws: Path, capsys) -> None:
    (ws / "blocker").write_text("")
    code = main(["replay", "api.hurl", "--module", "v1.wasm", "--hooks", "hooks.toml",
                 "--store", "blocker/last.json"])
    out = capsys.readouterr().out
    assert code == 0 and "2/2 entries passed" in out
    assert "could not save the last responses" in " ".join(out.split())
