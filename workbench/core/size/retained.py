"""Retained-size and dominator-tree views of the call graph, as frozen rows.

Both views add up to the file size: `by_retained` lists every reachable item with its
own size and what it retains (nested, so the rows themselves overlap) and states the
reconciliation `retained by <module> + unreachable == file size`; `dominator_tree`
lists the tree from the root, whose top-level rows plus the header and the unreachable
row sum to the file size exactly.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.core.size.callgraph import ROOT, CallGraph, build_callgraph
from workbench.core.size.dominators import Dominance, dominators
from workbench.core.wasm.model import Module

if TYPE_CHECKING:
    from workbench.core.size.dwarf.variables import DataSymbol


@dataclass(frozen=True, slots=True)
class GraphRow:
    name: str
    kind: str  # callgraph.KINDS, or "unreachable" / "header" / "more" summary rows
    size: int  # the item's own bytes
    retained: int  # bytes that go if it goes (== size for summary rows)
    depth: int = 0  # dominator-tree depth (0: kept only by the root)
    node: int = -1

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "size": self.size,
                "retained": self.retained, "depth": self.depth}


@dataclass(frozen=True)
class GraphView:
    """One graph view. `reachable + unreachable == total == file size`."""

    by: str
    total: int
    reachable: int
    unreachable: int
    rows: tuple[GraphRow, ...]
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"by": self.by, "total": self.total, "reachable": self.reachable,
                "unreachable": self.unreachable, "note": self.note,
                "rows": [r.to_json() for r in self.rows]}


@dataclass(frozen=True)
class Analysis:
    """A module's call graph with its dominance, computed once for every graph view."""

    graph: CallGraph
    dominance: Dominance
    warning: str | None = None  # broken DWARF: data segments split only partly


def analyze(module: Module, *, file: str | None = None, data_symbols: bool = False,
            cancel: threading.Event | None = None, kernels: str | None = None) -> Analysis:
    """Graph + dominance. `data_symbols`: split data segments by DWARF variables (costs
    a walk of `.debug_info`; a no-op without it). `kernels`: compiled or Python
    (`wasm.native.choice`), for the graph and the dominators alike."""
    symbols: tuple[DataSymbol, ...] = ()
    warning = None
    if data_symbols and module.custom(".debug_info") is not None \
            and module.section("data") is not None:
        from workbench.core.size.dwarf.variables import read_data_symbols

        symbols, warning = read_data_symbols(module)
    graph = build_callgraph(module, file=file, symbols=symbols, cancel=cancel,
                            kernels=kernels)
    return Analysis(graph, dominators(graph, kernels=kernels), warning)


def with_warning(note: str | None, a: Analysis) -> str | None:
    """A view's note with the analysis' broken-DWARF warning after it."""
    if a.warning is None:
        return note
    return f"{note}; {a.warning}" if note else a.warning


def _row(a: Analysis, node: int, depth: int = 0) -> GraphRow:
    g, d = a.graph, a.dominance
    return GraphRow(g.names[node], g.kinds[node], g.sizes[node], d.retained[node], depth,
                    node)


def by_retained(a: Analysis) -> GraphView:
    """Every reachable item but the root, largest retained size first."""
    d = a.dominance
    nodes = sorted((n for n in d.order if n != ROOT),
                   key=lambda n: (-d.retained[n], a.graph.names[n]))
    reachable = d.retained[ROOT]
    return GraphView("retained", a.graph.file_size, reachable,
                     a.graph.file_size - reachable, tuple(_row(a, n) for n in nodes),
                     with_warning("rows nest (a function's retained bytes include its "
                                  "callees'); retained by <module> + unreachable = file size",
                                  a))


def dominator_tree(a: Analysis, *, max_depth: int = 3, top: int | None = None) -> GraphView:
    """The tree below the root, children by retained size, `top` children per node and
    `max_depth` levels; depth-0 rows + header + unreachable add up to the file size."""
    d = a.dominance
    kids = d.children()
    for lst in kids:
        lst.sort(key=lambda n: (-d.retained[n], a.graph.names[n]))
    rows: list[GraphRow] = []
    top_level = kids[ROOT] if top is None else kids[ROOT][:top]
    stack = [(n, 0) for n in reversed(top_level)]
    while stack:
        node, depth = stack.pop()
        rows.append(_row(a, node, depth))
        if depth + 1 < max_depth:
            below = kids[node] if top is None else kids[node][:top]
            stack.extend((n, depth + 1) for n in reversed(below))
    rest = kids[ROOT][len(top_level):]
    if rest:
        more = sum(d.retained[n] for n in rest)
        rows.append(GraphRow(f"… {len(rest):,d} more items kept only by <module>", "more",
                             sum(a.graph.sizes[n] for n in rest), more))
    reachable = d.retained[ROOT]
    unreachable = a.graph.file_size - reachable
    header = a.graph.sizes[ROOT]
    rows.append(GraphRow("<module> header (magic + version)", "header", header, header))
    if unreachable:
        rows.append(GraphRow("unreachable (see --by garbage)", "unreachable", unreachable,
                             unreachable))
    return GraphView("dominators", a.graph.file_size, reachable, unreachable, tuple(rows),
                     with_warning(None, a))
