"""`workbench inspect` end to end through the dispatcher (in-process, no subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.core.test_inspect import EDGE
from tests.core.test_wasm_reader import SIGS
from workbench.cli import main


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "edge.wasm"
    good.write_bytes(EDGE)
    sigs = tmp_path / "sigs.wasm"
    sigs.write_bytes(SIGS)
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(EDGE[:30])
    return good, sigs, bad, tmp_path / "missing.wasm"


def test_json_lines_one_per_file_and_exit_1_on_any_failure(files, capsys) -> None:
    good, sigs, bad, missing = files
    # the worst file's status: a missing one is a usage mistake (2), a malformed one 1
    assert main(["inspect", "--json", str(good), str(bad), str(missing), str(sigs)]) == 2
    docs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["file"] for d in docs] == [str(good), str(bad), str(missing), str(sigs)]
    assert docs[0]["error"] is None and docs[0]["abi"]["name"] == "edge"
    assert docs[1]["error"]["kind"] == "malformed" and docs[1]["error"]["offset"] <= 30
    assert docs[2]["error"]["kind"] == "io" and docs[2]["error"]["offset"] is None
    assert docs[3]["functions"][0]["name"] == "demo::handle"


def test_json_exit_0_when_all_good(files, capsys) -> None:
    good, sigs, _, _ = files
    assert main(["inspect", "--json", str(good), str(sigs)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_human_report_blocks(files, capsys) -> None:
    good, _, bad, _ = files
    assert main(["inspect", "--top", "1", str(good), str(bad)]) == 1
    captured = capsys.readouterr()
    out, err = captured.out, captured.err
    for text in ("Sections", "code", "Largest functions (1 of 2", "big", "Data segments",
                 "Imports (1)", "(i32, i32, i32) -> ()", "Exports (3)", "(i32, i32) -> i32",
                 "gzip -9", "ABI: edge", "100.0"):
        assert text in out, text
    assert "bad.wasm @ 0x" in err and "hint:" in err and "Traceback" not in err
    assert "bad.wasm @ 0x" not in out  # errors on stderr: stdout is the reports


def test_by_section_rows_add_up(files, capsys) -> None:
    good, _, _, _ = files
    assert main(["inspect", "--json", "--by", "section", str(good)]) == 0
    view = json.loads(capsys.readouterr().out)["view"]
    assert view["total"] == len(EDGE) == sum(r["size"] for r in view["rows"])
    assert main(["inspect", "--by", "function", str(good)]) == 0
    assert "By function" in capsys.readouterr().out


def test_bad_top_is_a_usage_error(files, capsys) -> None:
    with pytest.raises(SystemExit):
        main(["inspect", "--top", "0", str(files[0])])
    assert "positive" in capsys.readouterr().err


def test_json_path_does_not_import_rich(files) -> None:
    code = ("import sys; from workbench.cli.commands import inspect as c; import argparse;"
            f"c.run(argparse.Namespace(files=[{str(files[0])!r}], json=True, top=10,"
            "by=None, exact_gzip=False));"
            "print('rich' in sys.modules, file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stderr.strip() == "False"


def test_names_that_look_like_rich_markup_are_shown_verbatim(tmp_path, capsys) -> None:
    from tests.core.test_wasm_reader import custom, leb, section, vec_name
    from tests.wat import wat

    code = wat('(module (func (export "h[x]") (result i32) i32.const 1) (func nop) (func nop)'
               ' (memory 1) (data (i32.const 0) "abc"))')
    names = section(1, leb(3) + leb(0) + vec_name("<[u8] as core::fmt::Debug>::fmt")
                    + leb(1) + vec_name("[bold]evil[/bold]") + leb(2) + vec_name("x[/]y"))
    names += section(9, leb(1) + leb(0) + vec_name("[red]seg"))
    path = tmp_path / "m[red].wasm"
    path.write_bytes(code + custom("name", names))
    for extra in ([], ["--by", "function"], ["--by", "data"], ["--diff", str(path)]):
        assert main(["inspect", str(path), *extra]) == 0
        out = capsys.readouterr().out
        assert "m[red].wasm" in out
        if not extra:
            for text in ("<[u8] as core::fmt::Debug>::fmt", "[bold]evil[/bold]", "x[/]y",
                         "[red]seg", "h[x]"):
                assert text in out
    assert main(["strip", str(path), "-o", str(tmp_path / "o[red].wasm"), "--keep", "[b]"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "no custom section named [b] in" in out and "o[red].wasm" in out


def test_a_folder_without_modules_is_a_usage_error(tmp_path, capsys) -> None:
    assert main(["inspect", "--json", str(tmp_path)]) == 2
    assert "no modules here" in capsys.readouterr().err


def test_a_module_folder_stands_for_its_build_output(tmp_path, capsys) -> None:
    mod = tmp_path / "edge"
    mod.mkdir()
    (mod / "module.toml").write_text('toolchain = "wat"\n')
    (mod / "edge.wat").write_text("(module)\n")
    assert main(["inspect", "--json", str(mod)]) == 2  # not built yet: say so, and how
    err = capsys.readouterr().err
    assert "has not been built yet" in err and f"workbench build {mod}" in " ".join(err.split())
    (mod / "build").mkdir()
    (mod / "build" / "edge.wasm").write_bytes(EDGE)
    assert main(["inspect", "--json", str(mod)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["file"].endswith("edge.wasm") and doc["size"] == len(EDGE)


def test_largest_tables_sum_the_rest_in_one_row(files, capsys) -> None:
    from workbench.core.wasm import parse_module

    good = files[0]
    module = parse_module(good.read_bytes())
    assert main(["inspect", "--top", "1", str(good)]) == 0
    lines = capsys.readouterr().out.splitlines()
    top = max(module.functions, key=lambda f: f.size)
    more = next(line for line in lines if f"… {len(module.functions) - 1} more" in line)
    assert f"{sum(f.size for f in module.functions) - top.size:,d}" in more.split()
