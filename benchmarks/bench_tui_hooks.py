"""Hook time in the app against `workbench bench`'s p50, for the same rules and request.

    python benchmarks/bench_tui_hooks.py [--sends 20] [--n 3000]

For each request (one no rule answers, so all rules are walked; one a rule answers):
- CLI: `workbench bench MODULE --path P --mode M -n N --json` (a subprocess, as a user
  runs it), its `phases.hooks.p50`, in warm mode (hooks back to back with a warm call:
  what the app's repeated evaluation measures) and in fresh mode (each sample follows an
  instantiation that evicts CPU caches, so the same rules cost ~2-3x);
- app: the headless app (App.run_test) sends the request `--sends` times from the Runtime
  view (ctrl+r, as a user does) and the figure the Hooks view shows ("hook time p50 X µs")
  is read off the screen; also the single-sample hook time of each send (what the app
  showed before it measured a p50).
Prints medians and the app/CLI ratio, measured in the same run (target: within 2x).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textual.widgets import Input  # noqa: E402

from workbench.tui.app import WorkbenchApp  # noqa: E402

SAMPLE = ROOT / "sample_modules" / "hello-wat"
PATHS = ["/", "/healthz"]  # walks every rule / answered by the first rule
SHOWN = re.compile(r"hook time p50 ([\d,.]+) µs")


def cli_p50(folder: Path, path: str, n: int, mode: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "workbench", "bench", str(folder), "--path",
                          path, "--mode", mode, "-n", str(n), "--json"],
                         capture_output=True, text=True, env=env, check=True).stdout
    return float(json.loads(out)["phases"]["hooks"]["p50"])


def screen(app: WorkbenchApp) -> str:
    return "\n".join(s.text for s in app.screen._compositor.render_strips())


async def app_figures(folder: Path, path: str, sends: int) -> tuple[list[float], list[float]]:
    shown, single = [], []
    app = WorkbenchApp([folder], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.modules or app.modules["hello-wat"].build != "ok":
            await pilot.pause(0.02)
        state = app.modules["hello-wat"]
        await pilot.press("3")
        await pilot.pause(0.2)
        app.query_one("#req-path", Input).value = path
        for _ in range(sends):
            state.last_run = None
            app.set_focus(None)
            await pilot.press("3", "ctrl+r")
            while state.last_run is None:
                await asyncio.sleep(0.002)
            single.append(state.last_run.timing["hooks"])
            await pilot.press("5")  # the Hooks view, where the figure is shown
            await pilot.pause(0.05)
            match = SHOWN.search(screen(app))
            if match is None:
                raise SystemExit("the Hooks view shows no 'hook time p50' figure")
            shown.append(float(match.group(1).replace(",", "")))
    return shown, single


def main(sends: int, n: int, folder: Path) -> None:
    print("hooks p50, µs        CLI bench          app (median of sends)   app/CLI warm"
          "   app/CLI fresh")
    print(f"{'request':<10} {'warm':>9} {'fresh':>9}   {'shows p50':>10} {'one sample':>11}"
          f"   {'p50':>5} {'1 sample':>8}   {'p50':>5} {'1 sample':>8}")
    for path in PATHS:
        warm, fresh = cli_p50(folder, path, n, "warm"), cli_p50(folder, path, n, "fresh")
        shown, single = asyncio.run(app_figures(folder, path, sends))
        app_med, single_med = statistics.median(shown), statistics.median(single)
        print(f"{path:<10} {warm:>9.2f} {fresh:>9.2f}   {app_med:>10.2f} {single_med:>11.2f}"
              f"   {app_med / warm:>5.2f} {single_med / warm:>8.2f}"
              f"   {app_med / fresh:>5.2f} {single_med / fresh:>8.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=20)
    parser.add_argument("--n", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = tmp
        folder = Path(tmp) / "hello-wat"
        shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("build", ".workbench"))
        main(args.sends, args.n, folder)
