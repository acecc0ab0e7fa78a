"""Runtime figures: warm-call overhead vs wasmtime-py's plain Func.__call__, cold start
with and without the compiled-module cache, fresh-instance time.

Run: python benchmarks/bench_runtime.py [--rounds 5] [--n 20000] [--module X.wasm]
Every figure is a median over rounds, and each comparison is measured in the same run
(the machine is shared and noisy: read the ratios, not the absolute numbers).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.core.runtime.handlers import edge  # noqa: E402
from workbench.core.http import Request  # noqa: E402
from workbench.core.runtime.harness import Harness  # noqa: E402
from workbench.core.runtime.limits import Chaos  # noqa: E402

NOOP = edge("(i32.const 8192)", data='(data (i32.const 8192) "\\13\\00\\00\\00")')
SAMPLES = REPO / "sample_modules"


def per_call_us(fn, n: int) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter_ns()
    for _ in range(n):
        fn()
    return (time.perf_counter_ns() - t0) / n / 1000


def warm_overhead(rounds: int, n: int) -> None:
    h = Harness(NOOP, name="noop", cache_dir=Path(tempfile.mkdtemp()))
    req = Request()
    assert h.run(req, "warm").error is None
    inst = h._warm
    assert inst is not None
    store, handle, alloc = inst.store, inst.funcs["handle"], inst.funcs["alloc"]
    data = req.to_http()
    ptr = alloc(store, len(data))
    inst.mem.write(ptr, data)
    store.set_fuel(2**62)
    plain, fast, harness = [], [], []
    for _ in range(rounds):
        store.set_fuel(2**62)
        store.set_epoch_deadline(2**40)
        plain.append(per_call_us(lambda: handle(store, ptr, len(data)), n))
        fast.append(per_call_us(lambda: inst.handle.call2(ptr, len(data)), n))
        harness.append(per_call_us(lambda: h.run(req, "warm"), n))
    p, f, w = (statistics.median(x) for x in (plain, fast, harness))
    print(f"warm no-op handler ({rounds} rounds x {n} calls, medians of per-call means)")
    print(f"  plain Func.__call__(store, ptr, len)     {p:7.2f} us   (reference)")
    print(f"  FastFunc.call2 (runtime/fastcall.py)     {f:7.2f} us   ratio {f / p:.3f}")
    print(f"  Harness.run(request, 'warm') end to end  {w:7.2f} us   ratio {w / p:.3f}")
    print(f"  harness overhead over plain call         {w - p:+7.2f} us  (target <= +3 us)")
    b = h.bench(req, n, "warm")
    print(f"  Harness.bench p50: total {b.phases['total'].p50:.2f} us, handler "
          f"{b.phases['handler'].p50:.2f} us, plain reference {b.reference_us:.2f} us, "
          f"overhead {b.overhead_us:+.2f} us")


def cold_and_fresh(wasm_path: Path | None, rounds: int) -> None:
    if wasm_path is None:
        wasm, label = NOOP, "inline WAT no-op"
    else:
        wasm, label = wasm_path.read_bytes(), wasm_path.name
    cache = Path(tempfile.mkdtemp())
    req = Request()
    Harness(wasm, cache_dir=cache).run(req, "cold")  # fill the cache
    hit, miss = [], []
    for _ in range(rounds):
        r = Harness(wasm, cache_dir=cache).run(req, "cold")
        assert r.cache == "hit", r.cache
        hit.append(r.timing["total"])
        r = Harness(wasm, cache_dir=cache, chaos=Chaos(force_cache_miss=True)).run(req, "cold")
        assert r.cache == "bypass"
        miss.append(r.timing["total"])
    h = Harness(wasm, cache_dir=cache)
    fresh = h.bench(req, max(50, rounds * 40), "fresh")
    warm = h.bench(req, max(200, rounds * 200), "warm")
    hm, mm = statistics.median(hit), statistics.median(miss)
    print(f"\n{label} ({len(wasm):,} bytes)")
    print(f"  cold, compiled-module cache hit   {hm / 1000:8.2f} ms  (median of {rounds})")
    print(f"  cold, cache bypassed (compile)    {mm / 1000:8.2f} ms  ratio miss/hit "
          f"{mm / hm:.1f}x")
    print(f"  fresh instance + call p50         {fresh.phases['total'].p50:8.1f} us "
          f"(instantiate p50 {fresh.phases['instantiate'].p50:.1f} us)")
    print(f"  warm call p50                     {warm.phases['total'].p50:8.1f} us "
          f"(handler p50 {warm.phases['handler'].p50:.1f} us)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--module", type=Path, action="append")
    args = ap.parse_args()
    warm_overhead(args.rounds, args.n)
    modules = args.module or [p for p in (SAMPLES / "hello-wat/build/hello-wat.wasm",
                                          SAMPLES / "json-api-c/build/json-api-c.wasm")
                              if p.is_file()]
    cold_and_fresh(None, args.rounds)
    for m in modules:
        cold_and_fresh(m, args.rounds)


if __name__ == "__main__":
    main()
