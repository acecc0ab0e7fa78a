"""Start-up and quit times a user feels, through the installed console script.

Prints medians (of --runs) for:
- `workbench --help` and `workbench --version`, against `python -c pass` (the interpreter's
  own start-up on this machine, the floor any command pays), and their ratio;
- the app in a pseudo-terminal: launch until its first screen is drawn, and quit (`q`
  after the workspace is built) until the process has exited.

Issue #13's targets: quit <= 0.5 s idle, `workbench --help` <= 0.5 s (both minus nothing:
read them beside the interpreter floor printed here, this machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

SCRIPT = Path(sysconfig.get_path("scripts")) / "workbench"


def timed(argv: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def app_quit(workspace: Path, timeout: float = 120.0) -> tuple[float, float]:
    """(seconds to the first drawn screen, seconds from `q` to process exit)."""
    pid, fd = pty.fork()
    if pid == 0:  # child: the app in a 120x40 terminal
        os.chdir(workspace)
        os.environ.update(TERM="xterm-256color", COLUMNS="120", LINES="40")
        os.execv(str(SCRIPT), [str(SCRIPT)])
    t0 = time.perf_counter()
    seen = b""
    first = None
    deadline = t0 + timeout
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            if first is None and b"workbench" in seen:
                first = time.perf_counter() - t0
            if b"auto-replay" in seen[-20000:]:  # the status line: workspace read and built
                break
    time.sleep(1.0)  # idle
    t_q = time.perf_counter()
    os.write(fd, b"q")
    while True:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        ready, _, _ = select.select([fd], [], [], 0.01)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                pass
        if time.perf_counter() - t_q > 30:
            os.kill(pid, 9)
            break
    quit_s = time.perf_counter() - t_q
    os.close(fd)
    return first or float("nan"), quit_s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    if not SCRIPT.exists():
        print(f"{SCRIPT} missing: pip install -e . first", file=sys.stderr)
        return 2
    floor = statistics.median(timed([sys.executable, "-c", "pass"]) for _ in range(args.runs))
    help_s = statistics.median(timed([str(SCRIPT), "--help"]) for _ in range(args.runs))
    ver_s = statistics.median(timed([str(SCRIPT), "--version"]) for _ in range(args.runs))
    print(f"python -c pass      median {floor * 1000:7.0f} ms  (reference)")
    print(f"workbench --help    median {help_s * 1000:7.0f} ms  ({help_s / floor:.2f}x, "
          f"+{(help_s - floor) * 1000:.0f} ms)")
    print(f"workbench --version median {ver_s * 1000:7.0f} ms  ({ver_s / floor:.2f}x)")
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        subprocess.run([str(SCRIPT), "init", str(ws), "--sample", "hello-wat"], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([str(SCRIPT), "build", str(ws)], check=True, stdout=subprocess.DEVNULL)
        firsts, quits = [], []
        for _ in range(args.runs):
            first, quit_s = app_quit(ws)
            firsts.append(first)
            quits.append(quit_s)
        shutil.rmtree(ws / ".workbench", ignore_errors=True)
    print(f"app first screen    median {statistics.median(firsts) * 1000:7.0f} ms")
    print(f"app quit (q, idle)  median {statistics.median(quits) * 1000:7.0f} ms  "
          f"(all: {', '.join(f'{q * 1000:.0f}' for q in quits)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
