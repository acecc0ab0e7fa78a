"""`workbench strip`: preview, writing, --keep, JSON, errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cmodules import c_modules, parse
from workbench.cli import main


@pytest.fixture
def wasm(tmp_path: Path) -> Path:
    path = tmp_path / "m.wasm"
    path.write_bytes(c_modules()["dwarf4"])
    return path


def test_preview_json(wasm: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["strip", str(wasm), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["size"] == wasm.stat().st_size
    labels = [o["label"] for o in doc["options"]]
    assert labels == ["debug", "all", "name"]
    assert doc["options"][1]["size"] < doc["options"][2]["size"] < doc["options"][0]["size"]


def test_preview_human(wasm: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["strip", str(wasm)]) == 0
    out = capsys.readouterr().out
    assert "without any custom section" in out and "Strip preview" in out


@pytest.mark.parametrize("keep,expected", [("", set()), ("name", {"name"}),
                                           ("name,producers", {"name", "producers"})])
def test_write(wasm: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], keep: str,
               expected: set[str]) -> None:
    out = tmp_path / "out.wasm"
    assert main(["strip", str(wasm), "-o", str(out), "--keep", keep, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    module = parse(out.read_bytes())
    assert {s.name for s in module.sections if s.is_custom} == expected
    assert doc["new_size"] == out.stat().st_size and doc["valid"] is True
    assert set(doc["kept"]) == expected


def test_in_place(wasm: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = wasm.stat().st_size
    assert main(["strip", str(wasm), "-o", str(wasm)]) == 0
    assert wasm.stat().st_size < before
    assert "validated by wasmtime" in capsys.readouterr().out


def test_missing_and_malformed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["strip", str(tmp_path / "nope.wasm")]) == 2
    assert "no such file" in capsys.readouterr().err
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(b"\0asm\x01\0\0\0\x01\x7f")
    assert main(["strip", str(bad)]) == 1  # malformed (README)
    err = capsys.readouterr().err
    assert "bad.wasm @ 0x" in err and "Traceback" not in err


def test_keep_names_not_in_the_module_are_reported(wasm: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o.wasm"
    assert main(["strip", str(wasm), "-o", str(out), "--keep", "name,nmae"]) == 0
    text = capsys.readouterr().out
    assert "no custom section named nmae" in text
    assert main(["strip", str(wasm), "-o", str(out), "--json", "--keep", "name,nmae"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["not_found"] == ["nmae"] and doc["kept"] == ["name"]
    assert doc["size"] - doc["new_size"] > 0 and doc["gzip_exact"] is True


def test_default_keep_warns_about_nothing(wasm: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    stripped = tmp_path / "s.wasm"
    assert main(["strip", str(wasm), "-o", str(stripped), "--keep", ""]) == 0
    capsys.readouterr()
    assert main(["strip", str(stripped), "-o", str(tmp_path / "t.wasm")]) == 0
    assert "no custom section" not in capsys.readouterr().out


def test_keeping_part_of_the_dwarf_is_warned(wasm: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o.wasm"
    assert main(["strip", str(wasm), "-o", str(out), "--keep", ".debug_info,name"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "only some .debug_* sections are kept" in text and ".debug_abbrev" in text
    assert main(["strip", str(wasm), "-o", str(out), "--keep", "name"]) == 0
    assert "only some" not in capsys.readouterr().out
