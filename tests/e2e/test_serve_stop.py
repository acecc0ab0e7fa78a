"""Stopping `workbench serve` (issue 11's acceptance), through the installed console
script: Ctrl+C (SIGINT) and SIGTERM let a request in flight finish with its full answer,
the process exits 0 by itself, and nothing of its session is left running.

"In flight" is observed, not guessed: the handler writes a KV key (the workspace's
SQLite store, read here) before it sleeps 600 ms in WASI `poll_oneoff`, and the signal
is sent only once the key is there. No timed assertions: the figures (signal to exit)
are printed by benchmarks/bench_serve.py --stop.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.e2e.test_console_script import SCRIPT
from tests.services.serve.helpers import write_module
from workbench.core.runtime.kv import KvStore

REPO = Path(__file__).resolve().parents[2]
BODY = "finished after the signal"
_RESP = (f"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {len(BODY)}"
         f"\r\n\r\n{BODY}").encode()
_DATA = "".join(f"\\{b:02x}" for b in len(_RESP).to_bytes(4, "little") + _RESP)
# poll_oneoff on one relative monotonic-clock subscription of 600 ms (subscription at
# 1024, events at 2048): the handler sleeps 600 ms in a WASI call
SLEEP_600MS = """    (i64.store (i32.const 1024) (i64.const 7))
    (i32.store8 (i32.const 1032) (i32.const 0))
    (i32.store (i32.const 1040) (i32.const 1))
    (i64.store (i32.const 1048) (i64.const 600000000))
    (i64.store (i32.const 1056) (i64.const 0))
    (i32.store16 (i32.const 1064) (i32.const 0))
    (drop (call $poll (i32.const 1024) (i32.const 2048) (i32.const 1) (i32.const 3000)))"""
# kv_put("started", "1"), then sleep 600 ms (one relative monotonic-clock subscription),
# then answer. Data: key at 100, value at 120, subscription at 1024, events at 2048.
SLOW_WAT = f"""(module
  (import "edge" "kv_put" (func $put (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "started")
  (data (i32.const 120) "1")
  (data (i32.const 4096) "{_DATA}")
  (func (export "alloc") (param i32) (result i32) (i32.const 8192))
  (func (export "handle") (param i32 i32) (result i32)
    (drop (call $put (i32.const 100) (i32.const 7) (i32.const 120) (i32.const 1)))
{SLEEP_600MS}
    (i32.const 4096)))"""


def _start(mod: Path) -> tuple[subprocess.Popen[str], int]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # this checkout, whatever is installed
    proc = subprocess.Popen([str(SCRIPT), "serve", str(mod), "--listen", "127.0.0.1:0",
                             "--json", "--no-reload"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)  # its own session: leftovers findable
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        assert line, "serve exited before listening: " + (proc.stderr.read()
                                                          if proc.stderr else "")
        doc = json.loads(line)
        if doc.get("event") == "routes":
            return proc, int(doc["url"].rsplit(":", 1)[1])
    raise AssertionError("serve did not listen")


def _session_processes(sid: int) -> list[str]:
    out = subprocess.run(["ps", "-eo", "pid=,sid=,args="], capture_output=True, text=True)
    return [ln for ln in out.stdout.splitlines()
            if ln.split() and ln.split()[1] == str(sid)]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stop_finishes_the_request_in_flight_and_leaves_nothing(
        tmp_path: Path, sig: signal.Signals) -> None:
    mod = write_module(tmp_path / "slow", SLOW_WAT, limits="timeout_ms = 10000")
    proc, port = _start(mod)
    answer: dict[str, object] = {}

    def request() -> None:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            c.request("GET", "/slow")
            r = c.getresponse()
            answer["status"], answer["body"] = r.status, r.read().decode()
        except OSError as e:
            answer["error"] = repr(e)
        finally:
            c.close()

    client = threading.Thread(target=request)
    try:
        client.start()
        kv = KvStore.for_workspace(mod)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the handler is running: it wrote its key
            kv.refresh(force=True)
            if kv.get(b"started") == b"1":
                break
            time.sleep(0.01)
        else:
            raise AssertionError("the handler never started")
        proc.send_signal(sig)
        client.join(60)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert answer == {"status": 200, "body": BODY}, answer
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    events = [json.loads(ln).get("event") for ln in out.splitlines() if ln.startswith("{")]
    assert "stopping" in events
    records = [json.loads(ln) for ln in out.splitlines()
               if ln.startswith("{") and '"status"' in ln]
    assert [(r["target"], r["status"]) for r in records] == [("/slow", 200)]
    assert _session_processes(proc.pid) == []  # no process of its session survived
