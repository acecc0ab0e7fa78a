"""Which implementation runs: the compiled kernels or the pure-Python reference.

`auto` (the default) uses the compiled kernels and falls back to Python where they cannot
run (no wasmtime, a missing or mismatched `kernels.wasm`); `native` insists on them;
`python` never loads them. Tests select with the `kernels=` argument of `analyze` /
`build_callgraph` / `dominators`, or for a whole process with `WORKBENCH_KERNELS`.
Importing this module does not import wasmtime.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

KERNELS = ("auto", "native", "python")
T = TypeVar("T")


def resolve(kernels: str | None) -> str:
    choice = kernels or os.environ.get("WORKBENCH_KERNELS") or "auto"
    if choice not in KERNELS:
        raise ValueError(f"unknown kernels {choice!r} (one of {', '.join(KERNELS)})")
    return choice


def run(kernels: str | None, native: Callable[[], T], python: Callable[[], T]) -> T:
    """`native()` unless `python` was chosen or (under `auto`) the kernels cannot run."""
    choice = resolve(kernels)
    if choice != "python":
        from workbench.core.wasm.native.kernel import NativeUnavailable

        try:
            return native()
        except (NativeUnavailable, ImportError):
            if choice == "native":
                raise
    return python()
