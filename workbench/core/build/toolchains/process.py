"""Run a compiler as a subprocess that a cancel `threading.Event` can stop at once.

The compiler gets its own process group so cancelling kills it together with anything it
spawned (zig cc runs clang and wasm-ld as children). Output goes to a temporary file,
not a pipe, so a chatty compiler can never block on a full pipe while we poll.

The group also dies with the workbench: on POSIX the compiler runs under a small `sh`
wrapper whose watchdog checks every second that the workbench process is still there and
kills the whole group when it is not (`kill -9` of the workbench, a crashed terminal).
Without it a compiler, or a `command` build writing its own output, kept running after
the workbench was killed. (Linux's PR_SET_PDEATHSIG would reach only the direct child,
and setting it needs a `preexec_fn`, which is unsafe with the build threads.)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

POLL_S = 0.01  # how often a running compiler checks the cancel event
# "$@" runs the compiler; the watchdog kills the process group (kill 0) once the parent
# ($PPID, the workbench) is gone; the wrapper exits with the compiler's status.
WATCHDOG = ('"$@" & child=$!; '
            '( while kill -0 "$PPID" 2>/dev/null; do sleep 1; done; kill -KILL 0 ) '
            '>/dev/null 2>&1 & dog=$!; '
            'wait "$child"; status=$?; kill "$dog" 2>/dev/null; exit "$status"')


def guarded(argv: Sequence[str]) -> list[str]:
    """`argv` under the watchdog wrapper (POSIX with a shell), else unchanged."""
    shell = shutil.which("sh") if os.name == "posix" else None
    if shell is None:
        return list(argv)
    return [shell, "-c", WATCHDOG, "workbench-build", *argv]


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
        proc = subprocess.Popen(guarded(argv), cwd=cwd, env=full_env, stdout=sink,
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
