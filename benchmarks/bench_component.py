"""wasi:http/proxy component figures: compile (Winch vs Cranelift), compiled-cache load,
cold / fresh / warm request p50s, for the componentize-py sample and a text component.

Run: python benchmarks/bench_component.py [--wasm app.wasm] [--rounds 5] [--n 300]
     [--compile-rounds 1]
Without --wasm the componentize-py sample is built first (needs componentize-py and
spin-sdk); without those only the text component is measured. Every figure is a median
over rounds of p50s (the machine is shared and noisy: read ratios, not absolutes).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.core.runtime.components import HI, proxy  # noqa: E402
from workbench.core.http import Request  # noqa: E402
from workbench.core.runtime.component import engine as CE  # noqa: E402,N812
from workbench.core.runtime.harness import Harness  # noqa: E402
from workbench.core.runtime.stats import Histogram  # noqa: E402

SAMPLE = REPO / "sample_modules" / "hello-wasi-http-py"


def build_sample() -> bytes | None:
    if shutil.which("componentize-py") is None:
        return None
    out = Path(tempfile.mkdtemp()) / "app.wasm"
    proc = subprocess.run([str(SAMPLE / "build.sh"), str(out)], capture_output=True,
                          text=True, check=False)
    return out.read_bytes() if proc.returncode == 0 else None


def compile_s(wasm: bytes, strategy: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        CE.load(wasm, CE.cache_key(wasm, strategy), None, strategy)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def p50(h: Harness, req: Request, mode: str, n: int, phase: str = "total") -> float:
    hist = Histogram()
    for _ in range(n):
        r = h.run(req, mode)
        assert r.error is None, r.error
        hist.record(r.timing[phase])
    return hist.percentile(50)


def requests(name: str, wasm: bytes, rounds: int, n: int) -> None:
    cache = Path(tempfile.mkdtemp())
    req = Request("GET", "/")
    rows: dict[str, list[float]] = {}
    for _ in range(rounds):
        h = Harness(wasm, cache_dir=cache, name=name)
        h.check()  # compile once (or load from the cache), link
        h.run(req, "cold")  # fills the cache
        for label, mode, count, phase in [
                ("cache load (cold, cache hit)", "cold", max(3, n // 30), "cache_load"),
                ("cold request, cache hit", "cold", max(3, n // 30), "total"),
                ("fresh request", "fresh", max(5, n // 10), "total"),
                ("warm request", "warm", n, "total"),
                ("  of which host functions", "warm", n, "host")]:
            rows.setdefault(label, []).append(p50(h, req, mode, count, phase) / 1000)
    print(f"\n{name} ({len(wasm) / 1e6:.1f} MB, {CE.compiler()}): median of {rounds} "
          "rounds of p50s")
    for label, vals in rows.items():
        print(f"  {label:32s} {statistics.median(vals):8.3f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasm", type=Path)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--compile-rounds", type=int, default=1)
    args = ap.parse_args()
    requests("text component (hi)", proxy(HI), args.rounds, args.n * 10)
    wasm = args.wasm.read_bytes() if args.wasm else build_sample()
    if wasm is None:
        print("\n(componentize-py sample skipped: pass --wasm or install componentize-py "
              "and spin-sdk)")
        return
    requests("componentize-py sample", wasm, args.rounds, args.n)
    print(f"\ncompile the componentize-py sample (median of {args.compile_rounds}):")
    winch = compile_s(wasm, "winch", args.compile_rounds)
    cranelift = compile_s(wasm, "cranelift", args.compile_rounds)
    print(f"  winch {winch:6.2f} s   cranelift {cranelift:6.2f} s   "
          f"({cranelift / winch:.1f}x)")


if __name__ == "__main__":
    main()
