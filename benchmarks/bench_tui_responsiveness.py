"""App responsiveness: first paint, and key latency while a 20,000-request bench runs.

    python benchmarks/bench_tui_responsiveness.py [--n 20000] [--presses 40]

Figures (headless, App.run_test, on a tmp copy of the WAT sample):
- first paint: from creating the app to the first mounted screen with the module list
  (no parsing/building happens before it: workers start after);
- key latency: from a key event entering the app (as the terminal driver sends it) until
  the view switch it triggers is visible in app state, while the bench worker runs;
  the same presses with no bench running are the reference;
- bench throughput (requests/s) of the app's live bench, and the time to cancel it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual import events  # noqa: E402
from textual.widgets import TabbedContent  # noqa: E402

from workbench.tui.app import WorkbenchApp  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1] / "sample_modules" / "hello-wat"
KEYS = [("1", "tab-size"), ("2", "tab-signatures"), ("4", "tab-requests"),
        ("6", "tab-build"), ("3", "tab-runtime")]


async def key_latency(app: WorkbenchApp, key: str, pane: str) -> float:
    tabs = app.query_one("#views", TabbedContent)
    event = events.Key(key, key)
    event.set_sender(app)
    start = time.perf_counter()
    app._driver.send_message(event)  # type: ignore[union-attr]
    while tabs.active != pane:
        await asyncio.sleep(0.0005)
    return time.perf_counter() - start


async def presses(app: WorkbenchApp, count: int) -> list[float]:
    out = []
    for i in range(count):
        key, pane = KEYS[i % len(KEYS)]
        out.append(await key_latency(app, key, pane))
        await asyncio.sleep(0.02)
    return out


def summary(name: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p90 = ms[int(0.9 * (len(ms) - 1))]
    return (f"{name:<26} median {statistics.median(ms):7.1f} ms   p90 {p90:7.1f} ms   "
            f"max {ms[-1]:7.1f} ms   (n={len(ms)})")


async def main(n: int, count: int, folder: Path) -> None:
    t0 = time.perf_counter()
    app = WorkbenchApp([folder], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        first_paint = time.perf_counter() - t0
        while not app.modules or app.modules["hello-wat"].build != "ok":
            await pilot.pause(0.01)
        ready = time.perf_counter() - t0
        state = app.modules["hello-wat"]
        idle = await presses(app, count)
        await pilot.press("3")
        app.query_one("#opt-n").value = str(n)  # type: ignore[attr-defined]
        bench_start = time.perf_counter()
        await pilot.press("ctrl+b")
        while "fresh" not in state.bench:
            await asyncio.sleep(0.01)
        busy = await presses(app, count)
        running = not state.bench["fresh"].final
        cancel = events.Key("ctrl+x", None)
        cancel.set_sender(app)
        t_cancel = time.perf_counter()
        app._driver.send_message(cancel)  # type: ignore[union-attr]
        while not state.bench["fresh"].final:
            await asyncio.sleep(0.001)
        cancel_s = time.perf_counter() - t_cancel
        snap = state.bench["fresh"]
        rate = snap.done / (time.perf_counter() - bench_start)
    print(f"first paint (app created -> screen mounted)  {first_paint * 1000:7.1f} ms")
    print(f"module built and shown                       {ready * 1000:7.1f} ms")
    print(summary("key latency, idle", idle))
    print(summary("key latency, during bench", busy))
    print(f"bench still running during all presses: {running}; "
          f"cancelled after {snap.done:,}/{n:,} requests in {cancel_s * 1000:.1f} ms; "
          f"~{rate:,.0f} requests/s while the UI was being driven")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--presses", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = tmp
        folder = Path(tmp) / "hello-wat"
        shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("build", ".workbench"))
        asyncio.run(main(args.n, args.presses, folder))
