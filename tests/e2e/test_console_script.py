"""The end-to-end tier: every subcommand through the installed `workbench` console script.

Each runs as a user would run it (a subprocess, from a workspace made by `workbench
init`), and must exit as documented, print parseable JSON where `--json` is given, and
never show a Python traceback.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(sysconfig.get_path("scripts")) / "workbench"


def wb(*args: str, cwd: Path | None = None, ok: tuple[int, ...] = (0,),
       timeout: float = 300, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert SCRIPT.exists(), (f"{SCRIPT} is missing: install the project first "
                             "(python3 -m pip install -e '.[test]')")
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    out = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd,
                         timeout=timeout, env=env, input=stdin)
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode in ok, f"exit {out.returncode}\n{out.stdout}\n{out.stderr}"
    return out


def docs(out: subprocess.CompletedProcess[str]) -> list[Any]:
    lines = [ln for ln in out.stdout.splitlines() if ln.strip()]
    assert lines, "no JSON on stdout"
    return [json.loads(ln) for ln in lines]


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("e2e") / "my-edge"
    made = docs(wb("init", str(root), "--sample", "hello-wat", "--sample", "kv-counter-c",
                   "--json"))[0]
    assert made["modules"] == ["hello-wat", "kv-counter-c"]
    built = docs(wb("build", str(root), "--json"))[0]
    assert [m["module"] for m in built["modules"]] == ["hello-wat", "kv-counter-c"]
    assert built["ok"], built
    return root


def test_version_and_help() -> None:
    assert wb("--version").stdout.startswith("workbench ")
    text = wb("--help").stdout
    for command in ("init", "build", "inspect", "run", "bench", "replay", "kv", "--theme"):
        assert command in text
    unknown = wb("no-such-command", ok=(2,))
    assert "invalid choice" in unknown.stderr


def test_python_dash_m() -> None:
    out = subprocess.run([sys.executable, "-m", "workbench", "--version"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("workbench ")


def test_inspect_strip_check(ws: Path) -> None:
    wasm = ws / "hello-wat" / "build" / "hello-wat.wasm"
    report = docs(wb("inspect", str(wasm), "--json"))[0]
    assert report["size"] == wasm.stat().st_size
    assert report["abi"]["name"] == "edge"
    stripped = docs(wb("strip", str(wasm), "--json"))[0]
    assert stripped["size"] == wasm.stat().st_size
    checks = docs(wb("check", str(ws), "--json", ok=(0, 1)))[0]
    assert [m["name"] for m in checks["modules"]] == ["hello-wat", "kv-counter-c"]


def test_run_bench_replay(ws: Path) -> None:
    ran = docs(wb("run", str(ws / "hello-wat"), "--json"))[0]
    assert ran["status"] == 200 and ran["module"] == "hello-wat"
    bench = docs(wb("bench", str(ws / "hello-wat"), "-n", "20", "--json"))[0]
    assert bench["n"] == 20
    replayed = docs(wb("replay", str(ws), "--json"))[0]
    assert replayed["passed"] is True
    assert [r["module"] for r in replayed["reports"]] == ["hello-wat", "kv-counter-c"]


def test_kv_hooks_import_curl(ws: Path) -> None:
    wb("kv", "put", "greeting", "hi", "--workspace", str(ws))
    got = docs(wb("kv", "get", "greeting", "--workspace", str(ws), "--json"))[0]
    assert got["value"] == "hi"
    listed = docs(wb("kv", "list", "--workspace", str(ws), "--json"))[0]
    assert listed["items"]["greeting"] == "hi"
    hooks = docs(wb("hooks", str(ws / "hello-wat" / "hooks.toml"), "--path", "/healthz",
                    "--json"))[0]
    assert hooks["results"][0]["answered"] is True
    entry = wb("import-curl", "curl -X POST https://example.com/api -d x=1").stdout
    assert entry.startswith("POST http") and "example.com/api" in entry


def test_errors_are_one_line(ws: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(b"not wasm at all")
    out = wb("run", str(bad), ok=(1,))  # a malformed module: README exit status 1
    assert "not a WebAssembly module" in out.stderr
    out = wb("run", str(tmp_path / "missing.wasm"), ok=(2,))
    assert "no such module" in out.stderr
    out = wb("init", str(ws), ok=(2,))
    assert "not an empty folder" in out.stderr


def test_watch_starts_builds_and_stops_on_sigterm(ws: Path) -> None:
    proc = subprocess.Popen([str(SCRIPT), "watch", str(ws / "hello-wat"), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        seen: list[dict[str, Any]] = []
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(json.loads(line))
            if seen[-1].get("event") in ("build_finished", "replay_finished", "watching"):
                break
        assert seen, "watch printed nothing"
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err
    assert proc.returncode in (0, 130, -signal.SIGTERM)


def test_purity_keygen_sign_verify_trust(ws: Path, tmp_path: Path) -> None:
    pure = docs(wb("purity", str(ws / "hello-wat"), "--json"))[0]
    assert pure["safe"] is True and pure["module"] == "hello-wat"
    keys = tmp_path / "keys"
    wb("keygen", "ci", "--dir", str(keys))
    wasm = ws / "hello-wat" / "build" / "hello-wat.wasm"
    signed = tmp_path / "signed.wasm"
    signed.write_bytes(wasm.read_bytes())
    wb("sign", str(signed), "--key", str(keys / "ci.key"))
    verdict = docs(wb("verify", str(signed), "-K", str(keys / "ci.pub"), "--json"))[0]
    assert verdict["ok"] is True
    tampered = bytearray(signed.read_bytes())
    tampered[-1] ^= 0xFF
    signed.write_bytes(bytes(tampered))
    bad = wb("verify", str(signed), "-K", str(keys / "ci.pub"), ok=(1, 2))
    assert "changed" in bad.stdout + bad.stderr or "REFUSED" in bad.stdout + bad.stderr
    shown = docs(wb("trust", str(ws), "--show", "--json"))[0]
    assert "hello-wat" in json.dumps(shown)
