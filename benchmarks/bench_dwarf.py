"""DWARF attribution speed on generated C programs compiled with -g (target: < 2 s).

Generates C files with many functions, structs and an inlined helper, compiles them once
with `python -m ziglang cc --target=wasm32-freestanding -g -O1` (cached in the temp
folder, the compile takes 5-30 s), then times
`workbench.core.size.dwarf.attribute.attribute` (median of 5)
for two sizes: about 1 MB of DWARF in total (all .debug_* sections) and about 1 MB of
.debug_info alone. As a reference measured in the same run it times a bare pyelftools
walk of every DIE of the same module (what attribution cost before the fast scanner;
it is also the fallback path) and prints the ratio.

Run: python benchmarks/bench_dwarf.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.core.size.dwarf.attribute import attribute  # noqa: E402
from workbench.core.size.dwarf.load import debug_section_sizes, load_dwarf  # noqa: E402
from workbench.core.wasm import parse_module  # noqa: E402

# (label, functions per file, files)
SIZES = (("~1 MB of DWARF in total", 210, 6), ("~1 MB of .debug_info", 400, 12))


def source(f: int, n: int) -> str:
    out = [f"struct S{f} {{ int a; int b; char name[16]; struct S{f} *next; }};",
           f"static inline int mix{f}(int x, int y) {{ return (x * 31) ^ (y + {f}); }}"]
    for i in range(n):
        out.append(f"""
struct T{f}_{i} {{ int f0; long f1; short f2; unsigned char f3[4]; struct S{f} *s; }};
__attribute__((export_name("fn_{f}_{i}"))) int fn_{f}_{i}(int a, int b) {{
    struct T{f}_{i} t = {{a, b, (short)(a + b), {{1, 2, 3, 4}}, 0}};
    int acc = 0;
    for (int k = 0; k < a; k++) {{ acc += mix{f}(k, t.f0 + (int)t.f1); if (acc > {i}) acc -= b; }}
    volatile int sink = acc + t.f2 + t.f3[a & 3];
    return sink;
}}""")
    return "\n".join(out)


def build(n: int, files: int) -> Path:
    folder = Path(tempfile.gettempdir()) / f"workbench-bench-dwarf-{n}x{files}"
    wasm = folder / "big.wasm"
    if wasm.is_file():
        return wasm
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for f in range(files):
        (folder / f"g{f}.c").write_text(source(f, n))
        names.append(f"g{f}.c")
    print(f"compiling {files} files x {n} functions with -g (once) ...", flush=True)
    subprocess.run([sys.executable, "-m", "ziglang", "cc", "--target=wasm32-freestanding",
                    "-g", "-O1", "-nostdlib", "-Wl,--no-entry", *names, "-o", "big.wasm"],
                   cwd=folder, check=True)
    return wasm


def median_s(fn, runs: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_walk(module) -> int:  # noqa: ANN001
    di = load_dwarf(module)
    return sum(1 for cu in di.iter_CUs() for _ in cu.iter_DIEs())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for label, n, files in SIZES:
        module = parse_module(build(n, files).read_bytes())
        sizes = debug_section_sizes(module)
        attr = attribute(module)
        assert sum(r.size for r in attr.rows()) == module.section("code").size
        t_attr = median_s(lambda m=module: attribute(m), args.runs)
        t_bare = median_s(lambda m=module: bare_walk(m), args.runs)
        funcs = sum(len(f.functions) for f in attr.files)
        print(f"{label}: .debug_* {sum(sizes.values()) / 1e6:.2f} MB "
              f"(.debug_info {sizes.get('.debug_info', 0) / 1e6:.2f} MB), "
              f"{len(module.functions)} functions, {funcs} attributed, "
              f"{len(attr.units)} units")
        print(f"  attribute(): median {t_attr:.3f} s of {args.runs} "
              f"({'under' if t_attr < 2 else 'OVER'} the 2 s target)")
        print(f"  bare pyelftools DIE walk (reference): median {t_bare:.3f} s; "
              f"ratio attribute/bare = {t_attr / t_bare:.2f}")


if __name__ == "__main__":
    main()
