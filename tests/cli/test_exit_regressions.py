"""Regression tests for the message bugs found with the exit-status matrix
(tests/cli/test_exit_matrix.py): each fails without its fix."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.unreadable import deny_opening
from tests.services.serve.helpers import edge_wat, write_module
from tests.wat import wat
from workbench.cli import main
from workbench.core.errors import MODULE_FAILED, USAGE, exit_status

REPO = Path(__file__).resolve().parents[2]
HANDLER = '''(func (export "alloc") (param i32) (result i32) i32.const 1024)
  (func (export "handle") (param i32 i32) (result i32) i32.const 0)'''
NEVER_INSTANTIATES = {
    # memory minimum (4000 pages = 250 MiB) above limits.memory_bytes (64 MiB)
    "bigmem": (f'(module (memory (export "memory") 4000) {HANDLER})',
               "limits.memory_bytes"),
    # a memory import no host defines: wasmtime refused it with a Python traceback
    "wasimem": ('(module (import "wasi_snapshot_preview1" "memory" (memory 1)) '
                f'(export "memory" (memory 0)) {HANDLER})', "cannot be linked"),
    "starttrap": (f'(module (memory (export "memory") 1) (func $s unreachable) (start $s) '
                  f'{HANDLER})', "start function"),
    "dataoob": (f'(module (memory (export "memory") 1) (data (i32.const 70000) "x") '
                f'{HANDLER})', "data or element segment"),
}


def _cli(*argv: str, cwd: Path | None = None, timeout: float = 60
         ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "workbench", *argv], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def test_one_mapping_from_error_kind_to_exit_status() -> None:
    for kind in ("malformed", "abi", "instantiate", "build", "signature"):
        assert exit_status(kind) == MODULE_FAILED, kind
    for kind in ("usage", "config", "file", "io", "request_file", "hooks", None):
        assert exit_status(kind) == USAGE, kind


def test_run_on_an_unreadable_module_names_the_permission_problem(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """It said "locked.wasm @ 0x0: cannot read module: Permission denied" as a
    *malformed* module (exit 2 then, by accident; a module failure by kind)."""
    f = tmp_path / "locked.wasm"
    f.write_bytes(wat(f'(module (memory (export "memory") 1) {HANDLER})'))
    deny_opening(monkeypatch, "locked.wasm")  # root reads a chmod 000 file anyway
    for argv in (["run", str(f)], ["bench", str(f), "-n", "1"], ["run", str(f), "--json"]):
        assert main(argv) == USAGE
        out = capsys.readouterr()
        assert f"{f}: cannot read the module: Permission denied" in out.err
        assert "@ 0x0" not in out.err and "malformed" not in out.err
        assert "hint: give yourself read access" in out.err and out.out == ""


def test_a_build_output_error_names_the_module_once(tmp_path: Path) -> None:
    """A command build writing a non-wasm file said "m2: m2: error: the built module is
    malformed ..." (the diagnostic named the module, then BuildFailed did again)."""
    mod = tmp_path / "m2"
    mod.mkdir()
    (mod / "module.toml").write_text('name = "m2"\ntoolchain = "command"\n'
                                     'command = "printf garbage > $WORKBENCH_OUTPUT"\n')
    r = _cli("run", str(mod), "--trust")
    assert r.returncode == MODULE_FAILED, r.stderr
    assert "m2: m2:" not in r.stderr
    assert "m2: build/m2.wasm: error: the built module is malformed" in r.stderr
    assert "Traceback" not in r.stderr


def test_purity_timeout_says_what_happened_and_what_to_do(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It said "handler ran longer than 10000 ms (limits.timeout_ms)" for a module whose
    limits.timeout_ms is 50: the 10 s is the purity check's own floor."""
    from workbench.core.purity import probe
    from workbench.services.purity import purity_of

    monkeypatch.setattr(probe, "PURITY_TIMEOUT_MS", 300)
    folder = write_module(tmp_path / "spin", edge_wat(loop_forever=True),
                          limits="timeout_ms = 50\nfuel = 9000000000000000000")
    report = purity_of(folder, None)
    text = " ".join(" ".join(t for _, t in report.lines()).split())
    assert not report.safe
    assert "did not answer within 300 ms" in text
    assert "the purity check gives each call at least 300 ms; limits.timeout_ms is 50 ms" \
        in text
    assert "Fix the loop" in text and "raise limits.timeout_ms in module.toml" in text
    assert "longer than 300 ms (limits.timeout_ms)" not in text
    assert probe.timeout_text(20_000, 20_000).startswith(
        "timeout: the handler did not answer within 20,000 ms (limits.timeout_ms)")


@pytest.mark.parametrize("name", sorted(NEVER_INSTANTIATES))
def test_serve_refuses_a_module_that_can_never_instantiate(tmp_path: Path,
                                                           name: str) -> None:
    """serve printed "listening" and answered every request 500 (wasimem: a traceback)."""
    text, says = NEVER_INSTANTIATES[name]
    f = tmp_path / f"{name}.wasm"
    f.write_bytes(wat(text))
    r = _cli("serve", str(f), "--listen", "127.0.0.1:0", timeout=30)
    err = " ".join(r.stderr.split())
    assert r.returncode == MODULE_FAILED, (r.stdout, r.stderr)
    assert f"{f}:" in err and says in err and "hint:" in err
    assert "listening" not in r.stdout + r.stderr and "Traceback" not in r.stderr
    run = _cli("run", str(f))  # the same module through run: the error, no traceback
    assert run.returncode == MODULE_FAILED and "Traceback" not in run.stderr


def test_serve_serves_the_good_routes_and_503s_a_refused_one(tmp_path: Path) -> None:
    from tests.cli.test_serve_cli import Serve

    write_module(tmp_path / "good", edge_wat("fine"))
    write_module(tmp_path / "big", NEVER_INSTANTIATES["bigmem"][0])
    (tmp_path / "workbench.toml").write_text('modules = ["good", "big"]\n')
    with Serve(str(tmp_path), "--no-reload") as s:
        routes = s.wait_for(lambda d: d.get("event") == "routes")["routes"]
        states = {r["module"]: r["state"] for r in routes}
        assert states["good"].startswith("good (build 1")
        assert "no instance can be made" in states["big"]
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        for path, status, says in (("/good", 200, b"fine"),
                                   ("/big", 503, b"limits.memory_bytes")):
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            assert resp.status == status and says in body, (path, body)


def test_serve_exits_when_no_module_of_a_workspace_can_serve(tmp_path: Path) -> None:
    write_module(tmp_path / "big", NEVER_INSTANTIATES["bigmem"][0])
    write_module(tmp_path / "trap", NEVER_INSTANTIATES["starttrap"][0])
    (tmp_path / "workbench.toml").write_text('modules = ["big", "trap"]\n')
    r = _cli("serve", str(tmp_path), "--listen", "127.0.0.1:0", timeout=60)
    err = " ".join(r.stderr.split())
    assert r.returncode == MODULE_FAILED, (r.stdout, r.stderr)
    assert "big: cannot serve" in err and "trap: cannot serve" in err
    assert "no module can be served" in err and "listening" not in r.stdout + r.stderr
