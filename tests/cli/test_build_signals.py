"""A build stopped from outside (SIGTERM, SIGHUP, kill -9) leaves no compiler running,
no build/.partial-* folder and the last good module in service (issues 10 and 15)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.wat import wat

ROOT = Path(__file__).resolve().parents[2]
GOOD = wat('(module (memory (export "memory") 1))')


def start_build(folder: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "workbench", "build", str(folder), "--trust"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for_pid(pid_file: Path) -> int:
    for _ in range(400):  # until the command runs (not a timing assertion)
        if pid_file.is_file() and pid_file.read_text().strip():
            return int(pid_file.read_text())
        time.sleep(0.05)
    pytest.fail("the build command never started")


def assert_gone(pid: int) -> None:
    for _ in range(200):  # the watchdog checks every second
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    pytest.fail("the build command outlived the workbench")


def module(tmp_path: Path, command: str) -> Path:
    folder = tmp_path / "own"
    (folder / "build").mkdir(parents=True, exist_ok=True)
    (folder / "module.toml").write_text(f"command = {command!r}\n")
    return folder


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_or_sighup_during_build_kills_the_compiler_and_cleans_up(
        tmp_path: Path, signum: int) -> None:
    folder = module(tmp_path, "echo $$ > compiler.pid; sleep 30")
    proc = start_build(folder)
    pid = wait_for_pid(folder / "compiler.pid")
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert_gone(pid)
    assert not list((folder / "build").glob(".partial-*"))


def test_kill_9_during_a_command_build_keeps_the_last_good_module(tmp_path: Path) -> None:
    """The command overwrites the output itself, then the workbench is killed: the command
    dies with it, and the next build puts the last good module back."""
    folder = module(tmp_path, "echo $$ > compiler.pid; printf broken > build/own.wasm; "
                              "sleep 30")
    output = folder / "build" / "own.wasm"
    output.write_bytes(GOOD)
    proc = start_build(folder)
    pid = wait_for_pid(folder / "compiler.pid")
    for _ in range(200):
        if output.read_bytes() != GOOD:
            break
        time.sleep(0.05)
    proc.kill()
    proc.communicate(timeout=30)
    assert_gone(pid)
    assert output.read_bytes() == b"broken"  # what the killed build left behind
    (folder / "module.toml").write_text("command = 'exit 3'\n")
    again = start_build(folder)
    again.communicate(timeout=60)
    assert again.returncode == 1
    assert output.read_bytes() == GOOD
    assert not list((folder / "build").glob(".partial-*"))
