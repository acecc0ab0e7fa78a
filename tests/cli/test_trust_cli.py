"""keygen / sign / verify, and the `[trust]` policy refusing modules in run, bench, replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.runtime.handlers import edge
from workbench.cli import main
from workbench.core.sign.format import split

ECHO = edge("(call $echo (local.get $p) (local.get $n))")
HURL = "GET http://localhost/x\nHTTP 200\n"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "echo.wasm").write_bytes(ECHO)
    (tmp_path / "x.hurl").write_text(HURL)
    assert main(["keygen", "release", "--dir", "keys"]) == 0
    assert main(["keygen", "other", "--dir", "keys"]) == 0
    capsys.readouterr()
    return tmp_path


def _policy(ws: Path, signers: str = "any", keys: str = '"keys/release.pub"') -> None:
    (ws / "workbench.toml").write_text(
        f"[trust]\nkeys = [{keys}]\nrequire_signed = true\nsigners = \"{signers}\"\n")


def _json(capsys, *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_sign_then_verify_round_trips(ws: Path, capsys) -> None:
    assert main(["sign", "echo.wasm", "--key", "keys/release.key"]) == 0
    assert "signed echo.wasm (1 signature(s)" in capsys.readouterr().out
    code, v = _json(capsys, "verify", "echo.wasm", "--key", "keys/release.pub", "--json")
    assert code == 0 and v["ok"] and v["signers"] == ["release"]
    code, v = _json(capsys, "verify", "echo.wasm", "--key", "keys/other.pub", "--json")
    assert code == 1 and v["missing"] == ["other"] and v["untrusted"] == 1


def test_verify_names_the_changed_section(ws: Path, capsys) -> None:
    main(["sign", "echo.wasm", "--key", "keys/release.key"])
    data = bytearray((ws / "echo.wasm").read_bytes())
    code_sec = next(s for s in split(bytes(data))[1] if s.id == 10)
    data[code_sec.offset + 6] ^= 0x40
    (ws / "echo.wasm").write_bytes(bytes(data))
    capsys.readouterr()
    code, v = _json(capsys, "verify", "echo.wasm", "-K", "keys/release.pub", "--json")
    assert code == 1 and [c["section"] for c in v["changes"]] == ["code section"]
    assert main(["verify", "echo.wasm", "-K", "keys/release.pub"]) == 1
    assert "code section changed" in capsys.readouterr().out


def test_detached_signatures_with_two_signers(ws: Path, capsys) -> None:
    assert main(["sign", "echo.wasm", "-k", "keys/release.key", "--detached"]) == 0
    assert main(["sign", "echo.wasm", "-k", "keys/other.key", "--detached"]) == 0
    assert (ws / "echo.wasm").read_bytes() == ECHO  # detached: the module is untouched
    capsys.readouterr()
    code, v = _json(capsys, "verify", "echo.wasm", "-K", "keys/release.pub",
                    "-K", "keys/other.pub", "--all", "--json")
    assert code == 0 and v["detached"] and v["signers"] == ["release", "other"]


@pytest.mark.parametrize("argv", [
    ["run", "echo.wasm"],
    ["bench", "echo.wasm", "-n", "3"],
    ["replay", "x.hurl", "--module", "echo.wasm"],
    ["purity", "echo.wasm", "x.hurl", "--growth", "3"],
])
def test_policy_refuses_unsigned_and_tampered_modules(ws: Path, capsys, argv) -> None:
    _policy(ws)
    assert main(argv) == 1  # a module failed its check
    err = capsys.readouterr().err
    assert "not signed" in err and "hint:" in err and "Traceback" not in err
    main(["sign", "echo.wasm", "-k", "keys/other.key"])  # signed, by an untrusted key
    capsys.readouterr()
    assert main(argv) == 1  # a module failed its check
    assert "no signature by a trusted key (release)" in capsys.readouterr().err
    main(["sign", "echo.wasm", "-k", "keys/release.key"])
    capsys.readouterr()
    assert main(argv) == 0, capsys.readouterr()
    data = bytearray((ws / "echo.wasm").read_bytes())
    data[-1] ^= 1  # the last byte: the signed section map's own checksum
    (ws / "echo.wasm").write_bytes(bytes(data))
    capsys.readouterr()
    assert main(argv) == 1  # a module failed its check
    assert "changed after it was signed" in capsys.readouterr().err


def test_policy_all_signers_names_the_missing_key(ws: Path, capsys) -> None:
    _policy(ws, "all", '"keys/release.pub", "keys/other.pub"')
    main(["sign", "echo.wasm", "-k", "keys/release.key"])
    capsys.readouterr()
    assert main(["run", "echo.wasm"]) == 1
    assert "missing signature from trusted key(s): other" in capsys.readouterr().err


def test_trust_config_mistakes_are_config_errors(ws: Path, capsys) -> None:
    (ws / "workbench.toml").write_text('[trust]\nkeys = ["nope.pub"]\nrequire_signed = true\n')
    assert main(["run", "echo.wasm"]) == 2
    err = capsys.readouterr().err
    assert "workbench.toml" in err and "trust.keys" in err and "does not exist" in err
    (ws / "workbench.toml").write_text('[trust]\nrequire_signed = true\nsignature = 1\n')
    assert main(["run", "echo.wasm"]) == 2
    assert "unknown key 'trust.signature'" in capsys.readouterr().err


def test_keygen_refuses_to_overwrite(ws: Path, capsys) -> None:
    assert main(["keygen", "release", "--dir", "keys"]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err


def test_serve_refuses_an_unsigned_module_and_serves_a_signed_one(ws: Path, capsys) -> None:
    from workbench.core.errors import SignatureRejected
    from workbench.services.serve.load import ServeOptions, load_routes
    from workbench.services.serve.module import ModuleSource, ServedModule

    _policy(ws)
    source = ModuleSource("echo", ws / "echo.wasm")
    with pytest.raises(SignatureRejected, match="not signed"):
        ServedModule(source)
    # a lone file is not watched (nothing rebuilds it): refused at start, not a 503 server
    with pytest.raises(SignatureRejected, match="not signed"):
        load_routes([ws / "echo.wasm"], ServeOptions())
    assert main(["sign", "echo.wasm", "--key", "keys/release.key"]) == 0
    capsys.readouterr()
    assert ServedModule(source).abi == "edge"
