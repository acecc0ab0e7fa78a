"""A component's world: the interfaces it imports and exports, with their functions.

What `wasm-tools component wit` prints as `import wasi:http/types@0.2.0;` and
`export wasi:http/incoming-handler@0.2.0;`, read from the binary: the import and export
sections name the interfaces; the type, alias, instance, canon and nested component
sections are followed just far enough to know each exported instance's functions (tools
such as wit-component export an instance of a small nested "shim" component, so an
export's functions are found by instantiating that component's exports in our head).
Core sections are skipped by size. A decoding gap (an encoding this reader does not know)
never fails the caller: the world is returned with `partial` saying where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.core.wasm.component_types import (
    UNKNOWN,
    InstanceInfo,
    Scopes,
    TypeEntry,
    Unsupported,
    alias_type,
    deftype,
    externdesc,
    import_name,
)
from workbench.core.wasm.leb import Bad, Buf, name, u32

_CANON_ONE_U32 = frozenset((0x02, 0x03, 0x04, 0x07, 0x0E, 0x13, 0x14, 0x15, 0x1A, 0x1B))
_CANON_NONE = frozenset((0x05, 0x08, 0x0D, 0x1E, 0x1F, 0x22, 0x23, 0x24, 0x25))
_OPTS_WITH_INDEX = frozenset((0x03, 0x04, 0x05, 0x07))
MAX_NESTING = 16


@dataclass(frozen=True)
class WorldItem:
    """One import or export: an interface (instance) with functions, or a bare item."""

    name: str  # e.g. "wasi:http/types@0.2.0" or a plain kebab name
    kind: str  # instance | func | type | component | module | value
    functions: tuple[tuple[str, str | None], ...] = ()  # (name, WIT signature or None)

    @property
    def package(self) -> str | None:
        """`wasi:http` of `wasi:http/types@0.2.0` (None for a plain name)."""
        return self.name.split("/", 1)[0] if ":" in self.name else None

    @property
    def version(self) -> str | None:
        return self.name.rsplit("@", 1)[1] if "@" in self.name else None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "version": self.version,
                "functions": [{"name": n, "signature": s} for n, s in self.functions]}


@dataclass(frozen=True)
class World:
    imports: tuple[WorldItem, ...] = ()
    exports: tuple[WorldItem, ...] = ()
    partial: str | None = None  # why some functions or items may be missing

    def to_json(self) -> dict[str, Any]:
        return {"imports": [i.to_json() for i in self.imports],
                "exports": [e.to_json() for e in self.exports], "partial": self.partial}


class _Component:
    """Index spaces of one component while its sections are read in order."""

    def __init__(self, scopes: Scopes):
        self.sc = scopes
        self.instances: list[InstanceInfo | None] = []
        self.funcs: list[str | None] = []
        self.components: list[InstanceInfo | None] = []  # a component's exports
        self.imports: list[WorldItem] = []
        self.exports: list[WorldItem] = []
        self.export_info = InstanceInfo()
        self.funcs_lost = False  # a canon entry we cannot size: func indices unknown

    def func(self, idx: int) -> str | None:
        return None if self.funcs_lost or idx >= len(self.funcs) else self.funcs[idx]

    def add(self, sort: str, entry: TypeEntry | InstanceInfo | str | None) -> None:
        if sort == "type":
            self.sc.types.append(entry if isinstance(entry, TypeEntry) else UNKNOWN)
        elif sort == "func":
            self.funcs.append(entry if isinstance(entry, str) else None)
        elif sort == "instance":
            self.instances.append(entry if isinstance(entry, InstanceInfo) else None)
        elif sort == "component":
            self.components.append(entry if isinstance(entry, InstanceInfo) else None)


def decode_world(data: Buf) -> World:
    """The world of the component binary `data` (header included)."""
    comp = _Component(Scopes())
    partial = _walk(memoryview(data), comp)
    return World(tuple(comp.imports), tuple(comp.exports), partial)


def _walk(buf: Buf, comp: _Component, base: int = 0) -> str | None:
    """Read every section into `comp`; the first problem met, or None."""
    p = 8
    while p < len(buf):
        sid, q = buf[p], p + 1
        try:
            size, q = u32(buf, p + 1)
            if q + size > len(buf):
                return f"section {sid} runs past the end (@ 0x{base + p:x})"
            problem = _section(sid, buf[q:q + size], comp, base + q)
        except Unsupported as e:
            return f"{e.message} (@ 0x{base + q + e.pos:x})"
        except (Bad, IndexError, RecursionError) as e:
            where = base + q + (e.pos if isinstance(e, Bad) else 0)
            return f"cannot decode section {sid} (@ 0x{where:x})"
        if problem is not None:
            return problem
        p = q + size
    return None


def _section(sid: int, buf: Buf, comp: _Component, base: int) -> str | None:
    if sid == 4:  # nested component: its exports become a component entry
        if len(comp.sc.chain) > MAX_NESTING:
            raise Unsupported(f"components nested deeper than {MAX_NESTING}", 0)
        inner = _Component(comp.sc.inner())
        problem = _walk(buf, inner, base)
        comp.components.append(inner.export_info)
        return problem
    if sid not in (5, 6, 7, 8, 10, 11):
        return None
    n, p = u32(buf, 0)
    for _ in range(n):
        if sid == 7:
            entry, p = deftype(buf, p, comp.sc)
            comp.sc.types.append(entry)
        elif sid == 10:
            p = _import(buf, p, comp)
        elif sid == 11:
            p = _export(buf, p, comp)
        elif sid == 6:
            kind, what, p = alias_type(buf, p, comp.sc, comp.instances)
            comp.add(kind, what)
        elif sid == 5:
            p = _instance(buf, p, comp)
        elif sid == 8:
            p = _canon(buf, p, comp)
            if comp.funcs_lost:
                return None
    return None


def _import(buf: Buf, p: int, comp: _Component) -> int:
    label, p = import_name(buf, p)
    sort, entry, p = externdesc(buf, p, comp.sc, label)
    if sort == "instance":
        comp.add(sort, entry.instance)
    elif sort == "func":
        comp.add(sort, entry.func)
    else:
        comp.add(sort, entry)
    comp.imports.append(_item(label, sort, entry.instance if sort == "instance" else None,
                              entry.func))
    return p


def _export(buf: Buf, p: int, comp: _Component) -> int:
    label, p = import_name(buf, p)
    sort, idx, p = _sortidx(buf, p)
    what: Any = None
    if sort == "instance":
        what = comp.instances[idx] if idx < len(comp.instances) else None
    elif sort == "func":
        what = comp.func(idx)
    elif sort == "type":
        what = comp.sc.get(idx).named(label)
    if buf[p] == 0x01:  # an ascribed type wins over what we followed
        dsort, entry, p = externdesc(buf, p + 1, comp.sc, label)
        what = {"instance": entry.instance, "func": entry.func}.get(dsort, entry) or what
    else:
        p += 1
    comp.add(sort, what)
    if sort == "func":
        comp.export_info.funcs[label] = what
    elif sort == "type" and isinstance(what, TypeEntry):
        comp.export_info.types[label] = what
    comp.exports.append(_item(label, sort, what if sort == "instance" else None,
                              what if sort == "func" else None))
    return p


def _item(label: str, sort: str, info: InstanceInfo | None, sig: str | None) -> WorldItem:
    if sort == "instance":
        funcs = tuple(info.funcs.items()) if info else ()
        return WorldItem(label, sort, funcs)
    if sort == "func":
        return WorldItem(label, sort, ((label, sig),))
    return WorldItem(label, sort)


def _sortidx(buf: Buf, p: int) -> tuple[str, int, int]:
    sort = buf[p]
    p += 1
    if sort == 0x00:
        p += 1
    idx, p = u32(buf, p)
    kind = {0x01: "func", 0x02: "value", 0x03: "type", 0x04: "component",
            0x05: "instance"}.get(sort, "core")
    return kind, idx, p


def _instance(buf: Buf, p: int, comp: _Component) -> int:
    tag = buf[p]
    if tag == 0x00:  # instantiate a component: the instance has that component's exports
        c, p = u32(buf, p + 1)
        n, p = u32(buf, p)
        for _ in range(n):
            _, p = name(buf, p)
            _, _, p = _sortidx(buf, p)
        comp.instances.append(comp.components[c] if c < len(comp.components) else None)
        return p
    if tag != 0x01:
        raise Unsupported(f"unknown instance expression 0x{tag:02x}", p)
    info = InstanceInfo()
    n, p = u32(buf, p + 1)
    for _ in range(n):
        label, p = import_name(buf, p)
        sort, idx, p = _sortidx(buf, p)
        if sort == "func":
            info.funcs[label] = comp.func(idx)
        elif sort == "type":
            info.types[label] = comp.sc.get(idx).named(label)
    comp.instances.append(info)
    return p


def _opts(buf: Buf, p: int) -> int:
    n, p = u32(buf, p)
    for _ in range(n):
        opt = buf[p]
        p += 1
        if opt in _OPTS_WITH_INDEX:
            _, p = u32(buf, p)
    return p


def _canon(buf: Buf, p: int, comp: _Component) -> int:
    op = buf[p]
    p += 1
    if op == 0x00:  # lift: the only canon entry that defines a component function
        _, p = u32(buf, p + 1)
        p = _opts(buf, p)
        t, p = u32(buf, p)
        comp.funcs.append(comp.sc.get(t).func)
        return p
    if op == 0x01:
        _, p = u32(buf, p + 1)
        return _opts(buf, p)
    if op in _CANON_ONE_U32:
        return u32(buf, p)[1]
    if op in _CANON_NONE:
        return p
    if op in (0x0F, 0x10, 0x16, 0x17):  # stream/future read/write: type + opts
        _, p = u32(buf, p)
        return _opts(buf, p)
    if op in (0x11, 0x12, 0x18, 0x19):  # cancel-read/write: type + async flag
        _, p = u32(buf, p)
        return p + 1
    comp.funcs_lost = True  # unknown entry size: later function indices are unknowable
    return p
