"""Hostile hooks patterns and large hooks files: RE2 against Python's re, load scaling.

Prints, in one run on this machine:
1. `^/(a+)+$` against "/" + "a"*n + "!" for growing n: median ms with the hooks engine
   (RE2) and with Python's `re` (the old engine), stopping `re` once it passes 2 s;
2. a glob of repeated `**` against a 60-character path, RE2 vs a backtracking `re`
   translation of the same glob (stopped at 2 s);
3. parse time of hooks files of 250, 500, 1000 and 2000 rules and the ratio per doubling
   (about 2.0 is linear; the old loader was about 4.0: every rule re-scanned the file).

Run: python benchmarks/bench_hooks_hostile.py
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
from pathlib import Path
from time import perf_counter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.core.globs import glob_pattern as glob_regex  # noqa: E402
from workbench.core.hooks.rules import parse_hooks  # noqa: E402
from workbench.core.regex import compile_regex  # noqa: E402

CUTOFF_S = 2.0


def _median_ms(fn, reps: int = 5) -> float:
    times = []
    for _ in range(reps):
        t = perf_counter()
        fn()
        times.append((perf_counter() - t) * 1000)
    return statistics.median(times)


def _bounded(pattern: str, text: str, *, match: bool = False) -> float | None:
    """ms for Python's re on (pattern, text), timed in a child process killed after
    CUTOFF_S (re holds the GIL: a thread could not be abandoned); None when killed."""
    call = "match" if match else "search"
    code = ("import re, sys, time; rx = re.compile(sys.argv[1]); t = time.perf_counter(); "
            f"rx.{call}(sys.argv[2]); print((time.perf_counter() - t) * 1000)")
    try:
        out = subprocess.run([sys.executable, "-c", code, pattern, text], timeout=CUTOFF_S,
                             capture_output=True, text=True, check=True).stdout
    except subprocess.TimeoutExpired:
        return None
    return float(out)


def main() -> None:
    pattern = r"^/(a+)+$"
    fast = compile_regex(pattern)
    print(f"1. {pattern} on '/' + 'a'*n + '!'  (median ms; re stopped at {CUTOFF_S} s)")
    re_gave_up = False
    for n in (16, 20, 22, 24, 26, 28):
        path = "/" + "a" * n + "!"
        ms_re2 = _median_ms(lambda p=path: fast.search(p))
        ms_re = None if re_gave_up else _bounded(pattern, path)
        re_gave_up = re_gave_up or ms_re is None
        shown = f"{ms_re:10.1f}" if ms_re is not None else f"  >{CUTOFF_S * 1000:.0f}"
        print(f"   n={n:2d}  re2 {ms_re2:8.4f}   re {shown}")
    glob = "/" + "**a" * 12 + "**b"
    path = "/" + "a" * 60
    old = "^/" + "".join(".*" if p == "" else re.escape(p) for p in glob[1:].split("*")) + "$"
    ms_re2 = _median_ms(lambda: compile_regex(glob_regex(glob)).match(path))
    ms_re = _bounded(old, path, match=True)
    print(f"2. glob {glob!r} on 60 chars: re2 {ms_re2:.4f} ms, re "
          + (f"{ms_re:.1f} ms" if ms_re is not None else f">{CUTOFF_S * 1000:.0f} ms"))
    print("3. hooks file load (median of 3, ms)")
    previous = None
    for n in (250, 500, 1000, 2000):
        text = "".join(f'[[rule]]\nname = "r{i}"\nwhen = {{ path_regex = "^/p{i}/(?P<id>[0-9]+)$"'
                       f', method = "GET" }}\naction = "respond"\nbody = "{{id}}"\n\n'
                       for i in range(n))
        ms = _median_ms(lambda t=text: parse_hooks(t, file="h.toml"), reps=3)
        ratio = f"  x{ms / previous:.2f} per doubling" if previous else ""
        print(f"   {n:5d} rules {ms:9.1f}{ratio}")
        previous = ms


if __name__ == "__main__":
    main()
