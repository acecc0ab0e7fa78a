"""Host of the compiled dominator kernel (`dominance.c` in `kernels.wasm`): the graph
goes in as CSR arrays, the reverse postorder, immediate dominators and retained sizes
come back; `core.size.dominators` turns them into its `Dominance`."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from itertools import accumulate, chain

from workbench.core.wasm.native.kernel import Arena

NIL = 0xFFFFFFFF


def dominance(succ: Sequence[Sequence[int]], sizes: Sequence[int]
              ) -> tuple[list[int], list[int], list[int]]:
    """(order, idom, retained) from root 0: order in reverse postorder, idom -1 where
    unreachable (the root's is itself), retained 0 where unreachable."""
    n = len(succ)
    off = array("I", accumulate(map(len, succ), initial=0)).tobytes()
    dst = array("I", chain.from_iterable(succ)).tobytes()
    m = len(dst) // 4
    mem = Arena()
    at_off, at_dst, at_sizes = mem.reserve(len(off)), mem.reserve(len(dst)), mem.reserve(4 * n)
    at_order, at_idom, at_ret = mem.reserve(4 * n), mem.reserve(4 * n), mem.reserve(8 * n)
    at_seen, at_stack, at_edge = mem.reserve(n), mem.reserve(4 * n), mem.reserve(4 * n)
    at_rpo, at_poff, at_pred = mem.reserve(4 * n), mem.reserve(4 * n + 4), mem.reserve(4 * m)
    mem.commit()
    mem.put(at_off, off)
    mem.put(at_dst, dst)
    mem.put(at_sizes, array("I", sizes).tobytes())
    count = mem.func("dominators")(n, at_off, at_dst, at_sizes, at_order, at_idom, at_ret,
                                   at_seen, at_stack, at_edge, at_rpo, at_poff, at_pred)
    order = array("I", mem.get(at_order, 4 * count)).tolist()
    idom = [-1 if d == NIL else d for d in array("I", mem.get(at_idom, 4 * n)).tolist()]
    retained = array("Q", mem.get(at_ret, 8 * n)).tolist()
    return order, idom, retained
