"""Hooks evaluation speed: a 100-rule file, p50 per request, against the module path.

Prints medians (microseconds) of `Hooks.evaluate` for requests that (a) match no rule and
walk all 100, (b) are answered by the last rule, (c) are answered by the first rule,
and, when the runtime harness is importable, the fresh-instance path of a small WAT edge
handler measured in the same run, with the ratio. Target: (a) <= 10 us p50 and the hook
answer >= 10x faster than the fresh-instance path.

Run: python benchmarks/bench_hooks.py [--n 20000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from time import perf_counter_ns

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.core.hooks.rules import Hooks, parse_hooks  # noqa: E402
from workbench.core.http import Request  # noqa: E402

KINDS = 10  # ten kinds of rule, repeated to reach 100


def hundred_rules() -> str:
    """100 realistic rules, each kind of condition represented; none match /api/orders."""
    out = []
    for i in range(100):
        k = i % KINDS
        when = [
            f'path = "/static/health-{i}"',
            f'path_prefix = "/legacy-{i}/"',
            f'path_glob = "/assets-{i}/*.png"',
            f'path_regex = "^/blog-{i}/(?P<slug>[^/]+)$"',
            f'method = ["PUT", "DELETE"], path_prefix = "/ro-{i}"',
            f'header = {{ "x-debug-{i}" = true }}',
            f'query = {{ "preview-{i}" = "1" }}',
            f'cookie = {{ "beta-{i}" = {{ matches = "^on" }} }}',
            f'path_prefix = "/admin-{i}", not = {{ client_ip = ["10.0.0.0/8", "fd00::/8"] }}',
            f'host = "*.old-{i}.example.com"',
        ][k]
        action = {
            3: 'action = "redirect"\nlocation = "https://blog.example.com/{slug}"',
            5: 'action = "flag"\nheader = "x-debugging"',
            8: 'action = "block"',
        }.get(k, 'action = "respond"\nbody = "ok"')
        out.append(f'[[rule]]\nname = "r{i}"\nwhen = {{ {when} }}\n{action}\n')
    out[-1] = '[[rule]]\nname = "last"\nwhen = { path = "/the-last" }\naction = "respond"\n'
    return "\n".join(out)


def median_us(fn, req: Request, n: int) -> float:
    samples = []
    for _ in range(n):
        t0 = perf_counter_ns()
        fn(req)
        samples.append(perf_counter_ns() - t0)
    return statistics.median(samples) / 1000.0


def bench_hooks(hooks: Hooks, n: int) -> dict[str, float]:
    headers = (("host", "api.example.com"), ("cookie", "sid=abc; theme=dark"),
               ("user-agent", "bench"), ("accept", "application/json"))
    cases = {
        "no rule matches (walks 100)": Request("GET", "/api/orders?page=2", headers),
        "answered by rule 100": Request("GET", "/the-last", headers),
        "answered by rule 1": Request("GET", "/static/health-0", headers),
    }
    for req in cases.values():  # warm caches (ip memo, regex)
        for _ in range(200):
            hooks.evaluate(req)
    return {name: median_us(hooks.evaluate, req, n) for name, req in cases.items()}


HANDLER_WAT = """
(module
  (memory (export "memory") 1)
  (data (i32.const 1024) "\\13\\00\\00\\00HTTP/1.1 200 OK\\r\\n\\r\\n")
  (global $next (mut i32) (i32.const 4096))
  (func (export "alloc") (param $n i32) (result i32)
    (local $p i32) (local.set $p (global.get $next))
    (global.set $next (i32.add (global.get $next) (local.get $n))) (local.get $p))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 1024)))
"""


def bench_fresh(n: int, hooks: Hooks) -> tuple[float, float] | None:
    """Medians through the harness of the same module: (fresh-instance run, run answered by
    the hooks' rule 100), or None if the runtime is unavailable."""
    try:
        import wasmtime

        from workbench.core.runtime.harness import Harness
    except ImportError as e:
        print(f"(runtime harness not available: {e})")
        return None
    harness = Harness(bytes(wasmtime.wat2wasm(HANDLER_WAT)))
    req = Request("GET", "/the-last", (("host", "api.example.com"),))
    first = harness.run(req, mode="fresh")
    if first.error is not None:
        print(f"(fresh run failed: {first.error})")
        return None
    hooked = harness.run(req, mode="fresh", hooks=hooks)
    assert hooked.hook is not None and hooked.hook["rule"] == "last", hooked.hook
    for _ in range(20):
        harness.run(req, mode="fresh")
        harness.run(req, mode="fresh", hooks=hooks)
    fresh = median_us(lambda r: harness.run(r, mode="fresh"), req, n)
    answered = median_us(lambda r: harness.run(r, mode="fresh", hooks=hooks), req, n)
    return fresh, answered


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--fresh-n", type=int, default=500)
    args = ap.parse_args()
    hooks = parse_hooks(hundred_rules(), file="bench.toml")
    assert len(hooks.rules) == 100
    results = bench_hooks(hooks, args.n)
    print(f"hooks: {len(hooks.rules)} rules, n={args.n}")
    for name, us in results.items():
        flag = "  (target <= 10 us)" if "walks" in name else ""
        print(f"  {name:32s} p50 {us:7.2f} us{flag}")
    measured = bench_fresh(args.fresh_n, hooks)
    if measured is not None:
        fresh, answered = measured
        print(f"harness.run, same module, n={args.fresh_n}:")
        print(f"  fresh-instance path            p50 {fresh:7.2f} us")
        print(f"  answered by hook rule 100      p50 {answered:7.2f} us (hooks + harness)")
        print(f"hook answer is {fresh / answered:.1f}x faster than the fresh-instance path "
              f"(target >= 10x)")


if __name__ == "__main__":
    main()
