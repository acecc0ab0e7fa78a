"""The module's reference graph: every byte of the file is one node's, edges say who keeps
whom.

Nodes, each with its on-disk size (so the sizes of all nodes add up to the file size):
- 0, `<module>`: the root, sized as the 8-byte header;
- one per section other than code and data (id byte, size LEB and payload);
- `code section (header, counts, body size LEBs)` and `data section (header, count,
  segment headers)`: the section bytes no body / segment owns; each function and data
  segment node then counts its *payload* only (body `size=` as wasm-objdump prints it;
  segment bytes), so rows match the function and data views;
- one per imported function (size 0), per defined function, per data segment;
- one per export (size 0), so paths read `<module> → export "run" → main → ...`.

Edges: root → sections, exports and overhead nodes; export → its function; start
section → start function; element section → the functions its segments name; global
section → `ref.func` targets and data segments its `i32.const` values fall into;
function → `call` / `return_call` / `ref.func` targets, data segments an `i32.const`
address falls into (active segments with a constant offset) and segments named by
`memory.init` / `data.drop` / `array.new_data` / `array.init_data`.
Indirect calls are not edges: the element section keeps every function a table holds.
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from workbench.core.errors import MalformedModule
from workbench.core.wasm.edges import body_edges
from workbench.core.wasm.instr import decode_body, require_data_count
from workbench.core.wasm.leb import Bad
from workbench.core.wasm.model import Module
from workbench.core.wasm.refs import module_refs

if TYPE_CHECKING:
    from workbench.core.size.dwarf.variables import DataSymbol

ROOT = 0
KINDS = ("root", "section", "overhead", "import", "function", "data", "export")


@dataclass(frozen=True)
class CallGraph:
    """Node `i` has `names[i]`, `kinds[i]`, `sizes[i]`, successors `succ[i]`.

    `func_node[k]` is the node of function index k (imports first); `data_node[k]` the
    node of data segment k. Invariant: sum(sizes) == module size."""

    names: tuple[str, ...]
    kinds: tuple[str, ...]
    sizes: tuple[int, ...]
    succ: tuple[tuple[int, ...], ...]
    func_node: tuple[int, ...]
    data_node: tuple[int, ...]
    file_size: int

    def __len__(self) -> int:
        return len(self.names)

    def preds(self) -> list[list[int]]:
        out: list[list[int]] = [[] for _ in self.names]
        for a, targets in enumerate(self.succ):
            for b in targets:
                out[b].append(a)
        return out

    def find(self, name: str) -> list[int]:
        """Nodes named exactly `name`, else those whose name contains it."""
        exact = [i for i, n in enumerate(self.names) if n == name]
        return exact or [i for i, n in enumerate(self.names) if name in n]


class _Builder:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.kinds: list[str] = []
        self.sizes: list[int] = []
        self.succ: defaultdict[int, set[int]] = defaultdict(set)  # only nodes with edges
        self.fixed: dict[int, tuple[int, ...]] = {}  # sorted edges of function nodes

    def add(self, name: str, kind: str, size: int) -> int:
        self.names.append(name)
        self.kinds.append(kind)
        self.sizes.append(size)
        return len(self.names) - 1

    def extend(self, names: list[str], kind: str, sizes: list[int]) -> list[int]:
        """Many nodes of one kind at once (100k data segments on Go modules)."""
        first = len(self.names)
        self.names += names
        self.kinds += [kind] * len(names)
        self.sizes += sizes
        return list(range(first, len(self.names)))

    def successors(self) -> tuple[tuple[int, ...], ...]:
        out: list[tuple[int, ...]] = [()] * len(self.names)
        for i, targets in zip(self.succ, map(tuple, map(sorted, self.succ.values())),
                              strict=True):
            out[i] = targets
        for i, targets in self.fixed.items():
            out[i] = targets
        return tuple(out)


Span = tuple[int, int, int]  # [start, end) address range, node


def _overlap(spans: list[Span]) -> bool:
    """Sorted spans of which one starts before the previous ends (then `one` decides,
    as it always has: the span starting last at or below the address)."""
    return any(b[0] < a[1] for a, b in zip(spans, spans[1:], strict=False))


def _addresses(values: set[int], spans: list[Span], fine: list[Span],
               one: Callable[[int], int]) -> dict[int, int]:
    """{address: node} for the `values` (u32) that fall in a segment or symbol span.
    Few spans (Rust, C): each span picks its values out of the sorted list, without a
    Python step per value; many (Go's 100k segments): `one` per value."""
    if len(spans) + len(fine) > len(values) or _overlap(spans) or _overlap(fine):
        return {v: n for v in values if (n := one(v)) >= 0}
    ordered = sorted(values)
    out: dict[int, int] = {}
    for lo, hi, node in spans + fine:  # fine last: a symbol wins over its segment
        out.update(dict.fromkeys(ordered[bisect.bisect_left(ordered, lo):
                                         bisect.bisect_left(ordered, hi)], node))
    return out


def build_callgraph(module: Module, *, file: str | None = None,
                    symbols: Sequence[DataSymbol] = (),
                    cancel: threading.Event | None = None,
                    kernels: str | None = None) -> CallGraph:
    """Decode every body and build the graph. A malformed body raises MalformedModule.

    `symbols` (DWARF variables, `dwarf.variables.data_symbols`) split a data segment
    into one node per variable plus the segment's remaining bytes, so `SIN_TABLE` is
    kept (and dominated) by the functions that name its address. `kernels`: compiled
    or Python body scanner (`wasm.native.choice`)."""
    if module.kind != "module":
        raise ValueError("a component has no call graph of its own; inspect its core modules")
    g = _Builder()
    g.add("<module>", "root", module.sections[0].offset if module.sections else module.size)
    section_node: dict[int, int] = {}
    for i, s in enumerate(module.sections):
        if s.id == 10:
            own = sum(map(attrgetter("size"), module.functions))
            label = "code section (header, count, body size LEBs)"
        elif s.id == 11:
            own = sum(map(attrgetter("size"), module.data_segments))
            label = "data section (header, count, segment headers)"
        else:
            own = 0
            label = f"custom section {s.name!r}" if s.id == 0 else f"{s.name} section"
        node = g.add(label, "overhead" if s.id in (10, 11) else "section", s.disk_size - own)
        section_node[s.id if s.id else -1 - i] = node
        g.succ[ROOT].add(node)
    imports = [f"import {im.module}.{im.name}" for im in module.imports if im.kind == "func"]
    func_node = g.extend(imports, "import", [0] * len(imports))
    func_node += g.extend([f.name for f in module.functions], "function",
                          [f.size for f in module.functions])
    segs = module.data_segments
    owned = [0] * len(segs)
    for sym in symbols:
        owned[sym.segment] += sym.size
    data_node = g.extend([d.name or f"data[{d.index}]" for d in segs], "data",
                         [d.size - owned[d.index] for d in segs])
    sym_node = g.extend([sym.label for sym in symbols], "data", [sym.size for sym in symbols])
    nfuncs = len(func_node)

    def link(a: int, func: int) -> None:
        if 0 <= func < nfuncs:
            g.succ[a].add(func_node[func])

    for e in module.exports:
        if e.kind == "func":
            node = g.add(f"export {e.name!r}", "export", 0)
            g.succ[ROOT].add(node)
            link(node, e.index)
    if module.start is not None and 8 in section_node:
        link(section_node[8], module.start)
    refs = module_refs(module, kernels=kernels)
    spans = sorted((r[0], r[1], data_node[k]) for k, r in enumerate(refs.data_ranges)
                   if r is not None and r[1] > r[0])
    starts = [s[0] for s in spans]
    fine = sorted((sym.address, sym.address + sym.size, node)
                  for sym, node in zip(symbols, sym_node, strict=True))
    fine_starts = [s[0] for s in fine]
    lowest = spans[0][0] if spans else 0
    highest = max((s[1] for s in spans), default=0)

    def data_target(value: int) -> int:
        """The node whose bytes hold address `value` (a DWARF symbol before its
        segment), or -1."""
        value &= 0xFFFFFFFF
        j = bisect.bisect_right(fine_starts, value) - 1
        if j >= 0 and value < fine[j][1]:
            return fine[j][2]
        j = bisect.bisect_right(starts, value) - 1
        if j >= 0 and value < spans[j][1]:
            return spans[j][2]
        return -1

    def hit(a: int, value: int) -> None:
        node = data_target(value)
        if node >= 0:
            g.succ[a].add(node)

    g.succ[section_node.get(9, ROOT)].update(
        [func_node[f] for f in refs.element_funcs if 0 <= f < nfuncs])
    gnode = section_node.get(6, ROOT)
    for f in refs.global_funcs:
        link(gnode, f)
    for v in refs.global_consts:
        hit(gnode, v)
    bodies = [(f.start, f.size) for f in module.functions]
    try:
        decoded = body_edges(module.data, bodies, lowest, highest, kernels=kernels,
                             cancel=cancel)
        if module.data_count is None:  # the reference decoder names the offending offset
            named = [b for b, e in zip(bodies, decoded, strict=True) if e.datas]
            if named:
                start, size = named[0]
                require_data_count([decode_body(module.data, start, start + size)], None)
    except Bad as e:
        at = next((f for f in module.functions if f.start <= e.pos <= f.start + f.size), None)
        who = f" in function {at.name} (#{at.index})" if at is not None else ""
        raise MalformedModule(f"code section{who}: {e.message}", e.pos, file=file,
                              hint="the module is damaged or uses an unknown instruction"
                              ) from None
    imported, ndata = module.imported_functions, len(data_node)
    first = func_node[0] if func_node else 0  # function nodes are consecutive
    # each distinct address once (bodies name the same ones again and again); data
    # nodes are never ROOT (0), so `filter(None, ...)` drops the misses
    get = _addresses(set().union(*[b.consts for b in decoded]), spans, fine,
                     data_target).get
    fixed = g.fixed  # a function's edges all come from its body: no set needed
    for i, (funcs, consts, datas) in enumerate(decoded):
        if not funcs and not consts and not datas:
            continue
        if funcs and funcs[-1] < nfuncs:  # sorted: all in range
            targets = tuple(map(first.__add__, funcs))
        else:
            targets = tuple([first + f for f in funcs if f < nfuncs])
        if consts or datas:  # data nodes follow function nodes, maybe repeated
            more = set(filter(None, map(get, consts)))
            more.update([data_node[d] for d in datas if d < ndata])
            targets += tuple(sorted(more))
        fixed[func_node[imported + i]] = targets
    return CallGraph(tuple(g.names), tuple(g.kinds), tuple(g.sizes),
                     g.successors(), tuple(func_node),
                     tuple(data_node), module.size)
