"""Independent dominator computations for the tests (deliberately naive).

- `fixpoint`: the textbook data-flow definition, Dom(root) = {root},
  Dom(n) = {n} ∪ ⋂ Dom(p) over reachable predecessors p, iterated to a fixpoint, with
  sets as Python int bitmasks. Retained(d) sums the sizes of every n with d in Dom(n);
  idom(n) is the strict dominator with the largest Dom set. Fine up to ~20k nodes.
- `removal_retained`: the definition itself, for huge graphs on a sample of nodes:
  the bytes that become unreachable from the root when d is deleted.
"""

from __future__ import annotations

from collections import deque


def reachable(succ: tuple[tuple[int, ...], ...], root: int = 0, removed: int = -1) -> bytearray:
    seen = bytearray(len(succ))
    if root == removed:
        return seen
    seen[root] = 1
    queue = deque([root])
    while queue:
        a = queue.popleft()
        for b in succ[a]:
            if not seen[b] and b != removed:
                seen[b] = 1
                queue.append(b)
    return seen


def fixpoint(succ: tuple[tuple[int, ...], ...], sizes: tuple[int, ...],
             root: int = 0) -> tuple[list[int], list[int]]:
    """(idom, retained); idom -1 and retained 0 for unreachable nodes."""
    n = len(succ)
    seen = reachable(succ, root)
    nodes = [v for v in range(n) if seen[v]]
    preds: list[list[int]] = [[] for _ in range(n)]
    for a in nodes:
        for b in succ[a]:
            preds[b].append(a)
    everything = (1 << n) - 1
    dom = [everything] * n
    dom[root] = 1 << root
    changed = True
    while changed:
        changed = False
        for v in nodes:
            if v == root:
                continue
            new = everything
            for p in preds[v]:
                new &= dom[p]
            new |= 1 << v
            if new != dom[v]:
                dom[v] = new
                changed = True
    retained = [0] * n
    idom = [-1] * n
    idom[root] = root
    for v in nodes:
        bits = dom[v]
        best, best_count = -1, -1
        while bits:
            low = bits & -bits
            d = low.bit_length() - 1
            retained[d] += sizes[v]
            if d != v:
                c = dom[d].bit_count()
                if c > best_count:
                    best, best_count = d, c
            bits ^= low
        if v != root:
            idom[v] = best
    return idom, retained


def removal_retained(succ: tuple[tuple[int, ...], ...], sizes: tuple[int, ...],
                     node: int, before: bytearray, root: int = 0) -> int:
    after = reachable(succ, root, removed=node)
    return sum(s for v, s in enumerate(sizes) if before[v] and not after[v])
