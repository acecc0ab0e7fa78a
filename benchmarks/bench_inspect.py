"""`workbench inspect --json` vs `wasm-objdump -x`, whole process, median of N runs.

    python benchmarks/bench_inspect.py                 # synthetic 14 MB module
    python benchmarks/bench_inspect.py --module X.wasm # a real one (e.g. esbuild.wasm)
    python benchmarks/bench_inspect.py --npm esbuild-wasm  # `npm pack` into bench-data/
    python benchmarks/bench_inspect.py --verify A.wasm B.wasm  # sizes vs wasm-objdump

The synthetic module has ~5,000 functions and ~100,000 data segments (the acceptance
target's shape); it is written to bench-data/ (gitignored), never committed. Runs are
interleaved so machine noise hits both tools alike; the ratio is mine / objdump.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "bench-data"
sys.path.insert(0, str(REPO))

from workbench.core.wasm.leb import encode_u as leb  # noqa: E402


def section(sid: int, payload: bytes) -> bytes:
    return bytes([sid]) + leb(len(payload)) + payload


def synthetic(funcs: int = 5000, segments: int = 100_000, seed: int = 1) -> bytes:
    """~14 MB: code bodies of varied size, many small data segments, a name section."""
    rng = random.Random(seed)
    alphabet = bytes(range(0x20, 0x7F))
    types = section(1, leb(1) + b"\x60\x01\x7f\x01\x7f")
    functions = section(3, leb(funcs) + b"\x00" * funcs)
    memory = section(5, leb(1) + b"\x00" + leb(256))
    bodies = bytearray(leb(funcs))
    for _ in range(funcs):
        n = rng.randint(200, 2600)
        body = b"\x00" + bytes(rng.choice(b"\x01\x1a\x20\x41\x6a") for _ in range(n)) + b"\x0b"
        bodies += leb(len(body)) + body
    data = bytearray(leb(segments))
    for i in range(segments):
        blob = bytes(rng.choice(alphabet) for _ in range(rng.randint(8, 110)))
        data += b"\x00\x41" + leb(1024 + i * 128) + b"\x0b" + leb(len(blob)) + blob
    names = bytearray(leb(funcs))
    for i in range(funcs):
        raw = f"_ZN5bench4func{len(str(i)) + 1}f{i}17h{i:016x}E".encode()
        names += leb(i) + leb(len(raw)) + raw
    name_payload = leb(4) + b"name" + b"\x01" + leb(len(names)) + names
    return (b"\x00asm\x01\x00\x00\x00" + types + functions + memory
            + section(10, bytes(bodies)) + section(11, bytes(data)) + section(0, name_payload))


def npm_module(package: str) -> Path:
    """The largest .wasm inside `npm pack PACKAGE`, extracted under bench-data/."""
    DATA.mkdir(exist_ok=True)
    out = subprocess.run(["npm", "pack", "--silent", package], cwd=DATA, check=True,
                         capture_output=True, text=True).stdout.split()[-1]
    target = DATA / out.removesuffix(".tgz")
    with tarfile.open(DATA / out) as tar:
        tar.extractall(target, filter="data")
    return max(target.rglob("*.wasm"), key=lambda p: p.stat().st_size)


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds user + system) of one run of `cmd`. CPU time is the
    steadier figure on a shared, loaded machine: wall time also counts waiting for a core."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench(path: Path, runs: int) -> None:
    objdump = shutil.which("wasm-objdump")
    workbench = [sys.executable, "-m", "workbench", "inspect", "--json", str(path)]
    direct = [sys.executable, "-c", "import sys; from workbench.core.size.inspect import "
              "inspect_json; sys.stdout.write(inspect_json(sys.argv[1])[0])", str(path)]
    cmds = {"workbench inspect --json": workbench, "inspect_json only (no dispatcher)": direct}
    if objdump:
        cmds["wasm-objdump -x"] = [objdump, "-x", str(path)]
    times: dict[str, list[float]] = {name: [] for name in cmds}
    cpu: dict[str, list[float]] = {name: [] for name in cmds}
    for cmd in cmds.values():
        timed(cmd)  # warm the page cache and .pyc files
    for _ in range(runs):
        for name, cmd in cmds.items():
            wall, used = timed(cmd)
            times[name].append(wall)
            cpu[name].append(used)
    print(f"{path} ({path.stat().st_size:,d} bytes), median of {runs}:")
    medians = {name: statistics.median(t) for name, t in times.items()}
    cpus = {name: statistics.median(t) for name, t in cpu.items()}
    for name, m in medians.items():
        print(f"  {name:36s} {m * 1000:8.1f} ms wall (min {min(times[name]) * 1000:.1f}), "
              f"{cpus[name] * 1000:.1f} ms CPU")
    if objdump:
        ref, ref_cpu = medians["wasm-objdump -x"], cpus["wasm-objdump -x"]
        for name in list(cmds)[:2]:
            print(f"  ratio {name} / wasm-objdump -x: {medians[name] / ref:.2f} wall, "
                  f"{cpus[name] / ref_cpu:.2f} CPU")
    else:
        print("  wasm-objdump not installed (apt-get install wabt): no reference")
    _gzip_error(path)


def _gzip_error(path: Path) -> None:
    from workbench.core.size.inspect import gzip_estimate, gzip_size

    data = path.read_bytes()
    t = time.perf_counter()
    est = gzip_estimate(data)
    t_est = time.perf_counter() - t
    t = time.perf_counter()
    exact = gzip_size(data)
    t_exact = time.perf_counter() - t
    print(f"  gzip -9: exact {exact:,d} B in {t_exact * 1000:.0f} ms; estimate {est:,d} B "
          f"({100 * (est - exact) / exact:+.2f}%) in {t_est * 1000:.0f} ms")


def verify(paths: list[str]) -> int:
    from tests.core.test_wasm_objdump import objdump_facts, reader_facts

    bad = 0
    for p in paths:
        mine, ref = reader_facts(Path(p).read_bytes()), objdump_facts(p)
        same = {k: mine[k] == ref[k] for k in mine}
        bad += not all(same.values())
        print(f"{p}: {len(mine['sections'])} sections, {len(mine['functions'])} functions, "
              f"{len(mine['data'])} data segments: "
              + ("identical to wasm-objdump" if all(same.values()) else f"DIFFERENT {same}"))
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--module", type=Path, help="time this file instead of a synthetic one")
    ap.add_argument("--npm", metavar="PACKAGE", help="time the largest .wasm of an npm package")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--verify", nargs="+", metavar="FILE",
                    help="compare sections/functions/data with wasm-objdump, no timing")
    args = ap.parse_args()
    if args.verify:
        return verify(args.verify)
    path = args.module
    if args.npm:
        path = npm_module(args.npm)
    if path is None:
        DATA.mkdir(exist_ok=True)
        path = DATA / "synthetic-14mb.wasm"
        if not path.exists():
            path.write_bytes(synthetic())
    bench(path, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
