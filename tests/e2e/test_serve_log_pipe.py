"""`workbench serve` whose stdout is a pipe: a reader that stops reading must not stall
the server (its lines are dropped and counted, then one `log_dropped` line says how
many), a stop must not wait for it, and a reader that exits (`| head -1`) ends the
server quietly."""

from __future__ import annotations

import http.client
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.services.serve.helpers import edge_wat, write_module

REPO = Path(__file__).resolve().parents[2]
BODY = (b"the quick brown fox jumps over the lazy dog " * 1200)[:50_000]  # logged whole
REQUESTS = 200  # 200 x ~50 KB of JSON lines: past the 4 MiB bound


def _start(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[bytes], int]:
    """A server on a free port, its stdout a pipe nobody reads after the routes line."""
    mod = write_module(tmp_path / "echo", edge_wat("ok"))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "serve", str(mod),
                             "--listen", "127.0.0.1:0", "--no-reload", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while True:
        assert time.monotonic() < deadline, "serve did not start"
        line = proc.stdout.readline()
        assert line, f"serve exited: {proc.stderr.read() if proc.stderr else ''!r}"
        if b'"event":"routes"' in line.replace(b" ", b""):  # after `processes`
            return proc, int(json.loads(line)["url"].rsplit(":", 1)[1])
        if line.startswith(b"  http://"):
            return proc, int(line.split(b"://", 1)[1].split(b"/")[0].split(b":")[1])


def _post_all(port: int, n: int = REQUESTS, conns: int = 10) -> float:
    """n POSTs over `conns` keep-alive connections in turn (with --processes 2, both
    processes get some); the seconds they took (each must answer)."""
    t0 = time.monotonic()
    for _ in range(conns):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(n // conns):
            conn.request("POST", "/", body=BODY)
            resp = conn.getresponse()
            assert resp.status == 200 and resp.read() == b"ok"
        conn.close()
    return time.monotonic() - t0


def _read_until_exit(proc: subprocess.Popen[bytes], timeout: float) -> bytes:
    assert proc.stdout is not None
    fd, chunks, deadline = proc.stdout.fileno(), [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 0.5)[0]:
            data = os.read(fd, 1 << 20)
            if not data:
                return b"".join(chunks)
            chunks.append(data)
    raise AssertionError("stdout did not end")


@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_stalled_reader_loses_counted_lines_not_the_server(tmp_path: Path,
                                                             processes: str) -> None:
    """With 2 processes the child's lines reach the parent's log in relayed chunks of
    several lines: each line counts (a chunk once counted as one line)."""
    proc, port = _start(tmp_path, "--json", "--processes", processes)
    try:
        took = _post_all(port)  # hangs (socket timeout) if the log blocks the loop
        assert took < 30, f"{REQUESTS} requests took {took:.1f} s"
        proc.send_signal(signal.SIGINT)  # the reader resumes only now
        out = _read_until_exit(proc, 30)
    finally:
        proc.kill() if proc.poll() is None else None
        err = proc.communicate(timeout=30)[1].decode()
    docs = [json.loads(line) for line in out.splitlines()]
    records = [d for d in docs if "status" in d]
    dropped = [d for d in docs if d.get("event") == "log_dropped"]
    assert dropped, "no log_dropped line"
    assert all(d["count"] > 0 and f"{d['count']:,} log line" in d["message"]
               for d in dropped)
    stopping = [d for d in docs if d.get("event") == "stopping"]
    # every line is either read or counted: the 200 records and the `stopping` event
    assert len(records) + len(stopping) + sum(d["count"] for d in dropped) == REQUESTS + 1
    assert records and all(r["request"]["body_bytes"] == len(BODY) for r in records)
    assert proc.returncode == 0 and "Traceback" not in err


def test_a_stop_does_not_wait_for_a_reader_that_never_reads(tmp_path: Path) -> None:
    proc, port = _start(tmp_path, "--json")
    try:
        _post_all(port)
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)  # for ever without the writer thread (loop stuck in write)
        took = time.monotonic() - t0
    finally:
        proc.kill() if proc.poll() is None else None
        err = proc.communicate(timeout=30)[1].decode()
    assert proc.returncode == 0 and "Traceback" not in err, err
    assert took < 10
    assert "log lines were not written: stdout was not being read" in err
    assert "workbench serve: up to " in err


def test_a_reader_that_exits_stops_the_server_quietly(tmp_path: Path) -> None:
    proc, port = _start(tmp_path)  # the human format, as `workbench serve X | head -3`
    assert proc.stdout is not None
    proc.stdout.close()  # the reader exits
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/")  # its log line meets the closed pipe
    assert conn.getresponse().status == 200
    conn.close()
    try:
        proc.wait(timeout=15)
    finally:
        proc.kill() if proc.poll() is None else None
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err
    assert "stopped: the reader of its output (stdout) exited" in err
