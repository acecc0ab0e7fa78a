"""Dominator tree and retained sizes (Cooper, Harvey & Kennedy, "A Simple, Fast
Dominance Algorithm", 2001), iterative throughout: no recursion, so 100k-node graphs
are fine.

Node d dominates n when every path from the root to n passes through d; n's retained
size is the sum of the sizes of the nodes it dominates (itself included): the bytes
that would go if n went, because nothing else keeps them. Nodes the root does not reach
have no dominator (`idom[n] == -1`) and retain nothing: they are garbage (garbage.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.core.size.callgraph import ROOT, CallGraph
from workbench.core.wasm.native import choice


@dataclass(frozen=True)
class Dominance:
    idom: tuple[int, ...]  # immediate dominator; ROOT's is ROOT; -1: unreachable
    retained: tuple[int, ...]  # 0 for unreachable nodes
    order: tuple[int, ...]  # reachable nodes in reverse postorder (ROOT first)

    def reachable(self, node: int) -> bool:
        return self.idom[node] != -1

    def children(self) -> list[list[int]]:
        out: list[list[int]] = [[] for _ in self.idom]
        for n, d in enumerate(self.idom):
            if d != -1 and n != ROOT:
                out[d].append(n)
        return out

    def to_json(self) -> dict[str, Any]:
        return {"idom": list(self.idom), "retained": list(self.retained)}


def reverse_postorder(succ: tuple[tuple[int, ...], ...], root: int = ROOT) -> list[int]:
    """Iterative DFS from `root`; reverse postorder of the reachable nodes."""
    seen = bytearray(len(succ))
    seen[root] = 1
    post: list[int] = []
    stack = [(root, iter(succ[root]))]
    while stack:
        node, it = stack[-1]
        for nxt in it:
            if not seen[nxt]:
                seen[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
                break
        else:
            stack.pop()
            post.append(node)
    post.reverse()
    return post


def dominators(graph: CallGraph, *, kernels: str | None = None) -> Dominance:
    """The dominance of `graph` from ROOT: compiled (`wasm/native/dominance.c`) or this
    module's Python (`kernels`, see `wasm.native.choice`); both give identical results."""

    def native() -> Dominance:
        from workbench.core.wasm.native.dominance import dominance

        order, idom, retained = dominance(graph.succ, graph.sizes)
        return Dominance(tuple(idom), tuple(retained), tuple(order))

    return choice.run(kernels, native, lambda: python_dominators(graph))


def python_dominators(graph: CallGraph) -> Dominance:
    n = len(graph)
    order = reverse_postorder(graph.succ)
    rpo = [-1] * n
    for i, node in enumerate(order):
        rpo[node] = i
    preds: list[list[int]] = [[] for _ in range(n)]
    for a in order:
        for b in graph.succ[a]:
            preds[b].append(a)
    idom = [-1] * n
    idom[ROOT] = ROOT
    changed = True
    while changed:
        changed = False
        for node in order[1:]:
            new = -1
            for p in preds[node]:
                if idom[p] == -1:
                    continue
                if new == -1:
                    new = p
                    continue
                a, b = p, new  # intersect: walk up by RPO number until they meet
                while a != b:
                    while rpo[a] > rpo[b]:
                        a = idom[a]
                    while rpo[b] > rpo[a]:
                        b = idom[b]
                new = a
            if idom[node] != new:
                idom[node] = new
                changed = True
    retained = [0] * n
    sizes = graph.sizes
    for node in reversed(order):
        retained[node] += sizes[node]
        if node != ROOT:
            retained[idom[node]] += retained[node]
    return Dominance(tuple(idom), tuple(retained), tuple(order))
