"""Hostile modules through the CLI in a subprocess: Ctrl-C, WASI sleeps, a clean exit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.core.runtime.test_limits_hostile import _wagi_with_poll, sleep_body

ROOT = Path(__file__).resolve().parents[2]
SLEEP_30S = sleep_body(30_000_000_000) + """
  (drop (call $poll (i32.const 1024) (i32.const 2048) (i32.const 1) (i32.const 3000)))
  (call $write (i32.const 200) (i32.const 31))"""


def workbench(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WORKBENCH_CACHE_KEY": str(cwd / "key")}
    return subprocess.Popen([sys.executable, "-m", "workbench", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_30s_wasi_sleep_under_a_50ms_limit_times_out_and_exits_cleanly(tmp_path) -> None:
    (tmp_path / "sleep.wasm").write_bytes(_wagi_with_poll(SLEEP_30S))
    p = workbench("run", "sleep.wasm", "--timeout-ms", "50", "--json",
                  "--cache-dir", str(tmp_path / "c"), cwd=tmp_path)
    out, err = p.communicate(timeout=25)  # the sleep would take 30 s
    assert p.returncode == 1, err  # a failed request, not SIGABRT (134 / -6)
    doc = json.loads(out)
    assert doc["error"]["kind"] == "timeout"
    assert "panicked" not in err and "Traceback" not in err


@pytest.mark.parametrize("command", [["bench", "-n", "5"], ["run"]])
def test_ctrl_c_during_a_wasi_sleep_exits_130_without_a_traceback(tmp_path, command) -> None:
    """Ctrl-C during `bench` used to end in a KeyError (exit 1) or a Rust abort; during
    `run` a 30 s nanosleep ignored it."""
    (tmp_path / "sleep.wasm").write_bytes(_wagi_with_poll(SLEEP_30S))
    cache = tmp_path / "c"
    p = workbench(command[0], "sleep.wasm", *command[1:], "--timeout-ms", "60000",
                  "--cache-dir", str(cache), cwd=tmp_path)
    deadline = time.monotonic() + 20
    while not list(cache.glob("*.cwasm")) and time.monotonic() < deadline:
        time.sleep(0.05)  # compiled: the bench's first request is now sleeping
    time.sleep(0.2)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=20)  # the guest's sleep would take 30 s more
    assert p.returncode == 130, (out, err)
    assert "Traceback" not in err and "KeyError" not in err and "panicked" not in err


def test_a_wagi_run_exits_without_a_rust_panic(tmp_path) -> None:
    """wasmtime's WASI worker threads used to panic at interpreter exit after a complete
    result ("panic in a function that cannot unwind", sometimes SIGABRT, exit 134)."""
    from tests.core.runtime.handlers import wagi, wdata

    body = ("(call $write_err (i32.const 100) (i32.const 10))"
            " (call $write (i32.const 200) (i32.const 28))")
    (tmp_path / "w.wasm").write_bytes(
        wagi(body, data=wdata(100, b"to stderr\n") + wdata(200, b"Content-Type: text/plain\n\nhi")))
    for _ in range(4):  # it happened on most runs, not all
        p = workbench("run", "w.wasm", "--json", "--cache-dir", str(tmp_path / "c"), cwd=tmp_path)
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0 and json.loads(out)["body"] == "hi", err
        assert "panicked" not in err, err
