"""Garbage: items no root reaches (twiggy's `garbage`), i.e. what a linker with
`--gc-sections` or `wasm-opt --remove-unused-module-elements` could drop.

Caveat for data segments: a segment is reached only when a constant address names it
(an `i32.const` into its range, or `memory.init` / `data.drop`); data reached only
through pointers computed at run time, or stored in other data, shows here although it
is used. Function rows have no such caveat: calls, `ref.func`, exports, the start
function and element segments are all the ways a function can be reached.
"""

from __future__ import annotations

from workbench.core.size.callgraph import ROOT
from workbench.core.size.retained import Analysis, GraphRow, GraphView, with_warning

DATA_NOTE = ("data segments listed here are named by no constant address; code may "
             "still reach them through computed pointers")


def garbage(a: Analysis) -> GraphView:
    """Unreachable items, largest first; `unreachable` is their sum."""
    g, d = a.graph, a.dominance
    idom, sizes = d.idom, g.sizes
    nodes = [n for n in range(len(g)) if idom[n] == -1 and sizes[n]]
    nodes.sort(key=lambda n: (-g.sizes[n], g.names[n]))
    rows = tuple(GraphRow(g.names[n], g.kinds[n], g.sizes[n], g.sizes[n], 0, n)
                 for n in nodes)
    reachable = d.retained[ROOT]
    note = DATA_NOTE if any(r.kind == "data" for r in rows) else None
    return GraphView("garbage", g.file_size, reachable, g.file_size - reachable, rows,
                     with_warning(note, a))
