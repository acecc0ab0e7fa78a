"""Runtime figures: warm-call overhead vs wasmtime-py's plain Func.__call__ (p50s, same
run), cold start with and without the compiled-module cache, fresh-instance time.

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
from workbench.core.runtime.bench import BenchOptions  # noqa: E402
from workbench.core.runtime.harness import Harness  # noqa: E402
from workbench.core.runtime.limits import Chaos  # noqa: E402
from workbench.core.runtime.stats import Histogram  # noqa: E402

NOOP = edge("(i32.const 8192)", data='(data (i32.const 8192) "\\13\\00\\00\\00")')
SAMPLES = REPO / "sample_modules"


def p50_per_call(fn, n: int) -> float:  # type: ignore[no-untyped-def]
    """p50 of `n` individually timed calls, in microseconds."""
    hist = Histogram()
    clock = time.perf_counter_ns
    for _ in range(n):
        t0 = clock()
        fn()
        hist.record((clock() - t0) / 1000)
    return hist.percentile(50)


def warm_overhead(rounds: int, n: int) -> None:
    """The issue-4 target: a warm harness request to a handler that does nothing costs at
    most 3 us (p50) more than one plain wasmtime-py `Func.__call__` of it, same run."""
    h = Harness(NOOP, name="noop", cache_dir=Path(tempfile.mkdtemp()))
    req = Request()
    assert h.run(req, "warm").error is None
    inst = h.edge.warm
    assert inst is not None
    store, handle, alloc = inst.store, inst.funcs["handle"], inst.funcs["alloc"]
    data = req.to_http()
    ptr = alloc(store, len(data))
    inst.mem.write(ptr, data)
    plain, fast, harness, handler, around = [], [], [], [], []
    for _ in range(rounds):
        store.set_fuel(2**62)
        store.set_epoch_deadline(2**40)
        plain.append(p50_per_call(lambda: handle(store, ptr, len(data)), n))
        fast.append(p50_per_call(lambda: inst.handle.call2(ptr, len(data)), n))
        b = h.bench(req, BenchOptions(n, "warm"))  # Harness.run per sample, its own timings
        harness.append(b.phases["total"].p50)
        handler.append(b.phases["handler"].p50)
        assert b.around_guest is not None
        around.append(b.around_guest.p50)
    p, f, w, g, a = (statistics.median(x) for x in (plain, fast, harness, handler, around))
    verdict = "met" if w - p <= 3.0 else "NOT met"
    print(f"warm no-op handler: {rounds} rounds x {n} calls; each figure is the median over "
          "rounds of a per-round p50")
    print(f"  plain Func.__call__(store, ptr, len)        {p:7.2f} us  reference")
    print(f"  harness request, Harness.run warm (total)   {w:7.2f} us  ratio {w / p:.2f}x "
          "of the reference")
    print(f"    of which the guest call (handler phase)   {g:7.2f} us  (FastFunc.call2 alone "
          f"{f:.2f} us, ratio {f / p:.3f}x)")
    print(f"    of which around the guest call            {a:7.2f} us  (write the request "
          "via alloc, fuel/deadline, read + parse the response, result)")
    print(f"  overhead = harness p50 - reference p50      {w - p:+7.2f} us  target <= +3 us: "
          f"{verdict}")


def cold_and_fresh(wasm_path: Path | None, rounds: int) -> None:
    if wasm_path is None:
        wasm, label = NOOP, "inline WAT no-op"
    else:
        wasm, label = wasm_path.read_bytes(), wasm_path.name
    cache = Path(tempfile.mkdtemp())
    req = Request()
    Harness(wasm, cache_dir=cache).run(req, "cold")  # fill the cache
    hit: list[dict[str, float]] = []
    miss: list[dict[str, float]] = []
    for _ in range(rounds):  # a new harness each time: the process's first request
        r = Harness(wasm, cache_dir=cache).run(req, "cold")
        assert r.cache == "hit", r.cache
        hit.append(r.timing)
        r = Harness(wasm, cache_dir=cache, chaos=Chaos(force_cache_miss=True)).run(req, "cold")
        assert r.cache == "bypass"
        miss.append(r.timing)
    h = Harness(wasm, cache_dir=cache)
    n = max(200, rounds * 100)
    cold = h.bench(req, BenchOptions(n, "cold"))  # same harness: cache load+instantiate+call
    fresh = h.bench(req, BenchOptions(n, "fresh"))
    warm = h.bench(req, BenchOptions(n * 5, "warm"))

    def med(samples: list[dict[str, float]], key: str) -> float:
        return statistics.median(t.get(key, 0.0) for t in samples)

    hm, mm = med(hit, "total"), med(miss, "total")
    print(f"\n{label} ({len(wasm):,} bytes); medians of {rounds} new harnesses, p50 of "
          f"{n} requests")
    print(f"  cold, new harness, cache hit    {hm / 1000:8.2f} ms  (cache_load "
          f"{med(hit, 'cache_load'):.0f} + link {med(hit, 'link'):.0f} + instantiate "
          f"{med(hit, 'instantiate'):.0f} + handler {med(hit, 'handler'):.0f} us + rest)")
    print(f"  cold, new harness, no cache     {mm / 1000:8.2f} ms  (compile "
          f"{med(miss, 'compile') / 1000:.2f} ms); miss/hit ratio {mm / hm:.1f}x")
    print(f"  cold, linked harness, p50       {cold.phases['total'].p50:8.1f} us  "
          f"(cache_load {cold.phases['cache_load'].p50:.1f}, instantiate "
          f"{cold.phases['instantiate'].p50:.1f} us)")
    print(f"  fresh instance + call, p50      {fresh.phases['total'].p50:8.1f} us  "
          f"(instantiate {fresh.phases['instantiate'].p50:.1f}, handler "
          f"{fresh.phases['handler'].p50:.1f} us)")
    print(f"  warm call, p50                  {warm.phases['total'].p50:8.1f} us  "
          f"(handler {warm.phases['handler'].p50:.1f} us); fresh/warm ratio "
          f"{fresh.phases['total'].p50 / warm.phases['total'].p50:.1f}x")


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
