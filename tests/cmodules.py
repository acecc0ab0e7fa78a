"""Small C modules compiled with `python -m ziglang cc` for the size/DWARF tests.

Built once per test process into a temporary folder (`c_modules()` is cached) and
skipped when ziglang is not installed. Each variant is a real clang + wasm-ld output:
- "dwarf4" / "dwarf5": a.c + b.c with -g (-gdwarf-4 / -gdwarf-5)
- "partial": a.c with -g linked with b.c built with -g0 (DWARF for one unit only)
- "nodwarf": both with -g0
- "dwarf4_v2": like dwarf4 with b.c grown by one function (for diffs)
a.c has `unused_fn`, which wasm-ld garbage-collects, leaving a dead-code marker in DWARF,
and `mix` from util.h, which is always inlined.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

UTIL_H = """
static inline __attribute__((always_inline)) int mix(int x, int y) {
    int r = x;
    for (int i = 0; i < y; i++) r = (r * 31) ^ (i + 7);
    return r;
}
"""
A_C = """#include "util.h"
int helper(int a) { int s = 0; for (int i = 0; i < a; i++) s += mix(i, a); return s; }
int unused_fn(int a) { return a * 7 + 3; }
__attribute__((export_name("entry"))) int entry(int x) { return helper(x) + mix(x, 3); }
"""
B_C = """int helper(int a);
__attribute__((export_name("other"))) int other(int y) { return helper(y) ^ 0x55; }
__attribute__((export_name("third"))) int third(int y) {
    int t = 0; for (int i = 0; i < y; i++) t += i * i; return t; }
"""
B2_C = B_C + """__attribute__((export_name("fourth"))) int fourth(int y) {
    int t = 1; for (int i = 1; i < y; i++) t = t * i + (t >> 3); return t; }
"""
CC = [sys.executable, "-m", "ziglang", "cc", "--target=wasm32-freestanding", "-O1"]
LINK = ["-nostdlib", "-Wl,--no-entry"]


def _run(args: list[str], cwd: Path) -> None:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=180)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr}")


@functools.cache
def c_modules() -> dict[str, bytes]:
    """name -> wasm bytes of every variant (see module docstring)."""
    if importlib.util.find_spec("ziglang") is None:
        pytest.skip("ziglang (PyPI package) not installed: cannot compile C test modules")
    tmp = Path(tempfile.mkdtemp(prefix="workbench-cmod-"))
    atexit.register(shutil.rmtree, tmp, True)
    (tmp / "v2").mkdir()
    for name, text in (("util.h", UTIL_H), ("a.c", A_C), ("b.c", B_C)):
        (tmp / name).write_text(text)
        (tmp / "v2" / name).write_text(B2_C if name == "b.c" else text)
    _run(CC + LINK + ["-gdwarf-4", "a.c", "b.c", "-o", "dwarf4.wasm"], tmp)
    _run(CC + LINK + ["-gdwarf-5", "a.c", "b.c", "-o", "dwarf5.wasm"], tmp)
    _run(CC + LINK + ["-gdwarf-4", "a.c", "b.c", "-o", "../dwarf4_v2.wasm"], tmp / "v2")
    _run(CC + LINK + ["-g0", "a.c", "b.c", "-o", "nodwarf.wasm"], tmp)
    _run(CC + ["-g", "-c", "a.c", "-o", "a.o"], tmp)
    _run(CC + ["-g0", "-c", "b.c", "-o", "b.o"], tmp)
    _run(CC + LINK + ["a.o", "b.o", "-o", "partial.wasm"], tmp)
    names = ("dwarf4", "dwarf5", "dwarf4_v2", "nodwarf", "partial")
    return {n: (tmp / f"{n}.wasm").read_bytes() for n in names}


def parse(data: bytes):  # noqa: ANN201 - Module, imported lazily like the code under test
    from workbench.core.wasm import parse_module

    return parse_module(data)


DATA_C = """static int table[16] = {1, 2, 3, 4, 5, 6, 7, 8};
const char *greeting = "hello from the data section";
__attribute__((export_name("entry"))) int entry(int x) {
    table[x & 15] += x; return table[(x + 1) & 15] + greeting[x & 7]; }
"""


@functools.cache
def c_data_module() -> bytes:
    """A C module with DWARF 5 and initialised globals (`table`, `greeting` and its string
    literal in .data / .rodata): the DWARF data-symbol readers have something to split."""
    if importlib.util.find_spec("ziglang") is None:
        pytest.skip("ziglang (PyPI package) not installed: cannot compile C test modules")
    tmp = Path(tempfile.mkdtemp(prefix="workbench-cdata-"))
    atexit.register(shutil.rmtree, tmp, True)
    (tmp / "data.c").write_text(DATA_C)
    _run(CC + LINK + ["-gdwarf-5", "data.c", "-o", "data.wasm"], tmp)
    return (tmp / "data.wasm").read_bytes()
