"""`workbench serve --read-timeout` as a user runs it: a bad value is a usage error (exit
2, the option named), and a client trickling its body gets a 408 logged as a
`request_timeout` record."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.test_serve_log_pipe import _start
from tests.services.serve.test_slow_clients import _trickle

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf"])
def test_a_bad_read_timeout_is_a_usage_error(tmp_path: Path, value: str) -> None:
    out = subprocess.run([sys.executable, "-m", "workbench", "serve", str(tmp_path),
                          f"--read-timeout={value}"], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    assert out.returncode == 2, out.stderr
    assert "--read-timeout must be 0.1 to 86400 seconds" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_trickling_body_is_a_logged_408(tmp_path: Path) -> None:
    proc, port = _start(tmp_path, "--json", "--read-timeout", "1")
    try:
        head = b"PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n"
        how, took, _, got = _trickle(port, b"z" * 50, every=0.25, first=head)
        assert got.startswith(b"HTTP/1.1 408 ") and how == "closed" and took < 10
        head_only = b"GET / HTTP/1.1\r\nHost: x\r\n"
        how, took, _, got = _trickle(port, b"X-Slow: " + b"s" * 100, every=0.25,
                                     first=head_only)
        assert how == "closed" and got == b"" and took < 10
    finally:
        time.sleep(0.2)  # the 408's line is written within 50 ms
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    records = [json.loads(ln) for ln in out.splitlines() if b'"status"' in ln]
    assert [(r["method"], r["status"], r["error"]["kind"]) for r in records] == [
        ("PUT", 408, "request_timeout")]
    assert proc.returncode == 0 and b"Traceback" not in err
