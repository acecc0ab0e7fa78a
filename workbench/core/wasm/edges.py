"""What the call graph needs from each function body, and which scanner produces it.

Each body's references come back as `targets.BodyEdges` (canonical: sorted, no
duplicates, only the `i32.const` values that can name a data segment).

Two scanners give identical results (tests check it on real modules):
- `native`: `native/scanner.c` compiled to WebAssembly (`native/kernels.wasm`), run
  in wasmtime at near native speed; the default;
- `python`: the regular-expression scanner (`scan.py`) over the reference decoder
  (`instr.py`); used where the compiled scanner cannot run, and selectable for tests
  (`kernels="python"`, or `WORKBENCH_KERNELS=python` in the environment).
A body either scanner rejects is decoded by the reference, so errors and offsets are
the reference's.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from workbench.core.wasm.leb import Buf
from workbench.core.wasm.native import choice
from workbench.core.wasm.targets import BodyEdges, from_refs


def python_edges(data: Buf, bodies: Sequence[tuple[int, int]], lo: int, hi: int,
                 cancel: threading.Event | None = None) -> list[BodyEdges]:
    from workbench.core.wasm.scan import const_bytes_for, scan_bodies

    cb = const_bytes_for([(lo, hi)] if hi > lo else [])
    return [from_refs(r, lo, hi) for r in scan_bodies(data, bodies, cb, cancel)]


def body_edges(data: Buf, bodies: Sequence[tuple[int, int]], lo: int, hi: int, *,
               kernels: str | None = None,
               cancel: threading.Event | None = None) -> list[BodyEdges]:
    """`BodyEdges` of each (start, size) body of `data` (the whole file), in order.
    A malformed body raises `leb.Bad` with its absolute offset. `kernels`: see
    `native.choice` (default: compiled, Python where it cannot run)."""

    def native() -> list[BodyEdges]:
        from workbench.core.wasm.native.scanner import scan

        return scan(data, bodies, lo, hi, cancel)

    return choice.run(kernels, native, lambda: python_edges(data, bodies, lo, hi, cancel))
