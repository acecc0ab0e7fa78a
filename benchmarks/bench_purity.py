"""Purity check speed on the samples (target: <= 2 s per sample).

Builds each edge/WAGI sample once (through the build layer), then times
`workbench.core.purity.check.check_purity` over the module's saved requests (median of
`--runs`), with the default growth run of 24 warm requests. As a reference measured in
the same run it times a plain fresh-mode replay of the same requests through a Harness
(what `workbench replay` does), and prints the ratio: the check runs each request about
six times plus the growth run, and snapshots memory around them.

Run: python benchmarks/bench_purity.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.config.module import load_module  # noqa: E402
from workbench.core.build.builder import build_module  # noqa: E402
from workbench.core.purity.check import check_purity  # noqa: E402
from workbench.core.requests.files import load_requests  # noqa: E402
from workbench.core.runtime.harness import Harness  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "sample_modules"
NAMES = ("hello-wat", "json-api-c", "geo-ab-zig", "kv-counter-c", "wagi-c", "impure-cache-c")
VARIABLES = {"host": "example.com"}


def median_ms(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    print(f"{'sample':<16} {'requests':>8} {'purity ms':>10} {'replay ms':>10} {'ratio':>6}"
          "  verdict")
    worst = 0.0
    for name in NAMES:
        cfg = load_module(SAMPLES / name)
        built = build_module(cfg).raise_for_status()
        assert built.wasm_path is not None
        wasm = built.wasm_path.read_bytes()
        entries = load_requests(cfg.requests, VARIABLES) if cfg.requests else []
        reqs = [(e.name, e.request) for e in entries]

        def purity(wasm=wasm, reqs=reqs, cfg=cfg):  # type: ignore[no-untyped-def]
            return check_purity(wasm, reqs, name=cfg.name, limits=cfg.limits)

        def replay(wasm=wasm, reqs=reqs, cfg=cfg):  # type: ignore[no-untyped-def]
            h = Harness(wasm, limits=cfg.limits, name=cfg.name)
            for _, r in reqs:
                h.run(r, "fresh")

        report = purity()  # warm the compile cache for both
        replay()
        p, r = median_ms(purity, args.runs), median_ms(replay, args.runs)
        worst = max(worst, p)
        print(f"{name:<16} {len(reqs):>8} {p:>10.0f} {r:>10.0f} {p / r:>6.1f}  "
              f"{'safe' if report.safe else 'NOT SAFE'}")
    print(f"slowest sample: {worst:.0f} ms (target <= 2000 ms)")


if __name__ == "__main__":
    main()
