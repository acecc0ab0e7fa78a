"""`workbench serve` and `replay --url` through the installed console script."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import time
from pathlib import Path

from tests.e2e.test_console_script import SCRIPT
from tests.services.serve.helpers import edge_wat, write_module

REPO = Path(__file__).resolve().parents[2]


def test_serve_answers_replays_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    mod = write_module(tmp_path / "m", edge_wat("from the script"))
    (mod / "requests").mkdir()
    (mod / "requests" / "a.hurl").write_text('GET http://localhost/\nHTTP 200\n[Asserts]\n'
                                             'body == "from the script"\n')
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # this checkout, whatever is installed
    proc = subprocess.Popen([str(SCRIPT), "serve", str(mod), "--listen", "127.0.0.1:0",
                             "--json", "--no-reload"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        url = ""
        deadline = time.monotonic() + 120
        while not url and time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, "serve exited before listening"
            doc = json.loads(line)
            url = doc.get("url", "") if doc.get("event") == "routes" else ""
        port = int(url.rsplit(":", 1)[1])
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", "/")
        r = c.getresponse()
        assert (r.status, r.read()) == (200, b"from the script")
        c.close()
        out = subprocess.run([str(SCRIPT), "replay", str(mod), "--url", url, "--json"],
                             capture_output=True, text=True, env=env, timeout=120)
        assert out.returncode == 0, out.stdout + out.stderr
        assert json.loads(out.stdout)["passed"] is True
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err
    assert proc.returncode == 0
