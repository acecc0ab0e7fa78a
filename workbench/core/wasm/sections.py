"""Decoders for the small core sections: type, import, function, table, memory, global,
export, start, element, datacount and tag.

Each decoder receives the section payload as its own zero-copy slice plus the running
`State`, fills the state in and returns the section's leading count (as `wasm-objdump -h`
prints it). Positions in errors are relative to the slice (see `leb.Bad`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.core.wasm.leb import Bad, Buf, count, name, u32
from workbench.core.wasm.model import FuncType
from workbench.core.wasm.types import (
    globaltype,
    limits,
    mutability,
    reftype,
    skip_const_expr,
    storagetype,
    tabletype,
    valtype,
)

KINDS = ("func", "table", "memory", "global", "tag")


@dataclass
class State:
    """What the walker has learnt so far; turned into a frozen `Module` at the end."""

    types: list[FuncType] = field(default_factory=list)
    imports: list[tuple[str, str, int, object]] = field(default_factory=list)
    func_types: list[int] = field(default_factory=list)  # imported funcs first
    imported_funcs: int = 0
    tables: list[str] = field(default_factory=list)
    memories: list[str] = field(default_factory=list)
    globals: list[str] = field(default_factory=list)
    tags: list[int] = field(default_factory=list)  # type index per tag
    exports: list[tuple[str, int, int]] = field(default_factory=list)
    start: int | None = None
    elements: int = 0
    data_count: int | None = None
    defined_funcs: int | None = None  # function section count


def _functype(buf: Buf, p: int) -> tuple[FuncType, int]:
    n, p = count(buf, p, "parameter")
    params = []
    for _ in range(n):
        t, p = valtype(buf, p)
        params.append(t)
    n, p = count(buf, p, "result")
    results = []
    for _ in range(n):
        t, p = valtype(buf, p)
        results.append(t)
    return FuncType(tuple(params), tuple(results)), p


def _subtype(buf: Buf, p: int) -> tuple[FuncType, int]:
    form = buf[p]
    if form in (0x50, 0x4F):  # sub / sub final: supertypes then a composite type
        n, p = count(buf, p + 1, "supertype")
        for _ in range(n):
            _, p = u32(buf, p)
        form = buf[p]
    p += 1
    if form == 0x60:
        return _functype(buf, p)
    if form == 0x5F:
        n, p = count(buf, p, "struct field", 2)
        for _ in range(n):
            _, p = storagetype(buf, p)
            p = mutability(buf, p, "struct field")
        return FuncType((), (), kind="struct"), p
    if form == 0x5E:
        _, p = storagetype(buf, p)
        return FuncType((), (), kind="array"), mutability(buf, p, "array element")
    raise Bad(f"unknown type form 0x{form:02x}", p - 1)


def decode_type(st: State, buf: Buf) -> int:
    n, p = count(buf, 0, "type")
    for _ in range(n):
        if buf[p] == 0x4E:  # rec group
            m, p = count(buf, p + 1, "rec group type")
            for _ in range(m):
                t, p = _subtype(buf, p)
                st.types.append(t)
        else:
            t, p = _subtype(buf, p)
            st.types.append(t)
    _done(buf, p)
    return n


def decode_import(st: State, buf: Buf) -> int:
    """Imports, including the compact-import-section encodings wasmtime accepts: after an
    empty field name, 0x7F groups `vec(name externtype)` under one module name and 0x7E
    one externtype with `vec(name)`. The count is of entries, not of imports."""
    n, p = count(buf, 0, "import", 3)
    for _ in range(n):
        mod, p = name(buf, p)
        nm, p = name(buf, p)
        kind = buf[p]
        if nm or kind not in (0x7E, 0x7F):
            p = _import(st, buf, p, mod, nm)
        elif kind == 0x7F:
            m, p = count(buf, p + 1, "compact import", 2)
            for _ in range(m):
                nm, p = name(buf, p)
                p = _import(st, buf, p, mod, nm)
        else:
            q = p + 1
            m, p = count(buf, _import(State(), buf, q, mod, ""), "compact import", 1)
            for _ in range(m):
                nm, p = name(buf, p)
                _import(st, buf, q, mod, nm)
    _done(buf, p)
    return n


def _import(st: State, buf: Buf, p: int, mod: str, nm: str) -> int:
    """One import's kind byte and type at `p`; record it in `st`; return the end."""
    kind = buf[p]
    p += 1
    info: object
    if kind == 0:
        info, p = u32(buf, p)
        st.func_types.append(info)
        st.imported_funcs += 1
    elif kind == 1:
        info, p = tabletype(buf, p)
        st.tables.append(info)
    elif kind == 2:
        info, p = limits(buf, p, "memory")
        st.memories.append(info)
    elif kind == 3:
        info, p = globaltype(buf, p)
        st.globals.append(info)
    elif kind == 4:
        p = _tag_attribute(buf, p)
        info, p = u32(buf, p)
        st.tags.append(info)
    else:
        raise Bad(f"unknown import kind 0x{kind:02x} for {mod}.{nm}", p - 1)
    st.imports.append((mod, nm, kind, info))
    return p


