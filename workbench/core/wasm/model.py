"""Typed records produced by the wasm reader. This file is the contract other layers use.

Offsets are absolute byte offsets into the file. Size conventions follow wasm-objdump:
- Section.start is the first payload byte (after the id byte and the size LEB),
  Section.size the payload length, Section.end = start + size. A custom section's
  payload includes its name.
- Function.size is the body length without the body's own size LEB (objdump's `size=`);
  Function.disk_size adds that LEB, so the bodies plus the count LEB sum to the code
  section payload exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

SECTION_NAMES = {
    0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory",
    6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data",
    12: "datacount", 13: "tag",
}


@dataclass(frozen=True, slots=True)
class Section:
    id: int
    name: str  # standard: lowercase name from SECTION_NAMES; custom: the custom name
    offset: int  # file offset of the id byte
    start: int  # first payload byte
    size: int  # payload length
    count: int | None = None  # leading vector count where the section has one
    content_start: int | None = None  # custom sections: first byte after the name

    @property
    def content(self) -> int:
        """First byte of the section's contents (custom: after the name)."""
        return self.start if self.content_start is None else self.content_start

    @property
    def end(self) -> int:
        return self.start + self.size

    @property
    def disk_size(self) -> int:
        """Bytes on disk: id byte + size LEB + payload."""
        return self.end - self.offset

    @property
    def is_custom(self) -> bool:
        return self.id == 0

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "start": self.start, "end": self.end,
                "size": self.size, "count": self.count}


@dataclass(frozen=True, slots=True)
class FuncType:
    params: tuple[str, ...]
    results: tuple[str, ...]
    kind: str = "func"  # "struct" / "array" for GC types (params/results then empty)

    def __str__(self) -> str:
        if self.kind != "func":
            return self.kind
        res = self.results[0] if len(self.results) == 1 else "(" + ", ".join(self.results) + ")"
        return "(" + ", ".join(self.params) + ") -> " + res


class Function(NamedTuple):
    """A defined (not imported) function. NamedTuple: there can be 100k of them."""

    index: int  # type: ignore[assignment]  # function index space (imports first)
    name: str  # display name: name section (demangled), else export name, else f"func[{index}]"
    start: int  # file offset of the body (first byte after the body size LEB)
    size: int  # body length, as wasm-objdump -x `size=`
    disk_size: int  # size + the body size LEB
    type_index: int
    raw_name: str | None = None  # undemangled name-section name, if any

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "name": self.name, "start": self.start, "size": self.size}


class DataSegment(NamedTuple):
    index: int  # type: ignore[assignment]  # shadows tuple.index, as the contract says
    start: int  # file offset of the segment's bytes
    size: int  # length of the segment's bytes
    disk_size: int  # whole entry: flags, memory index, offset expr, size LEB, bytes
    mode: str  # "active" | "passive"
    name: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "start": self.start, "size": self.size}


@dataclass(frozen=True, slots=True)
class Import:
    module: str
    name: str
    kind: Literal["func", "table", "memory", "global", "tag"]
    type: str  # rendered: "(i32, i32) -> i32", "memory 1..16", "global mut i32", ...
    func_type: FuncType | None = None

    def to_json(self) -> dict[str, Any]:
        return {"module": self.module, "name": self.name, "kind": self.kind, "type": self.type}


@dataclass(frozen=True, slots=True)
class Export:
    name: str
    kind: Literal["func", "table", "memory", "global", "tag"]
    index: int
    type: str  # rendered like Import.type
    func_type: FuncType | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "type": self.type}


@dataclass(frozen=True, slots=True)
class CoreModuleRef:
    """A core module embedded in a component binary."""

    index: int
    start: int
    size: int
    depth: int = 0  # 0: in the outer component; 1: in a nested component, ...


@dataclass(frozen=True)
class Module:
    """A parsed binary. `kind == "component"` fills `components` and `sections` only."""

    size: int
    kind: Literal["module", "component"]
    version: int
    sections: tuple[Section, ...]
    types: tuple[FuncType, ...] = ()
    imports: tuple[Import, ...] = ()
    exports: tuple[Export, ...] = ()
    functions: tuple[Function, ...] = ()
    data_segments: tuple[DataSegment, ...] = ()
    module_name: str | None = None
    producers: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    target_features: tuple[str, ...] = ()
    components: tuple[CoreModuleRef, ...] = ()
    data: memoryview | bytes = b""  # the whole file, not copied
    # added by the reader (issue 2); rendered like Import.type
    tables: tuple[str, ...] = ()  # "funcref 1..", imported first
    memories: tuple[str, ...] = ()  # "1..16 pages", "i64 1..∞ pages shared", imported first
    globals: tuple[str, ...] = ()  # "mut i32", imported first
    start: int | None = None  # start function index
    element_segments: int = 0
    data_count: int | None = None
    imported_functions: int = 0
    global_names: dict[int, str] = field(default_factory=dict)
    # problems in custom sections (name, producers, ...): the module is still usable
    warnings: tuple[str, ...] = ()

    @property
    def code_size(self) -> int:
        """Payload bytes of the code section (0 when absent)."""
        s = self.section("code")
        return s.size if s is not None else 0

    def section(self, name: str) -> Section | None:
        """First section with this name ("code", "data", ".debug_info", ...)."""
        for s in self.sections:
            if s.name == name:
                return s
        return None

    def payload(self, section: Section) -> memoryview:
        """The section contents, without copying. For custom sections: after the name."""
        return memoryview(self.data)[section.content:section.end]

    def custom(self, name: str) -> memoryview | None:
        """Contents of the first custom section with this name, or None."""
        for s in self.sections:
            if s.id == 0 and s.name == name:
                return self.payload(s)
        return None
