"""`workbench inspect`: the `sources` key (DWARF), `--diff OLD` and `--by source`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cmodules import c_modules, parse
from workbench.cli import main


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, data in c_modules().items():
        out[name] = tmp_path / f"{name}.wasm"
        out[name].write_bytes(data)
    return out


def _json(capsys: pytest.CaptureFixture[str]) -> dict:
    return json.loads(capsys.readouterr().out)


def test_sources_key(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(files["dwarf5"]), "--json"]) == 0
    doc = _json(capsys)
    code = parse(files["dwarf5"].read_bytes()).section("code").size
    assert doc["sources_status"] == "ok"
    assert sum(row["size"] for row in doc["sources"]) == code
    assert {row["file"] for row in doc["sources"]} == {"a.c", "b.c", "<unattributed>"}
    assert "functions" in doc and "sections" in doc  # the reader's keys are intact


def test_sources_null_without_dwarf(files: dict[str, Path],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(files["nodwarf"]), "--json"]) == 0
    doc = _json(capsys)
    assert doc["sources"] is None and doc["sources_status"] == "absent"


def test_diff_json(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(files["dwarf4_v2"]), "--json", "--diff",
                 str(files["dwarf4"])]) == 0
    diff = _json(capsys)["diff"]
    assert diff["total"]["delta"] == files["dwarf4_v2"].stat().st_size - files[
        "dwarf4"].stat().st_size
    added = [f for f in diff["functions"] if f["status"] == "added"]
    assert [f["name"] for f in added] == ["fourth"]
    assert {s["name"]: s["delta"] for s in diff["sources"]}["b.c"] == added[0]["delta"]


def test_by_source_json_includes_sources(files: dict[str, Path],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(files["partial"]), "--json", "--by", "source"]) == 0
    doc = _json(capsys)
    assert [r["kind"] for r in doc["view"]["rows"]] == ["item", "unattributed"]
    assert doc["sources"][-1]["file"] == "<unattributed>"


def test_human_report_blocks(files: dict[str, Path],
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(files["dwarf4_v2"]), "--diff", str(files["dwarf4"])]) == 0
    out = capsys.readouterr().out
    assert "Code by source file (DWARF)" in out
    assert "Diff against" in out and "fourth (added)" in out


def test_diff_old_missing(files: dict[str, Path], capsys: pytest.CaptureFixture[str],
                          tmp_path: Path) -> None:
    assert main(["inspect", str(files["dwarf4"]), "--json", "--diff",
                 str(tmp_path / "gone.wasm")]) == 2
    assert "cannot read the --diff module" in capsys.readouterr().err


def test_bad_diff_old_fails_before_any_report(files: dict[str, Path],
                                              capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(files["dwarf4"].read_bytes()[:40])
    assert main(["inspect", str(files["dwarf4_v2"]), "--diff", str(bad)]) == 1  # malformed
    out = capsys.readouterr()
    assert out.out == ""  # no half report before the error
    assert "bad.wasm @ 0x" in out.err


def test_diff_against_a_component_is_refused(files: dict[str, Path],
                                             capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    from tests.core.test_inspect_component import _component

    comp = tmp_path / "comp.wasm"
    comp.write_bytes(_component())
    assert main(["inspect", str(files["dwarf4"]), "--diff", str(comp), "--json"]) == 2
    assert "component" in capsys.readouterr().err


@pytest.mark.parametrize("by", ["function", "source", "section", "data"])
def test_by_view_shows_overhead_rows_and_a_total_that_adds_up(
        by: str, files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.core.size.breakdown import view

    module = parse(files["dwarf5"].read_bytes())
    v = view(module, by)
    assert main(["inspect", str(files["dwarf5"]), "--by", by, "--top", "1"]) == 0
    out = capsys.readouterr().out
    for row in v.rows:
        if row.kind != "item":  # never folded into "… more"
            assert row.name in out
    total = next(line for line in out.splitlines() if line.strip().startswith("total"))
    assert f"{v.total:,d}" in total


def test_diff_table_more_rows_carry_their_delta(files: dict[str, Path],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.core.size.diff import diff_modules

    old, new = (parse(files[k].read_bytes()) for k in ("dwarf4", "dwarf4_v2"))
    diff = diff_modules(old, new)
    changed = [r for r in diff.sections if r.status != "same"]
    assert len(changed) > 1
    assert main(["inspect", str(files["dwarf4_v2"]), "--diff", str(files["dwarf4"]),
                 "--top", "1"]) == 0
    out = capsys.readouterr().out
    rest = sum(r.delta for r in changed[1:])
    more = next(line for line in out.splitlines() if "more changed" in line)
    assert more.split()[-1] == f"{rest:+,d}"


def test_size_keys_are_null_not_missing_for_unreadable_files(
        files: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(b"\x00asm\x01\x00\x00\x00\x01\x09")
    for extra in ([], ["--by", "section"]):
        assert main(["inspect", "--json", str(bad), str(tmp_path / "gone.wasm"),
                     "--diff", str(files["dwarf4"]), *extra]) == 2  # gone: usage
        docs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert [(d["file"], d["error"]["kind"]) for d in docs] == [
            (str(bad), "malformed"), (str(tmp_path / "gone.wasm"), "io")]
        for doc in docs:
            for key in ("sources", "sources_status", "sources_warning", "diff"):
                assert key in doc and doc[key] is None
            assert doc.get("view", "absent") in (None, "absent") and ("view" in doc) == bool(extra)


def test_estimated_gzip_is_said_in_the_human_report(
        files: dict[str, Path], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.core.size.inspect as core_inspect

    monkeypatch.setattr(core_inspect, "EXACT_GZIP_LIMIT", 16)  # every file counts as large
    assert main(["inspect", str(files["dwarf4"])]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "gzip -9 ≈" in out and "estimated above 4 MiB" in out and "--exact-gzip" in out
    assert main(["inspect", str(files["dwarf4"]), "--exact-gzip"]) == 0
    assert "≈" not in capsys.readouterr().out


def _rust_like(hash_: str, extra: str) -> bytes:
    from tests.core.test_wasm_reader import custom, leb, section, vec_name
    from tests.wat import wat

    code = wat('(module (func (export "handle") (param i32) (result i32) local.get 0 '
               f'{extra}) (func nop))')
    names = (leb(2) + leb(0) + vec_name(f"_ZN5hello7handler17h{hash_}E")
             + leb(1) + vec_name("_RNvCs1234_7mycrate4main"))
    return code + custom("name", section(1, names))


def test_rust_names_demangled_and_diff_ignores_hashes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.wasm", tmp_path / "new.wasm"
    old.write_bytes(_rust_like("0123456789abcdef", ""))
    new.write_bytes(_rust_like("fedcba9876543210", "i32.const 5 i32.add"))
    assert main(["inspect", str(new), "--diff", str(old), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [f["name"] for f in doc["functions"]] == ["hello::handler", "mycrate::main"]
    rows = {r["name"]: r for r in doc["diff"]["functions"]}
    assert set(rows) == {"hello::handler", "mycrate::main"}  # matched across the new hash
    assert rows["hello::handler"]["status"] == "changed" and rows["hello::handler"]["delta"] == 3
    assert doc["diff"]["functions_note"] is None
    assert main(["inspect", str(new), "--diff", str(old)]) == 0
    out = capsys.readouterr().out
    assert "hello::handler" in out and "(added)" not in out and "(removed)" not in out


def test_human_report_says_when_there_is_no_dwarf(files: dict[str, Path],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(files["nodwarf"])]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Code by source file: no DWARF in this module" in out
    assert main(["inspect", str(files["dwarf4"])]) == 0
    assert "no DWARF" not in capsys.readouterr().out