def decode_function(st: State, buf: Buf) -> int:
    n, p = count(buf, 0, "function")
    types = st.func_types
    for _ in range(n):
        t, p = u32(buf, p)
        types.append(t)
    st.defined_funcs = n
    _done(buf, p)
    return n


def decode_table(st: State, buf: Buf) -> int:
    n, p = count(buf, 0, "table", 2)
    for _ in range(n):
        if buf[p] == 0x40 and buf[p + 1] == 0x00:  # table with an init expression
            t, p = tabletype(buf, p + 2)
            p = skip_const_expr(buf, p)
        else:
            t, p = tabletype(buf, p)
        st.tables.append(t)
    _done(buf, p)
    return n


def decode_memory(st: State, buf: Buf) -> int:
    n, p = count(buf, 0, "memory", 2)
    for _ in range(n):
        t, p = limits(buf, p, "memory")
        st.memories.append(t)
    _done(buf, p)
    return n


def decode_global(st: State, buf: Buf) -> int:
    n, p = count(buf, 0, "global", 3)
    for _ in range(n):
        t, p = globaltype(buf, p)
        p = skip_const_expr(buf, p)
        st.globals.append(t)
    _done(buf, p)
    return n


def decode_export(st: State, buf: Buf) -> int:
    n, p = count(buf, 0, "export", 3)
    for _ in range(n):
        nm, p = name(buf, p)
        kind = buf[p]
        if kind > 4:
            raise Bad(f"unknown export kind 0x{kind:02x} for {nm!r}", p)
        idx, p = u32(buf, p + 1)
        st.exports.append((nm, kind, idx))
    _done(buf, p)
    return n


def decode_start(st: State, buf: Buf) -> int:
    st.start, p = u32(buf, 0)
    _done(buf, p)
    return st.start


def decode_datacount(st: State, buf: Buf) -> int:
    st.data_count, p = u32(buf, 0)
    _done(buf, p)
    return st.data_count


def decode_tag(st: State, buf: Buf) -> int:
    n, p = count(buf, 0, "tag", 2)
    for _ in range(n):
        t, p = u32(buf, _tag_attribute(buf, p))
        st.tags.append(t)
    _done(buf, p)
    return n


def decode_element(st: State, buf: Buf) -> int:
    n, p = count(buf, 0, "element segment")
    for _ in range(n):
        flags, p = u32(buf, p)
        if flags > 7:
            raise Bad(f"unknown element segment flags {flags}", p - 1)
        if flags & 2 and not flags & 1:  # explicit table index
            _, p = u32(buf, p)
        if not flags & 1:  # active: offset expression
            p = skip_const_expr(buf, p)
        if flags & 3:  # elemkind (byte) or reftype
            if flags & 4:
                _, p = reftype(buf, p)
            elif buf[p] != 0x00:
                raise Bad(f"malformed element kind 0x{buf[p]:02x} (only 0x00, funcref)", p)
            else:
                p += 1
        m, p = count(buf, p, "element")
        if flags & 4:
            for _ in range(m):
                p = skip_const_expr(buf, p)
        else:
            for _ in range(m):
                _, p = u32(buf, p)
    st.elements = n
    _done(buf, p)
    return n


def _tag_attribute(buf: Buf, p: int) -> int:
    if buf[p] != 0:
        raise Bad(f"malformed tag attribute 0x{buf[p]:02x} (only 0x00, exception)", p)
    return p + 1


def _done(buf: Buf, p: int) -> None:
    if p > len(buf):
        raise IndexError  # reported as content past the declared size
    if p != len(buf):
        raise Bad(f"section has {len(buf) - p} unread bytes after its last entry", p)
