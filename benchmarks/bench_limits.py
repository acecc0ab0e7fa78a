"""Figures for issue 15's limits: what a hostile handler costs the host now.

- table.grow 0x7ffffff0 / 100M under a 10 ms limit: wall time of the request (was 22 s
  and 4 GB of RSS / 1.4 s over the limit before store limits);
- one 60 MiB log line: RSS growth of the process (was 823 MB), in a fresh subprocess;
- a 2 s WASI sleep under a 50 ms limit: wall time (was 2 s, then 200 OK);
- KV: warm request p50 with one kv_put vs the same handler without it (same run: the
  SQLite commit's cost inside the handler), and a request's p50 with 100,000 keys in the
  store vs an empty store (the JSON store rewrote the whole file: 2.6 s per request at
  546,325 keys).

Run: python benchmarks/bench_limits.py [--rounds 3] [--n 2000]
Medians over rounds; comparisons are measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.core.runtime.handlers import edge, wdata  # noqa: E402
from tests.core.runtime.test_limits_hostile import grow_table, sleeping_edge  # noqa: E402
from workbench.core.http import Request  # noqa: E402
from workbench.core.runtime.bench import BenchOptions  # noqa: E402
from workbench.core.runtime.harness import Harness  # noqa: E402
from workbench.core.runtime.kv import KvStore  # noqa: E402
from workbench.core.runtime.limits import Limits  # noqa: E402

PUT = edge("(drop (call $kv_put (i32.const 100) (i32.const 2) (i32.const 110) (i32.const 2)))"
           " (call $finish (i32.const 0))", data=wdata(100, b"k1") + wdata(110, b"v1"),
           imports=True)
NO_PUT = edge("(drop (call $now_ms)) (call $finish (i32.const 0))", imports=True)

RSS_CHILD = """
import sys; sys.path.insert(0, sys.argv[1])
from pathlib import Path
from tests.core.runtime.handlers import edge
from workbench.core.http import Request
from workbench.core.runtime.harness import Harness
from workbench.core.runtime.limits import Limits
def rss(): return int(Path('/proc/self/statm').read_text().split()[1]) * 4096
body = '(call $log (i32.const 1) (i32.const 0) (i32.const 62914560)) (call $finish (i32.const 0))'
h = Harness(edge(body, imports=True, pages=961), limits=Limits(memory_bytes=128 << 20),
            cache_dir=Path(sys.argv[2]))
h.run(Request(), 'warm')  # instance + 60 MiB linear memory
before = rss()
h.run(Request(), 'warm')
print(rss() - before)
"""


def wall(fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def warm_p50(h: Harness, n: int) -> float:
    return h.bench(Request(), BenchOptions(n, "warm")).phases["total"].p50


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--n", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        rows: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            for n in (0x7FFFFFF0, 100_000_000):
                h = Harness(grow_table(n), limits=Limits(timeout_ms=10), cache_dir=cache)
                h.check()
                rows.setdefault(f"table.grow {n:#x} (ms)", []).append(
                    wall(lambda h=h: h.run(Request(), "warm")))
            h = Harness(sleeping_edge(2_000_000_000), limits=Limits(timeout_ms=50),
                        cache_dir=cache)
            h.check()
            rows.setdefault("2 s WASI sleep, 50 ms limit (ms)", []).append(
                wall(lambda h=h: h.run(Request(), "warm")))
            out = subprocess.run([sys.executable, "-c", RSS_CHILD, str(REPO), str(cache)],
                                 capture_output=True, text=True, check=True).stdout
            rows.setdefault("60 MiB log line: RSS growth (MiB)", []).append(
                int(out) / 2**20)
            kv_path = Path(tmp) / f"kv-{len(rows)}-{time.monotonic_ns()}.sqlite"
            with_put = warm_p50(Harness(PUT, kv=KvStore(kv_path), cache_dir=cache), args.n)
            without = warm_p50(Harness(NO_PUT, cache_dir=cache), args.n)
            rows.setdefault("warm p50 with kv_put (us)", []).append(with_put)
            rows.setdefault("warm p50 without (us)", []).append(without)
            big = KvStore(Path(tmp) / f"big-{time.monotonic_ns()}.sqlite")
            for i in range(0, 100_000, 5000):
                for j in range(i, i + 5000):
                    big.put(f"key-{j}".encode(), b"x" * 20)
            full = warm_p50(Harness(PUT, kv=big, cache_dir=cache), args.n // 4)
            empty = warm_p50(Harness(PUT, kv=KvStore(Path(tmp) / f"e-{time.monotonic_ns()}"
                                                     ".sqlite"), cache_dir=cache), args.n // 4)
            rows.setdefault("kv_put request p50, 100k keys in store (us)", []).append(full)
            rows.setdefault("kv_put request p50, empty store (us)", []).append(empty)
        for name, values in rows.items():
            print(f"{name:48s} median {statistics.median(values):10.1f}  "
                  f"(rounds: {', '.join(f'{v:.1f}' for v in values)})")
        med = {k: statistics.median(v) for k, v in rows.items()}
        put, bare = med["warm p50 with kv_put (us)"], med["warm p50 without (us)"]
        print(f"kv_put cost: {put - bare:.1f} us per put ({put / bare:.2f}x)")
        full = med["kv_put request p50, 100k keys in store (us)"]
        empty = med["kv_put request p50, empty store (us)"]
        print(f"100k keys vs empty: {full / empty:.2f}x")

if __name__ == "__main__":
    main()
