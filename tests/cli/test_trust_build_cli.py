"""Signing as a build step (module.toml `sign`), strip's warning, and `check` in CI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main

WAT = """(module
  (memory (export "memory") 1)
  (data (i32.const 4096) "\\13\\00\\00\\00HTTP/1.1 200 OK\\0d\\0a\\0d\\0a")
  (func (export "alloc") (param i32) (result i32) (i32.const 8192))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 4096)))
"""


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    mod = tmp_path / "hello"
    mod.mkdir()
    (mod / "hello.wat").write_text(WAT)
    (mod / "module.toml").write_text('name = "hello"\ntoolchain = "wat"\n')
    (tmp_path / "workbench.toml").write_text(
        'modules = ["hello"]\n[trust]\nkeys = ["keys/ci.pub"]\nrequire_signed = true\n')
    assert main(["keygen", "ci", "--dir", "keys"]) == 0
    capsys.readouterr()
    return tmp_path


def _check(capsys) -> tuple[int, dict]:
    code = main(["check", "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_unsigned_build_warns_and_fails_check_then_sign_key_fixes_both(ws: Path,
                                                                       capsys) -> None:
    assert main(["build", "hello"]) == 0
    assert "is unsigned and" in capsys.readouterr().err
    code, doc = _check(capsys)
    assert code == 1 and doc["modules"][0]["signature"]["reason"].startswith("not signed")
    assert main(["run", "hello"]) == 1  # unsigned: refused, a module failure
    capsys.readouterr()
    (ws / "hello" / "module.toml").write_text(
        'name = "hello"\ntoolchain = "wat"\nsign = "../keys/ci.key"\n')
    assert main(["build", "hello"]) == 0
    assert "unsigned" not in capsys.readouterr().err
    code, doc = _check(capsys)
    assert code == 0 and doc["modules"][0]["signature"]["signers"] == ["ci"]
    assert main(["run", "hello", "--json"]) == 0


def test_strip_warns_that_it_invalidates_and_can_resign(ws: Path, capsys) -> None:
    (ws / "hello" / "module.toml").write_text(
        'name = "hello"\ntoolchain = "wat"\nsign = "../keys/ci.key"\n')
    assert main(["build", "hello"]) == 0
    wasm = next((ws / "hello").rglob("hello.wasm"))
    capsys.readouterr()
    assert main(["strip", str(wasm), "-o", "out.wasm"]) == 0
    assert "no longer verifies" in capsys.readouterr().out
    assert main(["verify", "out.wasm", "-K", "keys/ci.pub"]) == 1
    capsys.readouterr()
    assert main(["strip", str(wasm), "-o", "out2.wasm", "--sign", "keys/ci.key"]) == 0
    assert "re-signed" in capsys.readouterr().out
    assert main(["verify", "out2.wasm", "-K", "keys/ci.pub"]) == 0


def test_the_watch_loop_refuses_an_unsigned_build(ws: Path, capsys) -> None:
    from workbench.config.module import load_module
    from workbench.core.build.builder import build_module
    from workbench.core.errors import SignatureRejected
    from workbench.services.loop import make_replay_hook

    (ws / "hello" / "requests").mkdir()
    (ws / "hello" / "requests" / "r.hurl").write_text("GET http://localhost/\nHTTP 200\n")
    cfg = load_module(ws / "hello")
    hook = make_replay_hook()
    with pytest.raises(SignatureRejected) as err:
        hook(cfg, build_module(cfg))
    assert err.value.verdict is not None and not err.value.verdict.signed
    (ws / "hello" / "module.toml").write_text(
        'name = "hello"\ntoolchain = "wat"\nsign = "../keys/ci.key"\n')
    cfg = load_module(ws / "hello")
    event = hook(cfg, build_module(cfg))  # signed by the build step, then replayed
    assert event is not None and event.data.passed
