"""wasi:http/proxy component figures: compile (Winch vs Cranelift), compiled-cache load,
cold / fresh / warm request p50s, for the componentize-py sample and a text component;
and one host call (string -> list<u8>) through wasmtime-py's public
`LinkerInstance.add_func` (types rebuilt per call) vs `capi.define_func` (cached).

Also an Extism plugin (the AssemblyScript-PDK `greet` fixture) through the harness in
each mode, against the SDK's own `Plugin.call` on a warm plugin measured in the same run
(skipped without the `extism` extra).

Run: python benchmarks/bench_component.py [--wasm app.wasm] [--rounds 5] [--n 300]
     [--compile-rounds 1] [--skip-sample]
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

import wasmtime  # noqa: E402
import wasmtime.component as wc  # noqa: E402

from tests.core.runtime.components import HI, proxy  # noqa: E402
from workbench.core.http import Request  # noqa: E402
from workbench.core.runtime.component import capi  # noqa: E402
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


HOST_CALLS = """
(component
  (import "host" (instance $h (export "tick" (func (param "s" string) (result (list u8))))))
  (core module $mem (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 1024)))
  (core instance $mi (instantiate $mem))
  (alias core export $mi "memory" (core memory $memory))
  (alias core export $mi "realloc" (core func $realloc))
  (core func $tick (canon lower (func $h "tick") (memory $memory) (realloc $realloc)))
  (core module $m
    (import "h" "tick" (func $tick (param i32 i32 i32)))
    (import "h" "memory" (memory 1))
    (func (export "run") (param $n i32)
      (loop $l
        (call $tick (i32.const 0) (i32.const 5) (i32.const 64))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $l (local.get $n)))))
  (core instance $i (instantiate $m (with "h" (instance
    (export "tick" (func $tick)) (export "memory" (memory $memory))))))
  (func (export "run") (param "n" u32) (canon lift (core func $i "run"))))
"""


def host_call_us(public: bool, calls: int) -> float:
    """Microseconds per host call: the guest calls `tick("hello")` `calls` times."""
    eng = CE.engine()
    comp = wc.Component(eng, wasmtime.wat2wasm(HOST_CALLS))
    linker = wc.Linker(eng)
    with linker.root() as root, root.add_instance("host") as inst:
        if public:
            inst.add_func("tick", lambda store, s: b"hello")
        else:
            capi.define_func(inst, "tick", lambda s: b"hello", "host#tick")
    store = wasmtime.Store(eng)
    store.set_fuel(2**60)
    store.set_epoch_deadline(2**40)
    run = capi.ExportFunc(store, linker.instantiate(store, comp).get_func(store, "run"))
    t0 = time.perf_counter()
    run(store, calls)
    run.post_return(store)
    return (time.perf_counter() - t0) / calls * 1e6


def host_calls(rounds: int) -> None:
    public = statistics.median(host_call_us(True, 300) for _ in range(rounds))
    cached = statistics.median(host_call_us(False, 300) for _ in range(rounds))
    print(f"\none host call (string -> list<u8>), median of {rounds} rounds of 300 calls:")
    print(f"  wasmtime-py add_func {public:7.1f} us   capi.define_func {cached:7.1f} us   "
          f"({public / cached:.1f}x)")


def extism_figures(rounds: int, n: int) -> None:
    import importlib.util

    if importlib.util.find_spec("extism") is None:
        print("\n(Extism skipped: pip install 'workbench[extism]')")
        return
    import extism

    from workbench.core.runtime.host_config import HostConfig

    wasm = (REPO / "tests" / "fixtures" / "extism" / "greet.wasm").read_bytes()
    req = Request("POST", "/", body=b"Ada")
    rows: dict[str, list[float]] = {}
    for _ in range(rounds):
        h = Harness(wasm, name="greet", host=HostConfig(extism_function="greet"))
        h.check()
        for label, mode, count in [("cold request (compiles)", "cold", max(3, n // 30)),
                                   ("fresh request", "fresh", max(5, n // 10)),
                                   ("warm request", "warm", n)]:
            rows.setdefault(label, []).append(p50(h, req, mode, count) / 1000)
        plugin = extism.Plugin(wasm, wasi=True, functions=[])
        hist = Histogram()
        for _ in range(n):
            t0 = time.perf_counter_ns()
            plugin.call("greet", b"Ada")
            hist.record((time.perf_counter_ns() - t0) / 1000)
        rows.setdefault("reference: SDK Plugin.call, warm", []).append(
            hist.percentile(50) / 1000)
    print(f"\nExtism plugin greet ({len(wasm) / 1e3:.1f} kB, extism "
          f"{extism.extism_version()}): median of {rounds} rounds of p50s")
    for label, vals in rows.items():
        print(f"  {label:34s} {statistics.median(vals):8.3f} ms")
    warm = statistics.median(rows["warm request"])
    ref = statistics.median(rows["reference: SDK Plugin.call, warm"])
    print(f"  harness warm / SDK call: {warm / ref:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasm", type=Path)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--compile-rounds", type=int, default=1)
    ap.add_argument("--skip-sample", action="store_true",
                    help="text component and Extism only")
    args = ap.parse_args()
    import os

    print("load average at start: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    host_calls(args.rounds)
    extism_figures(args.rounds, args.n)
    requests("text component (hi)", proxy(HI), args.rounds, args.n * 10)
    wasm = None if args.skip_sample else (
        args.wasm.read_bytes() if args.wasm else build_sample())
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
    print("load average at end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
