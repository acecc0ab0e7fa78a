"""Finding 8: secrets per module (module.toml `secrets = [...]`), redaction in every
encoding the workbench writes, and the app's handlers get their granted secrets."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from workbench.cli import main
from workbench.core.runtime.secrets import Secrets

# The handler returns the secret TOKEN as its whole response: not "HTTP/1.1 ...", so the
# run fails with an error that previews the bytes (repr text, or hex when not printable).
LEAKER = """(module
  (import "edge" "secret_get" (func $secret_get (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "TOKEN")
  (func (export "alloc") (param i32) (result i32) (i32.const 16384))
  (func (export "handle") (param i32 i32) (result i32)
    (local $n i32)
    (local.set $n (call $secret_get (i32.const 100) (i32.const 5) (i32.const 8196)
                                    (i32.const 256)))
    (if (i32.lt_s (local.get $n) (i32.const 0)) (then (local.set $n (i32.const 0))))
    (i32.store (i32.const 8192) (local.get $n))
    (i32.const 8192)))
"""
ESCAPY = "pa\\ss'wo\"rd-42"  # a backslash and both quotes: every repr escapes something
BINARY = "\x01\x02tok\x7fen-99"  # not printable: previews show hex


def _workspace(tmp_path: Path, secret: str, grant: bool) -> Path:
    (tmp_path / "workbench.toml").write_text('modules = ["leak"]\n')
    (tmp_path / ".workbench").mkdir()
    (tmp_path / ".workbench" / "secrets.toml").write_text(
        f"TOKEN = {json.dumps(secret)}\nOTHER = \"unrelated-1\"\n")
    mod = tmp_path / "leak"
    mod.mkdir()
    (mod / "h.wat").write_text(LEAKER)
    (mod / "module.toml").write_text('toolchain = "wat"\n'
                                     + ('secrets = ["TOKEN"]\n' if grant else ""))
    (mod / "requests").mkdir()
    (mod / "requests" / "a.hurl").write_text("GET http://x/\nHTTP 200\n")
    return mod


def _forms(secret: str) -> list[str]:
    raw = secret.encode()
    return [secret, repr(secret)[1:-1], json.dumps(secret)[1:-1], repr(raw)[2:-1],
            raw.hex(" "), raw.hex()]


def test_a_module_reads_only_granted_secrets(tmp_path: Path, capsys) -> None:
    mod = _workspace(tmp_path, ESCAPY, grant=False)
    assert main(["run", str(mod), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert "redacted" not in doc["error"]["message"]  # it never got the value
    assert any("not granted" in line["message"] for line in doc["logs"])


@pytest.mark.parametrize("secret", [ESCAPY, BINARY])
def test_error_previews_are_redacted_in_every_output(secret: str, tmp_path: Path,
                                                     capsys) -> None:
    mod = _workspace(tmp_path, secret, grant=True)
    assert main(["run", str(mod), "--json"]) == 1
    run_out = capsys.readouterr().out
    assert "[redacted:TOKEN]" in json.loads(run_out)["error"]["message"]
    junit = tmp_path / "junit.xml"
    assert main(["replay", str(mod), "--junit", str(junit)]) == 1
    human = capsys.readouterr().out
    store = (mod / ".workbench" / "last_responses.json").read_text()
    for text in (run_out, human, junit.read_text(), store):
        for form in _forms(secret):
            assert form not in text, (form, text[:400])


def test_redaction_covers_encodings() -> None:
    s = Secrets({"K": ESCAPY})
    for form in _forms(ESCAPY):
        assert s.redact(f"<{form}>") == "<[redacted:K]>", form
    assert s.redact_bytes(json.dumps({"v": ESCAPY}).encode()) == b'{"v": "[redacted:K]"}'
    granted = s.granted(())
    assert granted.get("K") is None and granted.refused("K")
    assert granted.redact(ESCAPY) == "[redacted:K]"  # ungranted secrets are still redacted


def test_kv_view_redacts_an_escaped_secret(tmp_path: Path, capsys) -> None:
    _workspace(tmp_path, ESCAPY, grant=True)
    (tmp_path / ".workbench" / "kv.json").write_text(json.dumps({"k": json.dumps(ESCAPY)}))
    assert main(["kv", "list", "--workspace", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert all(form not in out for form in _forms(ESCAPY))


def test_module_toml_secrets_are_validated(tmp_path: Path) -> None:
    from workbench.config.module import load_module
    from workbench.core.errors import ConfigError

    (tmp_path / "h.wat").write_text("(module)")
    (tmp_path / "module.toml").write_text('secrets = ["bad name"]\n')
    with pytest.raises(ConfigError, match="secret name"):
        load_module(tmp_path)
    (tmp_path / "module.toml").write_text('secrets = ["TOKEN"]\n')
    assert load_module(tmp_path).secrets == ("TOKEN",)


def test_the_app_passes_granted_secrets(tmp_path: Path) -> None:
    from workbench.tui.runtime_jobs import granted_secrets

    mod = _workspace(tmp_path, ESCAPY, grant=True)
    state = SimpleNamespace(kv_root=tmp_path, root=mod,
                            config=SimpleNamespace(secrets=("TOKEN",)))
    secrets = granted_secrets(state)  # type: ignore[arg-type]
    assert secrets.get("TOKEN") == ESCAPY and secrets.get("OTHER") is None
    assert secrets.redact("unrelated-1") == "[redacted:OTHER]"
