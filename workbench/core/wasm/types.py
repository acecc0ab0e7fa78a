"""Value types, reference types, limits and constant expressions.

Only what the reader needs to *skip* entries exactly and to *render* signatures like
wasm-objdump does (`(i32, i32) -> i32`). Reference types of the GC and function-references
proposals are accepted and rendered roughly; sizes never depend on that rendering.
"""

from __future__ import annotations

from workbench.core.wasm.leb import Bad, Buf, sleb, u32, u64

VALTYPES = {
    0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128",
    0x70: "funcref", 0x6F: "externref", 0x6E: "anyref", 0x6D: "eqref", 0x6C: "i31ref",
    0x6B: "structref", 0x6A: "arrayref", 0x69: "exnref", 0x74: "nullexnref",
    0x73: "nullfuncref", 0x72: "nullexternref", 0x71: "nullref",
}
HEAPTYPES = {
    0x70: "func", 0x6F: "extern", 0x6E: "any", 0x6D: "eq", 0x6C: "i31", 0x6B: "struct",
    0x6A: "array", 0x69: "exn", 0x74: "noexn", 0x73: "nofunc", 0x72: "noextern", 0x71: "none",
}
PACKED = {0x78: "i8", 0x77: "i16"}
NUMTYPES = frozenset((0x7F, 0x7E, 0x7D, 0x7C, 0x7B))


def heaptype(buf: Buf, p: int) -> tuple[str, int]:
    x = buf[p]
    if x in HEAPTYPES:
        return HEAPTYPES[x], p + 1
    idx, q = sleb(buf, p, 33)
    if idx < 0:
        raise Bad(f"unknown heap type 0x{x:02x}", p)
    return str(idx), q


def valtype(buf: Buf, p: int) -> tuple[str, int]:
    x = buf[p]
    t = VALTYPES.get(x)
    if t is not None:
        return t, p + 1
    if x in (0x63, 0x64):  # (ref null ht) / (ref ht)
        ht, q = heaptype(buf, p + 1)
        return ("(ref null " if x == 0x63 else "(ref ") + ht + ")", q
    raise Bad(f"unknown value type 0x{x:02x}", p)


def reftype(buf: Buf, p: int) -> tuple[str, int]:
    """A reference type where the binary format requires one (tables, element segments):
    a number or vector type there is malformed, not merely invalid."""
    x = buf[p]
    if x in (0x63, 0x64) or (x in VALTYPES and x not in NUMTYPES):
        return valtype(buf, p)
    raise Bad(f"malformed reference type 0x{x:02x}", p)


def mutability(buf: Buf, p: int, what: str) -> int:
    mut = buf[p]
    if mut > 1:
        raise Bad(f"{what} mutability must be 0 or 1, not {mut}", p)
    return p + 1


def storagetype(buf: Buf, p: int) -> tuple[str, int]:
    x = buf[p]
    if x in PACKED:
        return PACKED[x], p + 1
    return valtype(buf, p)


def limits(buf: Buf, p: int, what: str) -> tuple[str, int]:
    """Memory/table limits -> 'min..max' ('min..∞' without a maximum; memories in
    'pages' of 64 KiB) plus ' shared' / 'i64' markers, as a string."""
    flags = buf[p]
    if flags & ~0x0F:
        raise Bad(f"{what} limits: unknown flags 0x{flags:02x}", p)
    if what != "memory" and flags & 0x0A:
        # threads and custom-page-sizes: shared (0x02) and a page size (0x08) are memories'
        raise Bad(f"{what} limits: malformed flags 0x{flags:02x} (shared and page sizes "
                  "are for memories)", p)
    if flags & 0x02 and not flags & 0x01:
        raise Bad(f"{what} limits: malformed flags 0x{flags:02x} (shared needs a maximum)", p)
    read = u64  # Wasm 3.0 encodes both bounds as u64 (validation limits i32 ranges)
    lo, q = read(buf, p + 1)
    text = f"{lo}.."
    if flags & 0x01:
        hi, q = read(buf, q)
        text += str(hi)
    else:
        text += "∞"
    if what == "memory":
        text += " pages"
    if flags & 0x02:
        text += " shared"
    if flags & 0x04:
        text = "i64 " + text
    if flags & 0x08:  # custom page size: log2 of the page size
        log2, q = u32(buf, q)
        text += f" pagesize=2**{log2}"
    return text, q


def tabletype(buf: Buf, p: int) -> tuple[str, int]:
    ref, q = reftype(buf, p)
    lim, q = limits(buf, q, "table")
    return f"{ref} {lim}", q


def globaltype(buf: Buf, p: int) -> tuple[str, int]:
    t, q = valtype(buf, p)
    return ("mut " if buf[q] else "") + t, mutability(buf, q, "global")


# one-immediate opcodes allowed in constant expressions (extended-const included)
_BINOPS = frozenset((0x6A, 0x6B, 0x6C, 0x7C, 0x7D, 0x7E))
_GC_TYPEIDX = frozenset((0, 1, 6, 7))  # struct.new(_default), array.new(_default)
_GC_NONE = frozenset((0x1A, 0x1B, 0x1C))  # any.convert_extern, extern.convert_any, ref.i31


def skip_const_expr(buf: Buf, p: int) -> int:
    """Skip a constant expression up to and including its `end` (0x0b)."""
    while True:
        op = buf[p]
        p += 1
        if op == 0x0B:
            return p
        if op == 0x41:
            _, p = sleb(buf, p, 32)
        elif op == 0x42:
            _, p = sleb(buf, p, 64)
        elif op == 0x43:
            p += 4
        elif op == 0x44:
            p += 8
        elif op in (0x23, 0xD2):  # global.get, ref.func
            _, p = u32(buf, p)
        elif op == 0xD0:  # ref.null heaptype
            _, p = heaptype(buf, p)
        elif op in _BINOPS:
            pass
        elif op == 0xFD and buf[p] == 0x0C:  # v128.const
            p += 17
        elif op == 0xFB:
            sub, p = u32(buf, p)
            if sub in _GC_TYPEIDX:
                _, p = u32(buf, p)
            elif sub == 8:  # array.new_fixed typeidx n
                _, p = u32(buf, p)
                _, p = u32(buf, p)
            elif sub not in _GC_NONE:
                raise Bad(f"opcode 0xfb {sub} is not allowed in a constant expression", p)
        else:
            raise Bad(f"opcode 0x{op:02x} is not allowed in a constant expression", p - 1)
