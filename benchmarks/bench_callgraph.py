"""Call graph + dominators vs `inspect` alone, in one process, median of N interleaved runs.

    python benchmarks/bench_callgraph.py X.wasm [Y.wasm ...] [--runs 5] [--kernels K]

For each module: `inspect` = `inspect_bytes` (parse + report + gzip, what `workbench
inspect` computes); `graph` = `build_callgraph(module)` (decode every body, build the
graph) on the already parsed module; `dominators` = CHK dominators and retained sizes
on it; `views` = every graph view built from that analysis. Runs are interleaved so
machine noise hits all alike; the ratio (graph + dominators) / inspect is the acceptance
figure (target <= 2 on a 14-18 MB module). `--kernels native|python|auto` picks the
compiled kernels or the pure-Python fallback (`workbench.core.wasm.native.choice`);
`--kernels both` times the two side by side. The load average is printed: on a shared
machine, compare ratios from one run, not seconds across runs. `cpu` is process time
(all threads: inspect's gzip thread, the scanner's second half), the work regardless
of how busy the machine is; the wall-clock ratio is the acceptance figure.
Real modules: `npm pack esbuild-wasm` (Go, 14 MB), `@swc/wasm` (Rust, 18 MB), `sql.js`
(Emscripten) into a scratch folder, never into the repository.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.core.size.callgraph import build_callgraph  # noqa: E402
from workbench.core.size.crates import by_crate  # noqa: E402
from workbench.core.size.dominators import dominators  # noqa: E402
from workbench.core.size.garbage import garbage  # noqa: E402
from workbench.core.size.inspect import inspect_bytes  # noqa: E402
from workbench.core.size.monos import monomorphizations  # noqa: E402
from workbench.core.size.retained import Analysis, by_retained, dominator_tree  # noqa: E402
from workbench.core.wasm import parse_module  # noqa: E402
from workbench.core.wasm.model import Module  # noqa: E402

T = TypeVar("T")


class Timer:
    """Wall-clock and process (CPU) time per named step."""

    def __init__(self) -> None:
        self.wall: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}

    def __call__(self, name: str, fn: Callable[[], T]) -> T:
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        self.wall.setdefault(name, []).append(time.perf_counter() - t)
        self.cpu.setdefault(name, []).append(time.process_time() - c)
        return out


def bench(path: Path, kinds: list[str], runs: int) -> None:
    data = path.read_bytes()
    module = parse_module(data)
    timed = Timer()
    for _ in range(runs):
        timed("inspect", lambda: inspect_bytes(data, str(path)))
        for k in kinds:
            g = timed(f"graph/{k}", partial(build_callgraph, module, kernels=k))
            a = Analysis(g, timed(f"dominators/{k}", partial(dominators, g, kernels=k)))
        timed("views", partial(_views, module, a))
    med = {k: statistics.median(v) for k, v in timed.wall.items()}
    cpu = {k: statistics.median(v) for k, v in timed.cpu.items()}
    print(f"{path.name}: {len(data) / 1e6:.1f} MB, {len(module.functions):,d} functions, "
          f"{len(module.data_segments):,d} data segments, {len(a.graph):,d} nodes")
    for k, v in med.items():
        print(f"  {k:18s} median {v:.3f} s  ({v / med['inspect']:.2f}x inspect)   "
              f"cpu {cpu[k]:.3f} s  ({cpu[k] / cpu['inspect']:.2f}x)")
    for k in kinds:
        both = med[f"graph/{k}"] + med[f"dominators/{k}"]
        both_cpu = cpu[f"graph/{k}"] + cpu[f"dominators/{k}"]
        print(f"  ratio (graph+dominators)/inspect [{k}] {both / med['inspect']:.2f}  "
              f"(+views) {(both + med['views']) / med['inspect']:.2f}  "
              f"cpu {both_cpu / cpu['inspect']:.2f}")


def _views(module: Module, a: Analysis) -> object:
    return (by_retained(a), dominator_tree(a), garbage(a), monomorphizations(module),
            by_crate(module))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("modules", nargs="+", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--kernels", default="auto", choices=("auto", "native", "python", "both"))
    args = ap.parse_args()
    kinds = ["native", "python"] if args.kernels == "both" else [args.kernels]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for path in args.modules:
        bench(path, kinds, args.runs)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
