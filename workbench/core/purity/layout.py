"""Where things live in a module's linear memory, for attributing changed bytes.

From the binary alone: data segments' addresses (active `i32.const` offsets) and names
(name section), the globals' initial values and names, and from them the shadow stack
(`__stack_pointer`'s initial value is its top; wasm-ld puts the stack after the data, or
first with --stack-first) and the heap (everything above both). DWARF variables, when
the module has debug info, name individual statics inside a segment.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.wasm.leb import sleb, u32
from workbench.core.wasm.model import Module


@dataclass(frozen=True)
class Region:
    name: str  # "hits" (DWARF), ".bss" (segment), "heap", "stack"
    kind: str  # "variable" | "segment" | "heap" | "stack"
    start: int
    end: int

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "kind": self.kind, "start": self.start, "end": self.end}


def _const(buf: bytes, p: int) -> tuple[int | None, int]:
    """An init expression: its i32/i64.const value (else None), and the position after."""
    op = buf[p]
    value: int | None = None
    if op in (0x41, 0x42):
        value, p = sleb(buf, p + 1, 32 if op == 0x41 else 64)
    while buf[p] != 0x0B:  # skip anything else up to `end` (good enough for constants)
        p += 1
    return value, p + 1


def global_inits(module: Module) -> dict[int, int | None]:
    """Defined global index -> initial constant (global index space, imports first)."""
    sec = module.section("global")
    if sec is None:
        return {}
    buf = bytes(module.payload(sec))
    n, p = u32(buf, 0)
    first = sum(1 for i in module.imports if i.kind == "global")
    out: dict[int, int | None] = {}
    for i in range(n):
        p += 2  # valtype, mutability
        out[first + i], p = _const(buf, p)
    return out


def data_addresses(module: Module) -> list[tuple[str, int, int]]:
    """(name, address, length) of active data segments with a constant offset."""
    sec = module.section("data")
    if sec is None:
        return []
    buf = bytes(module.payload(sec))
    n, p = u32(buf, 0)
    out = []
    for i in range(n):
        flags, p = u32(buf, p)
        addr: int | None = None
        if flags in (0, 2):
            if flags == 2:
                _, p = u32(buf, p)
            addr, p = _const(buf, p)
        size, p = u32(buf, p)
        p += size
        seg = module.data_segments[i] if i < len(module.data_segments) else None
        name = (seg.name if seg is not None and seg.name else f"data[{i}]")
        if addr is not None:
            out.append((name, addr, size))
    return out


@dataclass(frozen=True)
class Layout:
    regions: tuple[Region, ...]  # variables first (most specific), then segments
    stack: tuple[int, int] | None
    heap_start: int
    globals: dict[int, str]  # mutable defined global index -> display name

    def attribute(self, start: int, end: int) -> list[str]:
        """Names of what [start, end) overlaps (most specific first), else "heap"."""
        names = [r.name for r in self.regions if r.kind == "variable"
                 and r.start < end and start < r.end]
        if not names:
            names = [r.name for r in self.regions if r.start < end and start < r.end]
        if not names and end > self.heap_start:
            names = ["heap"]
        return names or ["unattributed"]

    def in_stack(self, start: int, end: int) -> bool:
        return self.stack is not None and self.stack[0] <= start and end <= self.stack[1]


def layout(module: Module, variables: list[tuple[str, int, int]] | None = None) -> Layout:
    inits = global_inits(module)
    mutable = {i: module.global_names.get(i, f"global[{i}]") for i in inits
               if i < len(module.globals) and module.globals[i].startswith("mut")}
    segs = data_addresses(module)
    data_end = max((a + n for _, a, n in segs), default=0)
    data_start = min((a for _, a, n in segs), default=0)
    sp_index = next((i for i, n in mutable.items() if n == "__stack_pointer"),
                    next(iter(mutable), None))
    sp = inits.get(sp_index) if sp_index is not None else None
    stack = None
    if sp is not None and sp > 0:
        stack = (data_end, sp) if sp > data_end else (0, sp) if sp <= data_start else None
    heap = max(data_end, sp or 0)
    regions = [Region(n, "variable", a, a + s) for n, a, s in (variables or [])]
    regions += [Region(n, "segment", a, a + s) for n, a, s in segs]
    return Layout(tuple(regions), stack, heap, mutable)
