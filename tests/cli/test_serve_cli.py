"""`workbench serve` as a user runs it: `python -m workbench serve ...` in a subprocess,
real clients (http.client, curl, headless Chromium), live reload, SIGTERM, replay --url.
Waits poll for state; nothing here asserts on speed (benchmarks/bench_serve.py does)."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.services.serve.helpers import edge_wat, write_module

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "COLUMNS": "120"}


class Serve:
    """`python -m workbench serve ARGS --listen 127.0.0.1:0 --json`, lines collected."""

    def __init__(self, *args: str, json_lines: bool = True, listen: str = "127.0.0.1:0"):
        cmd = [sys.executable, "-m", "workbench", "serve", *args, "--listen", listen]
        if json_lines:
            cmd.append("--json")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=_env())
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url = ""
        self.port = 0

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def docs(self) -> list[dict[str, Any]]:
        return [json.loads(ln) for ln in list(self.lines) if ln.startswith("{")]

    def wait_for(self, pred: Any, timeout: float = 60) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for d in self.docs():
                if pred(d):
                    return d
            if self.proc.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.02)
        err = self.proc.stderr.read() if self.proc.poll() is not None and self.proc.stderr \
            else ""
        raise AssertionError(f"not seen; lines: {self.lines[-20:]}\nstderr: {err}")

    def __enter__(self) -> Serve:
        started = self.wait_for(lambda d: d.get("event") == "routes")
        self.url = started["url"]
        self.port = int(self.url.rsplit(":", 1)[1])
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def get(self, path: str) -> tuple[int, bytes]:
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            c.request("GET", path)
            r = c.getresponse()
            return r.status, r.read()
        finally:
            c.close()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    write_module(root / "site", edge_wat("site"), route="/")
    write_module(root / "api", edge_wat("api"), route="/api")
    write_module(root / "slow", edge_wat(loop_forever=True), route="/slow",
                 limits="timeout_ms = 500")
    (root / "workbench.toml").write_text('modules = ["site", "api", "slow"]\n')
    return root


def test_routes_records_and_sigterm_finishes_in_flight(workspace: Path) -> None:
    with Serve(str(workspace)) as s:
        routes = s.docs()[[d.get("event") for d in s.docs()].index("routes")]["routes"]
        assert [r["prefix"] for r in routes] == ["/", "/api", "/slow"]
        assert s.get("/api/users") == (200, b"api")
        assert s.get("/apis") == (200, b"site")  # whole segments: /apis is not /api
        rec = s.wait_for(lambda d: d.get("target") == "/api/users")
        assert rec["module"] == "api" and rec["answered_by"] == "module"
        assert set(rec["phases"]) == {"queue", "hooks", "instantiate", "handler", "run",
                                      "total"}
        assert rec["fuel"] > 0 and rec["bytes_out"] == 3
        out: list[int] = []
        t = threading.Thread(target=lambda: out.append(s.get("/slow")[0]))
        t.start()
        s.wait_for(lambda d: d.get("event") == "watching")
        time.sleep(0.25)  # the request reaches its worker; its handler runs 500 ms
        s.proc.send_signal(signal.SIGTERM)
        t.join(30)
        assert s.proc.wait(30) == 0
    assert out == [500]  # the in-flight request got its answer (the handler's timeout)
    kinds = [d.get("event") for d in s.docs()]
    assert "stopping" in kinds
    slow = [d for d in s.docs() if d.get("target") == "/slow"]
    assert slow and slow[0]["error"]["kind"] == "timeout"


def test_human_log_prints_the_route_table(workspace: Path) -> None:
    s = Serve(str(workspace), json_lines=False)
    try:
        deadline = time.monotonic() + 60
        while not any("routes (longest prefix wins)" in ln for ln in s.lines):
            assert time.monotonic() < deadline and s.proc.poll() is None, s.lines
            time.sleep(0.02)
        while len(s.lines) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        table = "\n".join(s.lines)
        assert "/api" in table and "api (build 1, edge, warm)" in table
    finally:
        s.proc.send_signal(signal.SIGINT)
        assert s.proc.wait(30) == 0


def test_live_reload_swaps_and_a_failed_build_keeps_the_last_good(tmp_path: Path) -> None:
    mod = write_module(tmp_path / "live", edge_wat("v1"))
    with Serve(str(mod)) as s:
        assert s.get("/") == (200, b"v1")
        s.wait_for(lambda d: d.get("event") == "watching")
        deadline = time.monotonic() + 60
        while s.get("/")[1] != b"v2":
            # Saved again until seen: a save in the instant before the file watcher is
            # set up is not noticed (the watcher compares contents, so a re-save is).
            (mod / "handler.wat").write_text(edge_wat("v2"))
            assert time.monotonic() < deadline, s.lines[-10:]
            time.sleep(0.2)
        (mod / "handler.wat").write_text("(module (func $broken")
        failed = s.wait_for(lambda d: d.get("event") == "build_failed")
        assert "still serving the last good build (build 2)" in failed["message"]
        assert s.get("/") == (200, b"v2")
        rec = [d for d in s.docs() if d.get("target") == "/"][-1]
        assert rec["build"] == 2


def test_replay_url_against_the_server_and_a_dead_port(tmp_path: Path) -> None:
    mod = write_module(tmp_path / "m", edge_wat("hello"))
    (mod / "requests").mkdir()
    (mod / "requests" / "a.hurl").write_text(
        "GET http://localhost/x\nHTTP 200\n[Asserts]\nbody == \"hello\"\nfuel < 1000000\n")
    with Serve(str(mod)) as s:
        out = subprocess.run([sys.executable, "-m", "workbench", "replay", str(mod), "--url",
                              s.url, "--json"], capture_output=True, text=True, env=_env(),
                             timeout=120)
        assert out.returncode == 0, out.stdout + out.stderr
        doc = json.loads(out.stdout)
        entry = doc["reports"][0]["entries"][0]
        assert doc["passed"] and entry["status"] == 200 and entry["fuel"] > 0
        port = s.port
    dead = subprocess.run([sys.executable, "-m", "workbench", "replay", str(mod), "--url",
                           f"http://127.0.0.1:{port}", "--json"], capture_output=True,
                          text=True, env=_env(), timeout=120)
    assert dead.returncode == 1 and "Traceback" not in dead.stderr
    entry = json.loads(dead.stdout)["reports"][0]["entries"][0]
    assert entry["error"]["kind"] == "connection"
    bad = subprocess.run([sys.executable, "-m", "workbench", "replay", str(mod), "--url",
                          "ftp://x"], capture_output=True, text=True, env=_env(), timeout=60)
    assert bad.returncode == 2 and "--url" in bad.stderr


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_thousand_traps_leave_rss_flat(tmp_path: Path) -> None:
    mod = write_module(tmp_path / "trap", edge_wat(trap=True))
    with Serve(str(mod)) as s:
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)

        def hit(n: int) -> None:
            for _ in range(n):
                c.request("GET", "/")
                r = c.getresponse()
                r.read()
                assert r.status == 500

        hit(200)  # warm-up: pools, caches, the first instances
        before = _rss_kb(s.proc.pid)
        hit(1000)
        after = _rss_kb(s.proc.pid)
        c.close()
    assert abs(after - before) < 5 * 1024, f"RSS {before} KiB -> {after} KiB"


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl not installed")
def test_curl_reuses_one_connection(tmp_path: Path) -> None:
    mod = write_module(tmp_path / "c", edge_wat("curled"))
    with Serve(str(mod)) as s:
        out = subprocess.run(["curl", "-sv", f"{s.url}/a", f"{s.url}/b"],
                             capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout == "curledcurled"
    assert "Re-using existing connection" in out.stderr or "Reusing" in out.stderr


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed")
def test_headless_chromium_loads_the_page(tmp_path: Path) -> None:
    html = "<!doctype html><title>wb</title><h1 id=x>served by wasm</h1>"
    mod = write_module(tmp_path / "page", edge_wat(html, content_type="text/html"))
    with Serve(str(mod)) as s:
        out = subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", f"{s.url}/"],
            capture_output=True, text=True, timeout=120)
        rec = s.wait_for(lambda d: d.get("target") == "/" and d.get("status") == 200)
    assert '<h1 id="x">served by wasm</h1>' in out.stdout, out.stderr[-2000:]
    assert rec["answered_by"] == "module"


def test_listen_mistakes_exit_2(tmp_path: Path) -> None:
    mod = write_module(tmp_path / "m", edge_wat())
    bad = subprocess.run([sys.executable, "-m", "workbench", "serve", str(mod), "--listen",
                          "127.0.0.1:99999"], capture_output=True, text=True, env=_env(),
                         timeout=60)
    assert bad.returncode == 2 and "--listen" in bad.stderr and "Traceback" not in bad.stderr
    with Serve(str(mod)) as s:
        busy = subprocess.run([sys.executable, "-m", "workbench", "serve", str(mod),
                               "--listen", f"127.0.0.1:{s.port}"], capture_output=True,
                              text=True, env=_env(), timeout=60)
    assert busy.returncode == 2 and "cannot listen" in busy.stderr


def test_another_address_only_when_asked_and_with_a_warning(tmp_path: Path) -> None:
    mod = write_module(tmp_path / "m", edge_wat())
    with Serve(str(mod)) as s:
        listening = s.wait_for(lambda d: d.get("event") == "listening")
        assert s.url.startswith("http://127.0.0.1:") and "not loopback" not in \
            listening["message"]
    with Serve(str(mod), listen="0.0.0.0:0") as s:
        listening = s.wait_for(lambda d: d.get("event") == "listening")
        assert "not loopback" in listening["message"]


@pytest.mark.parametrize("content,says", [
    (b"garbage", "not a WebAssembly module"),
    # a core module that is no handler (no alloc/handle, no _start)
    (bytes.fromhex("0061736d01000000"), "docs/handler-abi.md"),
])
def test_a_lone_file_that_cannot_be_served_is_refused_at_start(
        tmp_path: Path, content: bytes, says: str) -> None:
    """Nothing rebuilds a lone .wasm: instead of a server answering 503 forever, exit
    with the reason and what to do (found serving a Fastly Compute module)."""
    path = tmp_path / "x.wasm"
    path.write_bytes(content)
    r = subprocess.run([sys.executable, "-m", "workbench", "serve", str(path), "--listen",
                        "127.0.0.1:0"], capture_output=True, text=True, env=_env(),
                       timeout=60)
    assert r.returncode == 1  # the module failed (README exit status)
    err = " ".join(r.stderr.split())
    assert says in err and "Traceback" not in r.stderr
    assert "listening" not in r.stdout + r.stderr
