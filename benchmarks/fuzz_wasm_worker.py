"""The in-process side of `fuzz_wasm.py`: runs `workbench.cli.main(argv)` per request.

Reads one JSON request per line on stdin (`{"argv": [...], "timeout": S}`), writes one
JSON result per line on stdout: exit status, captured stdout/stderr (cut), an escaped
exception's traceback, seconds, and the process's peak RSS for that command (VmHWM, reset
before each command through /proc/self/clear_refs). A command still running after
`timeout` seconds is interrupted by SIGALRM and reported as a hang; the parent restarts
the worker after a hang or a crash, so one bad input cannot spoil the next.
"""

from __future__ import annotations

import contextlib
import io
import json
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

CUT = 6000


class Hang(BaseException):
    """Raised by SIGALRM: a command exceeded its time (BaseException: not caught by the
    code under test's `except Exception`)."""


def _alarm(signum: int, frame: Any) -> None:
    raise Hang


def _peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def run_one(argv: list[str], timeout: float) -> dict[str, Any]:
    from workbench.cli import main

    out, err = io.StringIO(), io.StringIO()
    rc: int | None = None
    exc = None
    hang = False
    _reset_peak()
    t0 = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(argv)
    except Hang:
        hang = True
    except SystemExit as e:  # argparse
        rc = e.code if isinstance(e.code, int) else 2
    except BaseException:  # noqa: BLE001 - an escaped exception is the finding
        exc = traceback.format_exc()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    secs = time.perf_counter() - t0
    o, e = out.getvalue(), err.getvalue()
    return {"rc": rc, "out": o[:CUT], "err": e[:CUT], "out_len": len(o), "exc": exc,
            "hang": hang, "secs": round(secs, 3), "rss_kb": _peak_kb(),
            "json": _json_lines(o)}


def _json_lines(text: str) -> list[Any] | None:
    docs = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                docs.append(json.loads(line))
            except ValueError:
                return None
    return docs


def main() -> int:
    signal.signal(signal.SIGALRM, _alarm)
    for line in sys.stdin:
        req = json.loads(line)
        result = run_one(req["argv"], req["timeout"])
        sys.__stdout__.write(json.dumps(result) + "\n")
        sys.__stdout__.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
