"""Save-to-finished latency of the watcher, and how bursts of saves coalesce.

For a WAT sample (in-process compile) and a C sample (zig cc), writes a changed source N
times and measures from just after the write to the watcher's "finished" event (rebuilt
and inspected). The watcher's own cost is that latency minus the build itself, which is
measured beside it in the same run. Then 50 saves in one second, counting builds.

    python benchmarks/bench_watch.py [-n 15] [--debounce-ms 75]

Targets (issue 5): WAT save -> finished within 200 ms; C within compile time + 100 ms;
50 saves in one second -> at most two builds. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import queue
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from workbench.config.module import load_module
from workbench.core.build.builder import build_module
from workbench.core.build.events import BuildFinished, BuildStarted
from workbench.core.build.watch import Watcher

SAMPLES = Path(__file__).resolve().parent.parent / "sample_modules"
CASES = (("hello-wat", "hello.wat", ";; edit {i}\n"), ("json-api-c", "main.c", "/* edit {i} */\n"))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def wait_for(events: queue.Queue, kind: type, module: str, timeout: float = 60) -> object:
    while True:
        event = events.get(timeout=timeout)
        if isinstance(event, kind) and event.module == module:
            return event


def measure(root: Path, n: int, debounce_ms: int) -> None:
    configs = [load_module(root / name) for name, _, _ in CASES]
    events: queue.Queue = queue.Queue()
    watcher = Watcher(configs, on_event=events.put, debounce_ms=debounce_ms,
                      initial_build=True)
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,))
    thread.start()
    try:
        for cfg in configs:
            wait_for(events, BuildFinished, cfg.name)
        time.sleep(0.3)
        print(f"debounce {debounce_ms} ms, {n} saves per module\n")
        print(f"{'module':<12} {'save->finished p50':>19} {'p90':>8} {'build p50':>10} "
              f"{'watch overhead p50':>19} {'bare build p50':>15}")
        for name, file, edit in CASES:
            src = root / name / file
            base = src.read_text()
            latencies, builds = [], []
            for i in range(n):
                src.write_text(base + edit.format(i=i))
                t_write = time.monotonic()
                done = wait_for(events, BuildFinished, name)
                latencies.append((time.monotonic() - t_write) * 1000)
                builds.append(done.result.duration_ms)
                time.sleep(0.05)
            # Reference without the watcher: the same kind of edit built directly, in an
            # unwatched copy of the module.
            bare_root = root / f"unwatched-{name}"
            shutil.copytree(root / name, bare_root, ignore=shutil.ignore_patterns("build"))
            bare_cfg, bare_src, bare = load_module(bare_root), bare_root / file, []
            for i in range(5):
                bare_src.write_text(base + edit.format(i=500 + i))
                bare.append(build_module(bare_cfg).duration_ms)
            overhead = [lat - b for lat, b in zip(latencies, builds, strict=True)]
            p50, p90 = statistics.median(latencies), pct(latencies, .9)
            print(f"{name:<12} {p50:>16.1f} ms {p90:>5.1f} ms"
                  f" {statistics.median(builds):>7.1f} ms {statistics.median(overhead):>16.1f} ms"
                  f" {statistics.median(bare):>12.1f} ms")
            src.write_text(base)
            wait_for(events, BuildFinished, name)

        print()
        for name, file, edit in CASES:
            src = root / name / file
            base = src.read_text()
            time.sleep(0.3)
            while not events.empty():
                events.get_nowait()
            for i in range(50):
                src.write_text(base + edit.format(i=1000 + i))
                time.sleep(0.02)
            started, finished = 0, False
            while not finished:  # count builds started until one finishes after the burst
                event = events.get(timeout=60)
                started += isinstance(event, BuildStarted)
                finished = isinstance(event, BuildFinished) and event.module == name
            time.sleep(0.5 + debounce_ms / 1000)  # room for a (wrong) extra build to start
            while not events.empty():
                started += isinstance(events.get_nowait(), BuildStarted)
            print(f"50 saves in ~1 s of {name}/{file}: {started} build(s) (target: at most 2)")
    finally:
        stop.set()
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=15)
    parser.add_argument("--debounce-ms", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, _, _ in CASES:
            shutil.copytree(SAMPLES / name, root / name,
                            ignore=shutil.ignore_patterns("build"))
        measure(root, args.n, args.debounce_ms)


if __name__ == "__main__":
    main()
