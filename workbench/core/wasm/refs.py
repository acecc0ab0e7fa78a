"""Module-level references the call graph needs, decoded on demand (not by `parse_module`).

`parse_module` only skips element segments, global initialisers and data segment offset
expressions; reading what they name costs time that `inspect` without graph views must
not pay. This module re-reads those sections of an already parsed (hence well-formed)
module: functions named by element segments and global initialisers, `i32.const`
values in global initialisers, and each active data segment's memory range.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.wasm import opcodes as O
from workbench.core.wasm.instr import BodyRefs, step
from workbench.core.wasm.leb import Buf, sleb, u32
from workbench.core.wasm.model import Module
from workbench.core.wasm.native import choice
from workbench.core.wasm.types import globaltype, tabletype, valtype


@dataclass(frozen=True)
class ModuleRefs:
    element_funcs: tuple[int, ...]  # every function an element segment names
    global_funcs: tuple[int, ...]  # ref.func in global (and table) initialisers
    global_consts: tuple[int, ...]  # i32.const values in global initialisers
    # [lo, hi) per data segment; None: passive, or an offset that is not a constant
    data_ranges: tuple[tuple[int, int] | None, ...]


def _expr(buf: Buf, p: int, refs: BodyRefs) -> int:
    stack = [O.OP_BLOCK]
    while stack:
        p = step(buf, p, stack, refs)
    return p


def _elements(buf: Buf, refs: BodyRefs) -> list[int]:
    funcs: list[int] = []
    n, p = u32(buf, 0)
    for _ in range(n):
        flags, p = u32(buf, p)
        if flags & 2 and not flags & 1:
            _, p = u32(buf, p)
        if not flags & 1:
            p = _expr(buf, p, BodyRefs())
        if flags & 3:
            p = valtype(buf, p)[1] if flags & 4 else p + 1
        m, p = u32(buf, p)
        for _ in range(m):
            if flags & 4:
                p = _expr(buf, p, refs)
            else:
                f, p = u32(buf, p)
                funcs.append(f)
    return funcs


def _globals(buf: Buf, refs: BodyRefs) -> None:
    n, p = u32(buf, 0)
    for _ in range(n):
        _, p = globaltype(buf, p)
        p = _expr(buf, p, refs)


def _tables(buf: Buf, refs: BodyRefs) -> None:
    n, p = u32(buf, 0)
    for _ in range(n):
        if buf[p] == 0x40 and buf[p + 1] == 0x00:
            _, p = tabletype(buf, p + 2)
            p = _expr(buf, p, refs)
        else:
            _, p = tabletype(buf, p)


def _offset(buf: Buf, p: int) -> tuple[int | None, int]:
    """A constant offset expression's value (None if not constant) and the end."""
    op = buf[p]
    if op in (0x41, 0x42):
        v, q = sleb(buf, p + 1, 32 if op == 0x41 else 64)
        if buf[q] == O.OP_END:
            return v & (0xFFFFFFFF if op == 0x41 else 0xFFFFFFFFFFFFFFFF), q + 1
    return None, _expr(buf, p, BodyRefs())


def _bytes(module: Module) -> bytes:
    """The file as `bytes` (indexing a memoryview is several times slower)."""
    data = module.data
    if isinstance(data, memoryview) and isinstance(data.obj, bytes) \
            and len(data.obj) == data.nbytes:
        return data.obj
    return bytes(data)


def _entry(buf: bytes, p: int, mode: str) -> int | None:
    """The offset of the data segment entry at `p`: None if passive or not constant."""
    if buf[p] == 0 and buf[p + 1] == 0x41:  # the reader checked this LEB already
        q, v, shift = p + 2, 0, 0
        while True:
            b = buf[q]
            v |= (b & 0x7F) << shift
            q += 1
            shift += 7
            if b < 0x80:
                break
        if b & 0x40:
            v -= 1 << shift
        return v & 0xFFFFFFFF if buf[q] == O.OP_END else None
    if mode != "active":
        return None
    flags, p = u32(buf, p)
    if flags == 2:
        _, p = u32(buf, p)
    return _offset(buf, p)[0]


def _data(module: Module, kernels: str | None) -> list[tuple[int, int] | None]:
    """Each segment's entry starts `disk_size - size` bytes before its own bytes; the
    common `00 41 <sleb> 0b` is read by the compiled kernel (`native/segments.c`), else
    by `_entry`, which reads every other form."""
    buf = _bytes(module)
    segs = module.data_segments
    entries = [start + size - disk for _i, start, size, disk, _m, _n in segs]

    def native() -> tuple[list[int], bytes]:
        from workbench.core.wasm.native.segments import data_offsets

        return data_offsets(buf, entries, segs[-1].start + segs[-1].size)

    if len(segs) >= 256:  # below that, an instance costs more than it saves
        values, status = choice.run(kernels, native, lambda: ([], b""))
    else:
        values, status = [], b""
    out: list[tuple[int, int] | None] = []
    append = out.append
    for i, (_index, _start, size, _disk, mode, _name) in enumerate(segs):
        lo = values[i] if status and status[i] == 1 else _entry(buf, entries[i], mode)
        append((lo, lo + size) if lo is not None else None)
    return out


def module_refs(module: Module, *, kernels: str | None = None) -> ModuleRefs:
    """Re-read the element, global, table and data sections of a parsed module
    (`kernels`: compiled or Python data offsets, `native.choice`)."""
    refs, elem_refs = BodyRefs(), BodyRefs()
    elements: list[int] = []
    for s in module.sections:
        payload = module.payload(s)
        if s.name == "element" and s.id == 9:
            elements = _elements(payload, elem_refs)
        elif s.name == "global" and s.id == 6:
            _globals(payload, refs)
        elif s.name == "table" and s.id == 4:
            _tables(payload, refs)
    ranges = _data(module, kernels)
    return ModuleRefs(tuple(elements) + tuple(elem_refs.funcrefs), tuple(refs.funcrefs),
                      tuple(refs.consts), tuple(ranges))
