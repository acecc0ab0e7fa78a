"""`workbench check`: budgets from module.toml or flags; exit 1 when any is over."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.wat import wat
from workbench.cli import main

WAT = '(module (func (export "f") (result i32) i32.const 42))'


def _module_folder(root: Path, name: str, budget: str) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "m.wat").write_text(WAT)
    (folder / "module.toml").write_text(
        f'name = "{name}"\ntoolchain = "wat"\nsources = ["m.wat"]\n\n[budget]\n{budget}\n')
    return folder


def test_bare_wasm_with_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.wasm"
    path.write_bytes(wat(WAT))
    size = path.stat().st_size
    assert main(["check", str(path), f"--max-bytes={size}"]) == 0
    assert "within budget" in capsys.readouterr().out
    assert main(["check", str(path), f"--max-bytes={size - 1}", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is False
    (line,) = doc["modules"][0]["limits"]
    assert line == {"limit": "max_bytes", "actual": size, "max": size - 1, "over": True,
                    "headroom": -1, "found": True}


def test_section_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.wasm"
    path.write_bytes(wat(WAT))
    assert main(["check", str(path), "--max-section", "code=1", "--json"]) == 1
    limits = json.loads(capsys.readouterr().out)["modules"][0]["limits"]
    assert limits[0]["limit"] == "section:code" and limits[0]["over"]


def test_module_folders_build_and_check(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    ok = _module_folder(tmp_path, "small", "max_bytes = 4096\nmax_gzip_bytes = 4096")
    over = _module_folder(tmp_path, "tight", "max_bytes = 10")
    assert main(["check", str(ok), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["modules"][0]["name"] == "small" and len(doc["modules"][0]["limits"]) == 2
    assert main(["check", str(ok), str(over)]) == 1
    out = capsys.readouterr().out
    assert "small" in out and "tight" in out and "over by" in out
    # The flag overrides module.toml, and --no-build reuses the output just built.
    assert main(["check", str(over), "--no-build", "--max-bytes", "100000"]) == 0


def test_not_built_and_no_budget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _module_folder(tmp_path, "fresh", "")
    assert main(["check", str(folder), "--no-build"]) == 2  # a usage mistake (README)
    assert "not built yet" in capsys.readouterr().err
    assert main(["check", str(folder)]) == 0
    assert "no budget set" in capsys.readouterr().out


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "missing.wasm")]) == 2
    assert "no such file" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["check", "--max-section", "code"])


def test_malformed_file_says_where_and_what_to_do(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cut.wasm"
    path.write_bytes(wat(WAT)[:-3])
    assert main(["check", str(path), "--max-bytes=100"]) == 1
    err_text = " ".join(capsys.readouterr().err.split())  # errors on stderr
    assert "cut.wasm @ 0x" in err_text and "hint:" in err_text
    assert main(["check", str(path), "--json"]) == 1
    err = json.loads(capsys.readouterr().out)["modules"][0]["error"]
    assert err["kind"] == "malformed" and isinstance(err["offset"], int) and err["hint"]


def test_limit_on_a_section_the_module_lacks(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.wasm"
    path.write_bytes(wat(WAT))
    args = ["check", str(path), "--max-section", "cdoe=5", "--max-section", ".debug_info=0"]
    assert main(args) == 0  # absent is 0 bytes: within budget, but said
    out = " ".join(capsys.readouterr().out.split())  # the console may wrap lines
    assert out.count("no such section in this module") == 2
    assert "'cdoe' is not a section name" in out and "'.debug_info' is not" not in out
    assert main([*args, "--json"]) == 0
    limits = json.loads(capsys.readouterr().out)["modules"][0]["limits"]
    assert [(x["limit"], x["found"]) for x in limits] == [
        ("section:.debug_info", False), ("section:cdoe", False)]


def test_over_budget_says_where_to_look(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.core.test_wasm_reader import custom

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "m.wasm"
    path.write_bytes(wat(WAT) + custom(".debug_info", b"\x00" * 40))
    assert main(["check", "m.wasm", "--max-bytes=10"]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "workbench inspect m.wasm --by section" in out
    assert "54 B are custom sections" in out and "workbench strip m.wasm" in out
    assert main(["check", "m.wasm", "--max-bytes=1000"]) == 0
    assert "where the bytes go" not in capsys.readouterr().out
