""""Why is this kept?": for an item, one shortest path from the root, the items that
refer to it directly, and its dominator chain (each of which would take it along if
removed)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from workbench.core.errors import UsageError
from workbench.core.size.callgraph import ROOT
from workbench.core.size.retained import Analysis


@dataclass(frozen=True)
class ItemPaths:
    name: str
    kind: str
    size: int
    retained: int
    reachable: bool
    path: tuple[str, ...]  # root ... item (empty when unreachable)
    kept_by: tuple[str, ...]  # direct referrers, reachable ones first
    dominators: tuple[str, ...]  # immediate dominator first, up to the root

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "size": self.size,
                "retained": self.retained, "reachable": self.reachable,
                "path": list(self.path), "kept_by": list(self.kept_by),
                "dominators": list(self.dominators)}


def _parents(a: Analysis) -> list[int]:
    parent = [-1] * len(a.graph)
    parent[ROOT] = ROOT
    queue = deque([ROOT])
    succ = a.graph.succ
    while queue:
        node = queue.popleft()
        for nxt in succ[node]:
            if parent[nxt] == -1:
                parent[nxt] = node
                queue.append(nxt)
    return parent


def paths(a: Analysis, query: str, *, limit: int = 10) -> tuple[ItemPaths, ...]:
    """Items named `query` (exact, else containing it), at most `limit` of them."""
    g, d = a.graph, a.dominance
    nodes = [n for n in g.find(query) if n != ROOT][:limit]
    if not nodes:
        raise UsageError(f"no function, data segment or section named {query!r}",
                         hint="use a name as `--by retained` prints it (a substring works)")
    parent = _parents(a)
    preds = g.preds()
    out = []
    for node in nodes:
        path: list[str] = []
        if parent[node] != -1:
            n = node
            while n != ROOT:
                path.append(g.names[n])
                n = parent[n]
            path.append(g.names[ROOT])
            path.reverse()
        chain: list[str] = []
        n = d.idom[node]
        while n != -1 and n != ROOT:
            chain.append(g.names[n])
            n = d.idom[n]
        if n == ROOT:
            chain.append(g.names[ROOT])
        refs = sorted(set(preds[node]), key=lambda p: (not d.reachable(p), g.names[p]))
        out.append(ItemPaths(g.names[node], g.kinds[node], g.sizes[node], d.retained[node],
                             d.reachable(node), tuple(path),
                             tuple(g.names[p] for p in refs), tuple(chain)))
    return tuple(out)
