"""`workbench serve` as a process under hostile load: out of open files (idle keep-alive
connections past the process's limit), the server logs a `server_error` event instead of
asyncio's traceback on stderr, and serves again once the connections close."""

from __future__ import annotations

import http.client
import json
import os
import resource
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

from tests.e2e.test_console_script import SCRIPT
from tests.services.serve.helpers import edge_wat, write_module

REPO = Path(__file__).resolve().parents[2]
LIMIT = 64  # open files; the server raises its soft limit to the hard one, so set both


def _limit_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (LIMIT, LIMIT))


def test_running_out_of_open_files_is_an_event_not_a_traceback(tmp_path: Path) -> None:
    mod = write_module(tmp_path / "m", edge_wat("alive"))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([str(SCRIPT), "serve", str(mod), "--listen", "127.0.0.1:0",
                             "--json", "--no-reload"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=_limit_files)
    held: list[socket.socket] = []
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        url = ""
        while not url:
            line = proc.stdout.readline()
            assert line, "serve exited before listening"
            doc = json.loads(line)
            url = doc.get("url", "") if doc.get("event") == "routes" else ""
        port = int(url.rsplit(":", 1)[1])
        out = proc.stdout
        threading.Thread(target=lambda: lines.extend(out), daemon=True).start()
        for _ in range(LIMIT + 20):  # idle connections past the limit
            held.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        deadline = time.monotonic() + 30
        while not any('"server_error"' in ln for ln in lines):
            assert time.monotonic() < deadline, "no server_error event"
            time.sleep(0.05)
        for s in held:
            s.close()
        held.clear()
        deadline = time.monotonic() + 30
        while True:  # asyncio retries accept() a second later
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/")
                assert c.getresponse().read() == b"alive"
                c.close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not recover"
                time.sleep(0.2)
    finally:
        for s in held:
            s.close()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    event = json.loads(next(ln for ln in list(lines) if '"server_error"' in ln))
    assert "socket.accept() out of system resource" in event["message"]
    assert "Too many open files" in event["message"]
    assert "Traceback" not in err and "out of system resource" not in err
    assert proc.returncode == 0
