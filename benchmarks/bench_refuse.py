"""Refusing a large module that is no handler: time, and no compiled-cache entry left.

`workbench run BIG.wasm` through the installed console script, median of --runs, against
`workbench inspect --json BIG.wasm` (the same parse, measured in the same run) and
`python -c pass` (the interpreter's start-up). The module: --module PATH, else the
synthetic ~14 MB module of bench_inspect.py (no exports: no handler ABI), else with
--npm the 18 MB wasm-bindgen library of @swc/wasm.

Issue #10's target: refused in under 1 s, with no cache entry written (it used to compile
for 20-170 s and leave a 35-64 MB entry).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_inspect import npm_module, synthetic  # noqa: E402

SCRIPT = Path(sysconfig.get_path("scripts")) / "workbench"


def timed(argv: list[str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, text=True)
    return time.perf_counter() - t0, out.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--module", type=Path)
    ap.add_argument("--npm", action="store_true", help="use @swc/wasm (needs npm)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.module:
            module = args.module
        elif args.npm:
            module = npm_module("@swc/wasm")
        else:
            module = Path(tmp) / "synthetic.wasm"
            module.write_bytes(synthetic())
        cache = Path(tmp) / "cache"
        runs, codes = [], set()
        for _ in range(args.runs):
            s, rc = timed([str(SCRIPT), "run", str(module), "--cache-dir", str(cache)])
            runs.append(s)
            codes.add(rc)
        inspect = [timed([str(SCRIPT), "inspect", "--json", str(module)])[0]
                   for _ in range(args.runs)]
        floor = [timed([sys.executable, "-c", "pass"])[0] for _ in range(args.runs)]
        entries = list(cache.rglob("*")) if cache.exists() else []
        size = module.stat().st_size
    r, i, f = (statistics.median(x) for x in (runs, inspect, floor))
    print(f"module: {module.name}, {size / 1e6:.1f} MB")
    print(f"workbench run (refused)  median {r * 1000:7.0f} ms   exit status {sorted(codes)}")
    print(f"workbench inspect --json median {i * 1000:7.0f} ms   (ratio run/inspect {r / i:.2f})")
    print(f"python -c pass           median {f * 1000:7.0f} ms")
    print(f"cache entries written: {len([e for e in entries if e.is_file()])}")
    return 0 if codes == {2} and not any(e.is_file() for e in entries) else 1


if __name__ == "__main__":
    sys.exit(main())
