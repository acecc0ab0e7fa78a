"""Summaries of the core modules embedded in a component binary.

The component walker (`wasm.component`) only locates each embedded core module; here
each one is parsed as the core module it is, so `workbench inspect` can say what a
component is made of: per core module its size, function count, code and data payload
bytes, imports and exports. A damaged embedded module gets its error, the others are
still summarised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.core.errors import MalformedModule
from workbench.core.wasm.model import CoreModuleRef, Export, Import, Module


@dataclass(frozen=True)
class CoreModuleSummary:
    """One embedded core module. `start` is the absolute offset of its `\\0asm`."""

    index: int
    start: int
    size: int
    depth: int = 0  # nesting: 0 = in the outer component
    functions: int | None = None  # defined functions (None when unreadable)
    code_size: int | None = None  # code section payload
    data_size: int | None = None  # data section payload
    imports: tuple[Import, ...] = ()
    exports: tuple[Export, ...] = ()
    error: dict[str, Any] | None = None  # {kind, offset (absolute), message}
    # (label, bytes on disk) adding up exactly to `size`: code, data, names, other custom
    # sections, everything else (header, types, imports, exports, ... and section heads)
    breakdown: tuple[tuple[str, int], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "start": self.start, "size": self.size,
                "depth": self.depth, "functions": self.functions,
                "code_size": self.code_size, "data_size": self.data_size,
                "imports": [i.to_json() for i in self.imports],
                "exports": [e.to_json() for e in self.exports], "error": self.error,
                "breakdown": [{"part": k, "bytes": v} for k, v in self.breakdown]}


def breakdown(module: Module) -> tuple[tuple[str, int], ...]:
    """Where a core module's bytes go, on-disk sizes adding up to `module.size`."""
    code = sum(s.disk_size for s in module.sections if s.id == 10)
    data = sum(s.disk_size for s in module.sections if s.id == 11)
    names = sum(s.disk_size for s in module.sections if s.id == 0 and s.name == "name")
    custom = sum(s.disk_size for s in module.sections if s.id == 0) - names
    rest = module.size - code - data - names - custom
    return (("code", code), ("data", data), ("names", names), ("other custom", custom),
            ("header + other sections", rest))


def _payload(module: Module, name: str) -> int:
    s = module.section(name)
    return s.size if s is not None else 0


def summarize(ref: CoreModuleRef, data: memoryview | bytes) -> CoreModuleSummary:
    """Parse the core module `ref` points at inside the component bytes `data`."""
    from workbench.core.wasm import parse_module

    base = CoreModuleSummary(ref.index, ref.start, ref.size, ref.depth)
    try:
        core = parse_module(memoryview(data)[ref.start:ref.start + ref.size])
    except MalformedModule as err:
        return CoreModuleSummary(
            ref.index, ref.start, ref.size, ref.depth,
            error={"kind": err.kind, "offset": ref.start + err.offset,
                   "message": f"core module {ref.index}: {err.message}"})
    return CoreModuleSummary(
        base.index, base.start, base.size, base.depth, len(core.functions),
        _payload(core, "code"), _payload(core, "data"), core.imports, core.exports,
        breakdown=breakdown(core))


def summarize_all(module: Module) -> tuple[CoreModuleSummary, ...]:
    """Every embedded core module of a component (empty for a core module)."""
    if module.kind != "component":
        return ()
    return tuple(summarize(ref, module.data) for ref in module.components)
