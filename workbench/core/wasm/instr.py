"""The reference instruction decoder: one function body, one instruction at a time.

It checks what the binary format requires of a body (known opcodes, well-formed LEB128
immediates, block structure with `else` only in `if` and `catch` only in `try`, the
final `end` exactly at the body's end, fewer than 2**32 locals) and collects what the
call graph needs: direct call targets (`call`, `return_call`), `ref.func` targets, the
values of `i32.const` (candidate data addresses) and data segment indices named by
`memory.init`, `data.drop`, `array.new_data` and `array.init_data`. Types are not
checked: that is validation, not decoding.

Positions are absolute offsets into `buf` (the whole file), raised as `leb.Bad`. The fast
scanner (`scan.py`) calls `step` for the few opcodes its regular expression leaves out,
and the tests compare the two on real modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.core.wasm import opcodes as O
from workbench.core.wasm.leb import Bad, Buf, sleb, u32, u64
from workbench.core.wasm.types import VALTYPES, heaptype, valtype

_OPENERS = frozenset((O.OP_BLOCK, O.OP_LOOP, O.OP_IF, O.OP_TRY, O.OP_TRY_TABLE))


@dataclass(slots=True)
class BodyRefs:
    """What one body names. Lists keep duplicates in instruction order."""

    calls: list[int] = field(default_factory=list)
    funcrefs: list[int] = field(default_factory=list)
    consts: list[int] = field(default_factory=list)
    datas: list[int] = field(default_factory=list)
    data_at: int = -1  # offset of the first instruction naming a data segment


def require_data_count(bodies: list[BodyRefs], data_count: int | None) -> None:
    """The binary format's module rule: an instruction naming a data segment (memory.init,
    data.drop, array.new_data, array.init_data) needs a datacount section."""
    if data_count is None:
        for refs in bodies:
            if refs.datas:
                raise Bad("an instruction names a data segment but the module has no "
                          "datacount section (required by memory.init, data.drop, "
                          "array.new_data and array.init_data)", refs.data_at)


def skip_locals(buf: Buf, p: int, end: int) -> int:
    """Skip the local declarations at the start of a body (checked: < 2**32 locals)."""
    n, p = u32(buf, p)
    if n > end - p:
        raise Bad(f"local declaration count {n} cannot fit in the body", p)
    total = 0
    for _ in range(n):
        q = p
        k, p = u32(buf, p)
        total += k
        if total >= 1 << 32:
            raise Bad("too many locals (2**32 or more)", q)
        _, p = valtype(buf, p)
    if p > end:
        raise Bad("local declarations run past the end of the body", end)
    return p


def blocktype(buf: Buf, p: int) -> int:
    x = buf[p]
    if x == 0x40 or x in VALTYPES:
        return p + 1
    if x in (0x63, 0x64):
        return heaptype(buf, p + 1)[1]
    idx, q = sleb(buf, p, 33)
    if idx < 0:
        raise Bad(f"unknown block type 0x{x:02x}", p)
    return q


def memarg(buf: Buf, p: int) -> int:
    flags, q = u32(buf, p)
    if flags >= 0x80:
        raise Bad(f"malformed memop flags {flags}", p)
    if flags & 0x40:
        _, q = u32(buf, q)  # memory index (multi-memory)
    return u64(buf, q)[1]


def _immediates(buf: Buf, op: int, kind: int, p: int, refs: BodyRefs) -> int:
    if kind == O.NONE or kind == O.END:
        return p
    if kind == O.U32:
        v, q = u32(buf, p)
        if op == O.OP_CALL or op == O.OP_RETURN_CALL:
            refs.calls.append(v)
        elif op == O.OP_REF_FUNC:
            refs.funcrefs.append(v)
        return q
    if kind == O.I32:
        v, q = sleb(buf, p, 32)
        refs.consts.append(v)
        return q
    if kind == O.MEMARG:
        return memarg(buf, p)
    if kind == O.U32X2:
        return u32(buf, u32(buf, p)[1])[1]
    if kind == O.BLOCK:
        return blocktype(buf, p)
    if kind == O.I64:
        return sleb(buf, p, 64)[1]
    if kind == O.F32:
        return p + 4
    if kind == O.F64:
        return p + 8
    if kind == O.BR_TABLE:
        n, p = u32(buf, p)
        for _ in range(n + 1):
            _, p = u32(buf, p)
        return p
    if kind == O.SELECT_T:
        n, p = u32(buf, p)
        for _ in range(n):
            _, p = valtype(buf, p)
        return p
    if kind == O.HEAP:
        return heaptype(buf, p)[1]
    if kind == O.TRY_TABLE:
        p = blocktype(buf, p)
        n, p = u32(buf, p)
        for _ in range(n):
            c = buf[p]
            if c > 3:
                raise Bad(f"unknown catch clause kind {c}", p)
            p += 1
            if c < 2:
                _, p = u32(buf, p)  # tag
            _, p = u32(buf, p)  # label
        return p
    if kind == O.MEMARG_LANE:
        return memarg(buf, p) + 1
    if kind == O.LANE:
        return p + 1
    if kind == O.BYTES16:
        return p + 16
    if kind == O.ZERO:
        if buf[p] != 0:
            raise Bad("atomic.fence takes a zero byte", p)
        return p + 1
    if kind == O.BR_ON_CAST:
        if buf[p] > 3:
            raise Bad(f"unknown cast flags {buf[p]}", p)
        _, p = u32(buf, p + 1)
        return heaptype(buf, heaptype(buf, p)[1])[1]
    raise AssertionError(kind)


def _prefixed(buf: Buf, op: int, p: int, refs: BodyRefs) -> int:
    sub, q = u32(buf, p + 1)
    kind = O.PREFIXES[op].get(sub)
    if kind is None:
        raise Bad(f"unknown opcode 0x{op:02x} {sub}", p)
    if op == 0xFC and sub in O.DATA_FC:
        v, _ = u32(buf, q)
        refs.datas.append(v)
        if refs.data_at < 0:
            refs.data_at = p
    elif op == 0xFB and sub in O.DATA_FB:
        v, _ = u32(buf, u32(buf, q)[1])
        refs.datas.append(v)
        if refs.data_at < 0:
            refs.data_at = p
    return _immediates(buf, -1, kind, q, refs)


def step(buf: Buf, p: int, stack: list[int], refs: BodyRefs) -> int:
    """Decode the instruction at `p`; update the block `stack`; return the next position."""
    op = buf[p]
    if op in O.PREFIXES:
        return _prefixed(buf, op, p, refs)
    kind = O.SINGLE.get(op)
    if kind is None:
        raise Bad(f"unknown opcode 0x{op:02x}", p)
    if op in _OPENERS:
        stack.append(op)
    elif op == O.OP_END:
        stack.pop()
    elif op == O.OP_ELSE:
        if stack[-1] != O.OP_IF:
            raise Bad("else outside an if", p)
        stack[-1] = O.OP_ELSE
    elif op in (O.OP_CATCH, O.OP_CATCH_ALL):
        if stack[-1] not in (O.OP_TRY, O.OP_CATCH):
            raise Bad("catch outside a try", p)
        stack[-1] = O.OP_CATCH if op == O.OP_CATCH else O.OP_CATCH_ALL
    elif op == O.OP_DELEGATE:
        if stack[-1] != O.OP_TRY:
            raise Bad("delegate outside a try", p)
        stack.pop()
    return _immediates(buf, op, kind, p + 1, refs)


def decode_body(buf: Buf, start: int, end: int, refs: BodyRefs | None = None) -> BodyRefs:
    """Decode the body at `buf[start:end]` instruction by instruction (the reference)."""
    refs = BodyRefs() if refs is None else refs
    try:
        p = skip_locals(buf, start, end)
        stack = [O.OP_BLOCK]
        while stack:
            if p >= end:
                raise Bad("function body ends before its final end", end)
            q = p
            p = step(buf, p, stack, refs)
            if p > end:
                raise Bad("instruction runs past the end of the function body", q)
    except IndexError:
        raise Bad("function body runs past the end of the file", end) from None
    if p != end:
        raise Bad(f"{end - p} bytes after the final end of the function body", p)
    return refs
