"""A log line written to stderr in several pieces is one log line (Rust's `eprintln!` is
unbuffered: `eprintln!("rustwagi {} {}", m, p)` makes one fd_write per argument)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.core.runtime.handlers import wagi, wdata
from workbench.core.http import Request
from workbench.core.runtime.hostfns import add_output

HDR = b"content-type: text/plain\n\nok"
PIECES = [b"rustwagi ", b"GET", b" ", b"/x", b"\n", b"second ", b"line\nthird, no newline"]


def pieces_module() -> bytes:
    data = [wdata(1000, HDR)]
    calls = [f"(call $write (i32.const 1000) (i32.const {len(HDR)}))"]
    at = 2000
    for p in PIECES:
        data.append(wdata(at, p))
        calls.append(f"(call $write_err (i32.const {at}) (i32.const {len(p)}))")
        at += 64
    return wagi(" ".join(calls), data=" ".join(data))


def test_stderr_pieces_join_into_lines(make) -> None:
    h = make(pieces_module())
    for _ in range(2):  # the second run starts with nothing pending from the first
        r = h.run(Request("GET", "/x"))
        assert r.error is None, r.error
        assert [ln.message for ln in r.logs] == [
            "rustwagi GET /x", "second line", "third, no newline"]
        assert {ln.source for ln in r.logs} == {"stderr"}


def test_a_long_line_over_many_writes_is_cut_once(make) -> None:
    h = make(pieces_module())
    st = h.host_state
    st.begin()
    cap = st.limits.max_log_line_bytes
    for _ in range(10):
        add_output(st, b"x" * cap, "error", "stderr")
    add_output(st, b"y\n", "error", "stderr")
    assert len(st.logs) == 1
    msg = st.logs[0].message
    assert msg.startswith("x" * cap) and f"{9 * cap + 1:,} more bytes cut" in msg


def test_run_cli_shows_one_line(tmp_path: Path) -> None:
    wasm = tmp_path / "pieces.wasm"
    wasm.write_bytes(pieces_module())
    p = subprocess.run([sys.executable, "-m", "workbench", "run", str(wasm), "--path", "/x",
                        "--json"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    logs = [ln["message"] for ln in json.loads(p.stdout)["logs"]]
    assert logs == ["rustwagi GET /x", "second line", "third, no newline"]
