"""Call graph + dominators vs `inspect` alone, in one process, median of N interleaved runs.

    python benchmarks/bench_callgraph.py X.wasm [Y.wasm ...] [--runs 5]

For each module: `inspect` = `inspect_bytes` (parse + report + gzip, what `workbench
inspect` computes); `graph` = `analyze(module)` (decode every body, build the graph, CHK
dominators, retained sizes) on the already parsed module; `views` = every graph view
built from that analysis. Runs are interleaved so machine noise hits all alike; the
ratio graph/inspect is the acceptance figure (target <= 2 on a 14-18 MB module).
Real modules: `npm pack esbuild-wasm` (Go, 14 MB), `@swc/wasm` (Rust, 18 MB), `sql.js`
(Emscripten) into a scratch folder, never into the repository.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.core.size.crates import by_crate  # noqa: E402
from workbench.core.size.garbage import garbage  # noqa: E402
from workbench.core.size.inspect import inspect_bytes  # noqa: E402
from workbench.core.size.monos import monomorphizations  # noqa: E402
from workbench.core.size.retained import analyze, by_retained, dominator_tree  # noqa: E402
from workbench.core.wasm import parse_module  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("modules", nargs="+", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    for path in args.modules:
        data = path.read_bytes()
        module = parse_module(data)
        times: dict[str, list[float]] = {"inspect": [], "graph": [], "views": []}
        for _ in range(args.runs):
            t = time.perf_counter()
            inspect_bytes(data, str(path))
            times["inspect"].append(time.perf_counter() - t)
            t = time.perf_counter()
            a = analyze(module)
            times["graph"].append(time.perf_counter() - t)
            t = time.perf_counter()
            by_retained(a), dominator_tree(a), garbage(a)
            monomorphizations(module), by_crate(module)
            times["views"].append(time.perf_counter() - t)
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"{path.name}: {len(data) / 1e6:.1f} MB, {len(module.functions):,d} functions, "
              f"{len(module.data_segments):,d} data segments, {len(a.graph):,d} nodes")
        for k, v in med.items():
            print(f"  {k:8s} median {v:.3f} s")
        print(f"  ratio graph/inspect {med['graph'] / med['inspect']:.2f}  "
              f"(graph+views)/inspect {(med['graph'] + med['views']) / med['inspect']:.2f}")


if __name__ == "__main__":
    main()
