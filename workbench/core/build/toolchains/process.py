"""Run a compiler as a subprocess that a cancel `threading.Event` can stop at once.

The compiler gets its own process group so cancelling kills it together with anything it
spawned (zig cc runs clang and wasm-ld as children). Output goes to a temporary file,
not a pipe, so a chatty compiler can never block on a full pipe while we poll.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

POLL_S = 0.01  # how often a running compiler checks the cancel event


@dataclass(frozen=True, slots=True)
class ProcessOutcome:
    returncode: int
    output: str  # stdout and stderr interleaved, as a terminal would show them
    cancelled: bool


def run_process(argv: Sequence[str], *, cwd: Path, env: Mapping[str, str] | None = None,
                cancel: threading.Event | None = None,
                timeout_s: float | None = None) -> ProcessOutcome:
    """Run argv in cwd; kill its process group if `cancel` is set or `timeout_s` passes."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env.setdefault("NO_COLOR", "1")
    with tempfile.TemporaryFile() as sink:
        proc = subprocess.Popen(list(argv), cwd=cwd, env=full_env, stdout=sink,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        cancelled = False
        waited = 0.0
        try:
            while True:
                try:
                    proc.wait(timeout=POLL_S)
                    break
                except subprocess.TimeoutExpired:
                    waited += POLL_S
                    if (cancel is not None and cancel.is_set()) or \
                            (timeout_s is not None and waited >= timeout_s):
                        cancelled = True
                        _kill_group(proc)
                        proc.wait()
                        break
        except BaseException:  # Ctrl-C in `workbench build`: the compiler must not linger
            _kill_group(proc)
            proc.wait()
            raise
        sink.seek(0)
        output = sink.read().decode("utf-8", errors="replace")
    return ProcessOutcome(proc.returncode, output, cancelled)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
