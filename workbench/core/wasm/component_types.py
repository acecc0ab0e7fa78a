"""Component-model types (binary), decoded only as far as naming them in WIT needs.

A component's interfaces are instance types: lists of exported types and functions whose
parameters refer to other types by index. Each decoded type is kept as a `TypeEntry`
whose `ref` is already the WIT spelling of a reference to it (`incoming-request`,
`list<u8>`, `result<_, error-code>`), so a function signature renders the moment it is
read and never needs the scope it came from again. Encodings follow the component
model's Binary.md (WASI 0.2 and the 0.3 async additions: stream, future, async func).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.core.wasm.leb import Bad, Buf, name, u32

PRIMITIVES = {
    0x7F: "bool", 0x7E: "s8", 0x7D: "u8", 0x7C: "s16", 0x7B: "u16", 0x7A: "s32",
    0x79: "u32", 0x78: "s64", 0x77: "u64", 0x76: "f32", 0x75: "f64", 0x74: "char",
    0x73: "string", 0x64: "error-context",
}


class Unsupported(Exception):
    """An encoding this decoder does not know (the world is then reported partial)."""

    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.message, self.pos = message, pos


@dataclass(frozen=True)
class InstanceInfo:
    """What an instance (or instance type, or component's exports) offers by name."""

    funcs: dict[str, str | None] = field(default_factory=dict)  # name -> signature
    types: dict[str, TypeEntry] = field(default_factory=dict)


@dataclass(frozen=True)
class TypeEntry:
    ref: str  # how a reference to this type is written in WIT
    func: str | None = None  # rendered signature when this is a function type
    instance: InstanceInfo | None = None  # when an instance or component type
    resource: bool = False

    def named(self, new: str) -> TypeEntry:
        return TypeEntry(new, self.func, self.instance, self.resource)


UNKNOWN = TypeEntry("?")


class Scopes:
    """The chain of type index spaces: `chain[-1]` is the innermost (for alias outer)."""

    def __init__(self, chain: list[list[TypeEntry]] | None = None):
        self.chain = chain if chain is not None else [[]]

    @property
    def types(self) -> list[TypeEntry]:
        return self.chain[-1]

    def get(self, idx: int, outer: int = 0) -> TypeEntry:
        space = self.chain[-1 - outer] if outer < len(self.chain) else []
        return space[idx] if idx < len(space) else UNKNOWN

    def inner(self) -> Scopes:
        return Scopes([*self.chain, []])


def import_name(buf: Buf, p: int) -> tuple[str, int]:
    """importname'/exportname': 0x00 name, or 0x01 name + version suffix (ignored)."""
    tag = buf[p]
    text, q = name(buf, p + 1)
    if tag == 0x01:
        _, q = name(buf, q)
    elif tag != 0x00:
        raise Bad(f"unknown extern name tag 0x{tag:02x}", p)
    return text, q


def valtype(buf: Buf, p: int, sc: Scopes) -> tuple[str, int]:
    b = buf[p]
    if b in PRIMITIVES:
        return PRIMITIVES[b], p + 1
    idx, q = u32(buf, p)
    return sc.get(idx).ref, q


def _opt_valtype(buf: Buf, p: int, sc: Scopes) -> tuple[str | None, int]:
    if buf[p] == 0x00:
        return None, p + 1
    return valtype(buf, p + 1, sc)


def _labels(buf: Buf, p: int) -> tuple[list[str], int]:
    n, p = u32(buf, p)
    out = []
    for _ in range(n):
        s, p = name(buf, p)
        out.append(s)
    return out, p


def defvaltype(buf: Buf, p: int, sc: Scopes) -> tuple[str, int]:
    """Structural WIT spelling of an anonymous value type."""
    tag = buf[p]
    p += 1
    if tag in PRIMITIVES:
        return PRIMITIVES[tag], p
    if tag in (0x72, 0x71):  # record, variant
        n, p = u32(buf, p)
        fields = []
        for _ in range(n):
            label, p = name(buf, p)
            if tag == 0x72:
                t, p = valtype(buf, p, sc)
                fields.append(f"{label}: {t}")
            else:
                t2, p = _opt_valtype(buf, p, sc)
                p += 1  # the retired `refines` byte (0x00)
                fields.append(label + (f"({t2})" if t2 else ""))
        kw = "record" if tag == 0x72 else "variant"
        return f"{kw} {{ {', '.join(fields)} }}", p
    if tag == 0x70:
        t, p = valtype(buf, p, sc)
        return f"list<{t}>", p
    if tag == 0x67:
        t, p = valtype(buf, p, sc)
        n, p = u32(buf, p)
        return f"list<{t}, {n}>", p
    if tag == 0x6F:
        n, p = u32(buf, p)
        ts = []
        for _ in range(n):
            t, p = valtype(buf, p, sc)
            ts.append(t)
        return f"tuple<{', '.join(ts)}>", p
    if tag in (0x6E, 0x6D):
        labels, p = _labels(buf, p)
        return f"{'flags' if tag == 0x6E else 'enum'} {{ {', '.join(labels)} }}", p
    if tag == 0x6B:
        t, p = valtype(buf, p, sc)
        return f"option<{t}>", p
    if tag == 0x6A:
        ok, p = _opt_valtype(buf, p, sc)
        err, p = _opt_valtype(buf, p, sc)
        if ok is None and err is None:
            return "result", p
        return f"result<{ok or '_'}" + (f", {err}>" if err else ">"), p
    if tag in (0x69, 0x68):
        idx, p = u32(buf, p)
        ref = sc.get(idx).ref
        return (ref if tag == 0x69 else f"borrow<{ref}>"), p
    if tag in (0x66, 0x65):
        elem, p = _opt_valtype(buf, p, sc)
        kw = "stream" if tag == 0x66 else "future"
        return (f"{kw}<{elem}>" if elem else kw), p
    raise Unsupported(f"unknown component value type 0x{tag:02x}", p - 1)


def functype(buf: Buf, p: int, sc: Scopes) -> tuple[str, int]:
    is_async = buf[p] == 0x43
    p += 1
    n, p = u32(buf, p)
    params = []
    for _ in range(n):
        label, p = name(buf, p)
        t, p = valtype(buf, p, sc)
        params.append(f"{label}: {t}")
    if buf[p] == 0x00:
        result, p = valtype(buf, p + 1, sc)
        tail = f" -> {result}"
    elif buf[p] == 0x01 and buf[p + 1] == 0x00:
        tail, p = "", p + 2
    else:
        raise Unsupported("named function results are not supported", p)
    return f"{'async ' if is_async else ''}func({', '.join(params)}){tail}", p


def deftype(buf: Buf, p: int, sc: Scopes) -> tuple[TypeEntry, int]:
    tag = buf[p]
    if tag in (0x40, 0x43):
        sig, q = functype(buf, p, sc)
        return TypeEntry(sig, func=sig), q
    if tag in (0x41, 0x42):
        info, q = decls(buf, p + 1, sc.inner(), component=tag == 0x41)
        return TypeEntry("instance" if tag == 0x42 else "component", instance=info), q
    if tag in (0x3F, 0x3E):  # resource (rep i32) with an optional destructor
        return _resource_end(buf, p)
    text, q = defvaltype(buf, p, sc)
    return TypeEntry(text), q


def _resource_end(buf: Buf, p: int) -> tuple[TypeEntry, int]:
    q = p + 2  # tag, rep (0x7f i32)
    if buf[p] == 0x3E:  # async: destructor, then an optional callback
        _, q = u32(buf, q)
    q = u32(buf, q + 1)[1] if buf[q] == 0x01 else q + 1
    return TypeEntry("resource", resource=True), q


def externdesc(buf: Buf, p: int, sc: Scopes, label: str) -> tuple[str, TypeEntry, int]:
    """(sort, entry, next) for an import/export description named `label`."""
    tag = buf[p]
    if tag == 0x00:  # core module (0x11 typeidx)
        _, q = u32(buf, p + 2)
        return "module", UNKNOWN, q
    if tag == 0x02:  # value bound
        q = u32(buf, p + 2)[1] if buf[p + 1] == 0x00 else valtype(buf, p + 2, sc)[1]
        return "value", UNKNOWN, q
    if tag == 0x03:
        if buf[p + 1] == 0x01:
            return "type", TypeEntry(label, resource=True), p + 2
        idx, q = u32(buf, p + 2)
        return "type", sc.get(idx).named(label), q
    idx, q = u32(buf, p + 1)
    sort = {0x01: "func", 0x04: "component", 0x05: "instance"}.get(tag)
    if sort is None:
        raise Unsupported(f"unknown extern description 0x{tag:02x}", p)
    return sort, sc.get(idx), q


def alias_type(buf: Buf, p: int, sc: Scopes, instances: list[InstanceInfo | None]
               ) -> tuple[str, TypeEntry | str | None, int]:
    """An alias: (sort, what it names, next). Only types, funcs and instances matter."""
    sort = buf[p]
    p += 1
    if sort == 0x00:  # core sort byte follows
        p += 1
    kind = {0x00: "core", 0x01: "func", 0x02: "value", 0x03: "type", 0x04: "component",
            0x05: "instance"}.get(sort, "core")
    target = buf[p]
    if target in (0x00, 0x01):
        inst, q = u32(buf, p + 1)
        label, q = name(buf, q)
        if target == 0x01 or kind == "core":
            return kind, None, q
        info = instances[inst] if inst < len(instances) else None
        if kind == "func":
            return kind, info.funcs.get(label) if info else None, q
        if kind == "type":
            entry = info.types.get(label) if info else None
            return kind, entry or TypeEntry(label), q
        return kind, None, q
    if target == 0x02:
        ct, q = u32(buf, p + 1)
        idx, q = u32(buf, q)
        return kind, sc.get(idx, ct) if kind == "type" else None, q
    raise Unsupported(f"unknown alias target 0x{target:02x}", p)


def decls(buf: Buf, p: int, sc: Scopes, component: bool) -> tuple[InstanceInfo, int]:
    """The declarations of an instance (or component) type: what it exports."""
    info = InstanceInfo()
    n, p = u32(buf, p)
    for _ in range(n):
        tag = buf[p]
        if tag == 0x00:
            raise Unsupported("core types inside instance types are not supported", p)
        if tag == 0x01:
            entry, p = deftype(buf, p + 1, sc)
            sc.types.append(entry)
        elif tag == 0x02:
            kind, what, p = alias_type(buf, p + 1, sc, [])
            if kind == "type":
                sc.types.append(what if isinstance(what, TypeEntry) else UNKNOWN)
        elif tag in (0x03, 0x04):  # import (component types only) / export
            label, p = import_name(buf, p + 1)
            sort, entry, p = externdesc(buf, p, sc, label)
            if sort == "type":
                sc.types.append(entry)
            if tag == 0x04:
                if sort == "func":
                    info.funcs[label] = entry.func
                elif sort == "type":
                    info.types[label] = entry
        else:
            raise Unsupported(f"unknown instance type declaration 0x{tag:02x}", p)
    return info, p
