"""App responsiveness: first paint, and key latency while a 20,000-request bench runs.

    python benchmarks/bench_tui_responsiveness.py [--n 20000] [--presses 40]

Figures (headless, App.run_test, on a tmp copy of the WAT sample):
- first paint: from creating the app to the first mounted screen with the module list
  (no parsing/building happens before it: workers start after);
- key latency: from a key event entering the app (as the terminal driver sends it) until
  the view switch it triggers is visible in app state, while the bench worker runs;
  the same presses with no bench running are the reference;
- bench throughput (requests/s) of the app's live bench, and the time to cancel it;
- first sign of progress: from the key event (b, r, p, ctrl+b, g) to the job's text on
  screen (compositor output, what the terminal gets), for a build, a replay, the purity
  check, a bench and the exact gzip of an 18 MB module (`--big FILE.wasm`, default a
  synthetic one); the issue asks for < 500 ms.
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
from typing import Any

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


def screen(app: WorkbenchApp) -> str:
    return "\n".join(s.text for s in app.screen._compositor.render_strips())


async def first_sign(app: WorkbenchApp, key: str, *texts: str,
                     done: Any = lambda: False) -> float:
    """Seconds from `key` entering the app to one of `texts` on screen (or `done()`)."""
    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    start = time.perf_counter()
    app._driver.send_message(event)  # type: ignore[union-attr]
    while not done() and not any(text in screen(app) for text in texts):
        await asyncio.sleep(0.002)
        if time.perf_counter() - start > 30:
            raise SystemExit(f"{key}: none of {texts} appeared\n" + screen(app))
    return time.perf_counter() - start


async def progress_signs(app: WorkbenchApp, pilot: Any, big: bytes) -> list[tuple[str, float]]:
    from dataclasses import replace

    state = app.modules["hello-wat"]
    out = []

    async def idle() -> None:
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)

    app.set_focus(None)
    # the WAT sample builds in-process in ~0.1 s: often finished before the next frame,
    # when the sign is the finished build itself
    builds = state.builds
    out.append(("build (b)", await first_sign(app, "b", "◐ building hello-wat",
                                              done=lambda: state.builds > builds)))
    while state.build == "building":
        await pilot.pause(0.05)
    await idle()
    await pilot.press("4")
    out.append(("replay (r)", await first_sign(app, "r", "replaying")))
    await idle()
    out.append(("purity check (p)", await first_sign(app, "p", "purity check…")))
    await idle()
    await pilot.press("3")
    app.query_one("#opt-n").value = "2000"  # type: ignore[attr-defined]
    app.set_focus(None)
    out.append(("bench (ctrl+b)", await first_sign(app, "ctrl+b", "fresh: sending…")))
    await idle()
    await pilot.press("1")
    state.wasm = big
    state.report = replace(state.report, gzip_exact=False)
    app.refresh_views()
    await pilot.pause(0.2)
    out.append((f"exact gzip of {len(big) / 1e6:.0f} MB (g)",
                await first_sign(app, "g", "exact gzip -9")))
    await idle()
    return out


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


async def main(n: int, count: int, folder: Path, big: bytes) -> None:
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
        await app.workers.wait_for_complete()
        signs = await progress_signs(app, pilot, big)
    print(f"first paint (app created -> screen mounted)  {first_paint * 1000:7.1f} ms")
    print(f"module built and shown                       {ready * 1000:7.1f} ms")
    print(summary("key latency, idle", idle))
    print(summary("key latency, during bench", busy))
    print(f"bench still running during all presses: {running}; "
          f"cancelled after {snap.done:,}/{n:,} requests in {cancel_s * 1000:.1f} ms; "
          f"~{rate:,.0f} requests/s while the UI was being driven")
    for what, secs in signs:
        print(f"first sign of progress, {what:<26} {secs * 1000:7.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--big", type=Path, help="a large .wasm for the exact gzip job")
    args = parser.parse_args()
    # default: 18 MB that compresses like code (neither all zeros nor random)
    big = args.big.read_bytes() if args.big else bytes(
        (i * 7 + (i >> 9) * 13) & 0xFF for i in range(18_000_000))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = tmp
        folder = Path(tmp) / "hello-wat"
        shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("build", ".workbench"))
        asyncio.run(main(args.n, args.presses, folder, big))
