"""`workbench build` and `workbench watch` from the command line: exit codes and JSON."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.cli import main

GOOD = """(module (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))
"""


def _modules(tmp_path: Path) -> Path:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "h.wat").write_text(GOOD)
    return tmp_path


def test_build_json_all_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _modules(tmp_path)
    assert main(["build", str(root), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is True
    assert [m["module"] for m in doc["modules"]] == ["one", "two"]
    assert all(m["size"] > 8 and Path(m["wasm_path"]).is_file() for m in doc["modules"])


def test_build_failure_exit_1_with_diagnostics(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = _modules(tmp_path)
    (root / "two" / "h.wat").write_text("(module (func oops))")
    assert main(["build", str(root), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    two = doc["modules"][1]
    assert doc["ok"] is False and two["ok"] is False
    assert two["diagnostics"][0]["file"] == "h.wat" and two["diagnostics"][0]["line"] == 1


def test_build_human_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _modules(tmp_path)
    (root / "two" / "h.wat").write_text("(module (func oops))")
    assert main(["build", str(root)]) == 1
    out = capsys.readouterr().out
    assert "✓ one" in out and "✗ two" in out and "h.wat:1:" in out and "1/2 modules built" in out


def test_config_error_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _modules(tmp_path)
    (root / "one" / "module.toml").write_text('profile = "fast"\n')
    assert main(["build", str(root / "one")]) == 2
    err = capsys.readouterr().err
    assert "module.toml:1: profile" in err and "debug, release" in err
    assert "Traceback" not in err


def test_build_default_is_current_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = _modules(tmp_path)
    monkeypatch.chdir(root / "one")
    assert main(["build", "--json"]) == 0
    assert [m["module"] for m in json.loads(capsys.readouterr().out)["modules"]] == ["one"]


def test_size_delta_reads_well(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _modules(tmp_path)
    assert main(["build", str(root / "one")]) == 0
    first = capsys.readouterr().out
    assert "(" not in first.split("wat/")[0]  # first build: no delta at all
    assert main(["build", str(root / "one")]) == 0
    assert "(±0 B)" in capsys.readouterr().out
    (root / "one" / "h.wat").write_text(GOOD.replace("i32.const 0)", "i32.const 123456)"))
    assert main(["build", str(root / "one")]) == 0
    assert "(+2 B)" in capsys.readouterr().out


def test_one_broken_module_does_not_stop_the_others(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    root = _modules(tmp_path)
    (root / "one" / "module.toml").write_text('sources = ["missing/*.wat"]\n')
    assert main(["build", str(root)]) == 2  # a configuration mistake (README exit status)
    captured = capsys.readouterr()
    assert "✓ two" in captured.out and "1/2 modules built" in captured.out
    assert "module.toml:1: sources" in captured.err and "Traceback" not in captured.err


def test_linker_errors_are_printed_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.c").write_text("int unrelated(int x) { return x; }\n")
    assert main(["build", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.count("symbol exported via --export not found: handle") == 1
    assert "<build>" not in out and "docs/handler-abi.md" in out


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_watch_json_lines_and_clean_stop(tmp_path: Path, stop_signal: signal.Signals) -> None:
    root = _modules(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "watch", str(root / "one"),
                             "--json", "--no-replay"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        events = []
        assert proc.stdout is not None
        for line in proc.stdout:
            events.append(json.loads(line))
            if events[-1]["event"] == "finished":
                break
        assert [e["event"] for e in events] == ["watching", "started", "finished"]
        assert events[-1]["module"] == "one" and events[-1]["size"] > 8
    finally:
        time.sleep(0.1)  # let the watcher settle before the interrupt (not an assertion)
        proc.send_signal(stop_signal)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert not list((root / "one" / "build").glob(".partial-*"))


def test_ctrl_c_during_build_kills_the_compilers(tmp_path: Path) -> None:
    for name in ("slow1", "slow2"):  # side by side on a multi-core machine
        (tmp_path / name).mkdir()
        (tmp_path / name / "module.toml").write_text(
            'command = "echo $$ > compiler.pid; sleep 30"\n')
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "build", "--trust", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wanted = min(2, os.cpu_count() or 1)

    def started() -> list[Path]:
        return [f for f in tmp_path.glob("*/compiler.pid") if f.read_text().strip()]

    for _ in range(300):  # wait until the commands run (not a timing assertion)
        if len(started()) >= wanted:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode != 0 and "Traceback" not in err
    compilers = [int(f.read_text()) for f in started()]
    assert compilers
    for compiler in compilers:
        for _ in range(100):
            try:
                os.kill(compiler, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            os.kill(compiler, signal.SIGKILL)
            pytest.fail("a build command outlived `workbench build`")
    assert not list(tmp_path.glob("*/build/.partial-*"))


@pytest.mark.parametrize("value, says", [("-5", "outside 0..5000"), ("x", "whole number")])
def test_watch_rejects_a_bad_debounce(value: str, says: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["watch", "--debounce-ms", value])
    assert info.value.code == 2 and says in capsys.readouterr().err


@pytest.mark.parametrize("command", ["build", "check", "watch"])
def test_workspace_without_modules_exit_2(command: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "workbench.toml").write_text("modules = []\n")
    assert main([command, str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"workbench.toml: no modules to {command}" in err and "hint:" in err


@pytest.mark.parametrize("command", ["build", "check", "watch"])
def test_a_device_is_not_a_workspace(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, os.devnull]) == 2
    err = capsys.readouterr().err
    assert f"{os.devnull}: expected a folder, a workbench.toml or a .wasm file" in err
