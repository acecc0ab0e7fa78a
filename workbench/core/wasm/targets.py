"""One function body's references in the canonical form both body scanners return.

Sorted, without duplicates; `call` / `return_call` / `ref.func` targets merged (they
make the same edge); only the `i32.const` values (as u32) in `[lo, hi)`, the span of
the data segments, since no other value can name one.
"""

from __future__ import annotations

from typing import NamedTuple

from workbench.core.wasm.instr import BodyRefs


class BodyEdges(NamedTuple):
    funcs: tuple[int, ...]  # function indices: calls, tail calls, ref.func
    consts: tuple[int, ...]  # i32.const values (u32) in [lo, hi)
    datas: tuple[int, ...]  # data segment indices named by bulk-memory / GC instructions


def from_refs(refs: BodyRefs, lo: int, hi: int) -> BodyEdges:
    """The canonical form of the reference decoder's `BodyRefs`."""
    consts = {v & 0xFFFFFFFF for v in refs.consts}
    return BodyEdges(tuple(sorted(set(refs.calls) | set(refs.funcrefs))),
                     tuple(sorted(v for v in consts if lo <= v < hi)),
                     tuple(sorted(set(refs.datas))))
