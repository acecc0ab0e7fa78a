"""`parse_module`: header, section walk, and assembly of the frozen `Module`.

The walker slices each section payload out of one memoryview (no copies), hands it to the
decoder for its id, and turns every decoding problem into a `MalformedModule` naming the
absolute byte offset. Sizes follow `wasm-objdump -h` / `-x` exactly (see model.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from workbench.core.errors import MalformedModule
from workbench.core.wasm import sections as S
from workbench.core.wasm.bodies import decode_code, decode_data
from workbench.core.wasm.component import COMPONENT_HEADER, CORE_HEADER, walk_component
from workbench.core.wasm.demangle import demangle
from workbench.core.wasm.leb import Bad, name, u32
from workbench.core.wasm.model import (
    SECTION_NAMES,
    DataSegment,
    Export,
    Function,
    FuncType,
    Import,
    Module,
    Section,
)
from workbench.core.wasm.names import (
    Names,
    decode_names,
    decode_producers,
    decode_target_features,
)

DECODERS: dict[int, Callable[[S.State, memoryview], int]] = {
    1: S.decode_type, 2: S.decode_import, 3: S.decode_function, 4: S.decode_table,
    5: S.decode_memory, 6: S.decode_global, 7: S.decode_export, 8: S.decode_start,
    9: S.decode_element, 12: S.decode_datacount, 13: S.decode_tag,
}
# required order of the non-custom sections (tag sits between memory and global)
ORDER = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13}
TRUNCATED = "the file looks truncated or corrupted: rebuild it, or check the copy finished"
Progress = Callable[[int, int], None]


def parse_module(data: bytes | memoryview, *, file: str | None = None,
                 progress: Progress | None = None,
                 cancel: threading.Event | None = None) -> Module:
    """Read a wasm module or component. Raises MalformedModule (offset + what is wrong).

    `progress(done_bytes, total_bytes)` is called between sections; a set `cancel` event
    stops the walk with `InterruptedError`.
    """
    mv = memoryview(data).cast("B") if isinstance(data, memoryview) else memoryview(data)

    def fail(message: str, offset: int, hint: str | None = TRUNCATED) -> MalformedModule:
        return MalformedModule(message, offset, file=file, hint=hint)

    size = len(mv)
    header = bytes(mv[:8])
    if not b"\x00asm".startswith(header[:4]):
        raise fail(f"bad magic {header[:4].hex(' ')} (a wasm binary starts with 00 61 73 6d): "
                   "not a WebAssembly binary", 0, _not_wasm(mv))
    if size < 8:
        what = "the file is empty" if not size else f"the file has {size}"
        raise fail(f"truncated: a wasm header needs 8 bytes, {what}", size)
    if header == COMPONENT_HEADER:
        secs, cores = walk_component(mv, 0, fail)
        producers, warnings = _component_producers(mv, secs)
        return Module(size=size, kind="component", version=0x1000D, sections=tuple(secs),
                      components=tuple(cores), data=mv, producers=producers,
                      warnings=warnings)
    if header != CORE_HEADER:
        raise fail(f"unsupported version/layer bytes {header[4:].hex(' ')}", 4,
                   "expected 01 00 00 00 (core module) or 0d 00 01 00 (component)")
    return _walk(mv, fail, progress, cancel)


def _component_producers(mv: memoryview, secs: list[Section]
                         ) -> tuple[dict[str, list[tuple[str, str]]], tuple[str, ...]]:
    """The component's own `producers` section (wit-component, ComponentizeJS, ...):
    the toolchain that made the component, as inspect shows for a module."""
    producers: dict[str, list[tuple[str, str]]] = {}
    for sec in secs:
        if sec.id == 0 and sec.name == "producers":
            try:
                producers.update(decode_producers(mv[sec.content:sec.end]))
            except Bad as e:
                return {}, (f"producers section at {sec.content + e.pos:#x}: {e.message}",)
    return producers, ()


def _not_wasm(mv: memoryview) -> str:
    """Hint for a file that is not a wasm binary; text format gets its own advice."""
    text = bytes(mv[:256]).lstrip()
    if text.startswith((b"(module", b"(component", b";;", b"(;")):
        return ("this is WebAssembly text (WAT): compile it first (`workbench build`, "
                "`wasm-tools parse` or `wat2wasm`) and inspect the .wasm")
    return "check the path: this file does not start with \\0asm"


def _walk(mv: memoryview, fail: Callable[..., MalformedModule], progress: Progress | None,
          cancel: threading.Event | None) -> Module:
    size = len(mv)
    st = S.State()
    sections: list[Section] = []
    bodies: list[tuple[int, int, int]] = []
    segments: list[DataSegment] = []
    names = Names()
    producers: dict[str, list[tuple[str, str]]] = {}
    features: tuple[str, ...] = ()
    warnings: list[str] = []
    last = 0
    p = 8
    while p < size:
        if cancel is not None and cancel.is_set():
            raise InterruptedError("parse cancelled")
        off = p
        sid = mv[p]
        label = SECTION_NAMES.get(sid)
        if label is None:
            raise fail(f"unknown section id {sid}", off)
        try:
            psize, q = u32(mv, p + 1)
        except IndexError:
            raise fail(f"file ends inside the {label} section header", off) from None
        except Bad as e:
            raise fail(f"{label} section size: {e.message}", off + 1) from None
        if q + psize > size:
            raise fail(f"{label} section declares {psize} bytes but only {size - q} remain",
                       off)
        if sid:
            if ORDER[sid] <= last:
                raise fail(f"{label} section is out of order or repeated", off,
                           "the module was likely damaged by a post-processing tool")
            last = ORDER[sid]
        payload = mv[q:q + psize]
        count: int | None = None
        content: int | None = None
        try:
            if sid == 0:
                label, c = name(payload, 0)
                content = q + c
                found = _custom(label, payload[c:], content, names, producers, warnings)
                if found is not None:
                    features = found
            elif sid == 10:
                bodies = decode_code(payload, q)
                count = len(bodies)
            elif sid == 11:
                segments = decode_data(payload, q)
                count = len(segments)
            else:
                count = DECODERS[sid](st, payload)
                if sid == 8:
                    count = None
        except IndexError:
            raise fail(f"{label} section: content runs past its declared size "
                       f"(section ends at 0x{q + psize:x})", q + psize) from None
        except Bad as e:
            raise fail(f"{label} section: {e.message}", q + e.pos) from None
        sections.append(Section(sid, label, off, q, psize, count, content))
        p = q + psize
        if progress is not None:
            progress(p, size)
    defined = st.defined_funcs or 0
    if defined != len(bodies):
        code = next((s for s in sections if s.id == 10), None)
        raise fail(f"function section declares {defined} functions but the code section "
                   f"has {len(bodies)} bodies", code.offset if code else size,
                   "the module is inconsistent: rebuild it")
    if st.data_count is not None and st.data_count != len(segments):
        at = next((s for s in sections if s.id == 12), None)
        raise fail(f"datacount section says {st.data_count} data segments but the data "
                   f"section has {len(segments)}", at.start if at else size,
                   "the module is inconsistent: rebuild it")
    return _assemble(mv, st, tuple(sections), bodies, segments, names, producers,
                     features, tuple(warnings))


def _custom(label: str, body: memoryview, at: int, names: Names,
            producers: dict, warnings: list[str]) -> tuple[str, ...] | None:
    """Decode the custom sections we understand; problems become warnings.

    Returns the target features when this is the target_features section."""
    try:
        if label == "name":
            decoded = decode_names(body)
            names.module, names.functions = decoded.module, decoded.functions
            names.globals, names.data = decoded.globals, decoded.data
        elif label == "producers":
            producers.update(decode_producers(body))
        elif label == "target_features":
            return decode_target_features(body)
    except IndexError:
        warnings.append(f"{label} section @ 0x{at:x}: truncated; its contents were ignored")
    except Bad as e:
        warnings.append(f"{label} section @ 0x{at + e.pos:x}: {e.message}; ignored")
    return None


def _sig(types: list[FuncType], idx: object) -> str:
    if isinstance(idx, int) and 0 <= idx < len(types):
        return str(types[idx])
    return f"<invalid type index {idx}>"


def _assemble(mv: memoryview, st: S.State, sections: tuple[Section, ...],
              bodies: list[tuple[int, int, int]], segments: list[DataSegment],
              names: Names, producers: dict, features: tuple[str, ...],
              warnings: tuple[str, ...]) -> Module:
    types, ftypes, nimp = st.types, st.func_types, st.imported_funcs
    imports = []
    for mod, nm, kind, info in st.imports:
        k = S.KINDS[kind]
        if kind == 0:
            assert isinstance(info, int)
            text, ft = _sig(types, info), types[info] if info < len(types) else None
        elif kind == 4:
            text, ft = "tag " + _sig(types, info), None
        else:
            text, ft = f"{k} {info}", None
        imports.append(Import(mod, nm, k, text, ft))  # type: ignore[arg-type]
    export_names: dict[int, str] = {}
    exports = []
    for nm, kind, idx in st.exports:
        k = S.KINDS[kind]
        ft = None
        if kind == 0:
            export_names.setdefault(idx, nm)
            tidx = ftypes[idx] if idx < len(ftypes) else -1
            text = _sig(types, tidx)
            ft = types[tidx] if 0 <= tidx < len(types) else None
        else:
            pool = (st.tables, st.memories, st.globals, st.tags)[kind - 1]
            info = pool[idx] if idx < len(pool) else f"<invalid index {idx}>"
            text = f"tag {_sig(types, info)}" if kind == 4 else f"{k} {info}"
        exports.append(Export(nm, k, idx, text, ft))  # type: ignore[arg-type]
    fnames = names.functions
    functions = []
    for i, (start, fsize, disk) in enumerate(bodies):
        index = nimp + i
        raw = fnames.get(index)
        display = demangle(raw) if raw else export_names.get(index, f"func[{index}]")
        functions.append(Function(index, display, start, fsize, disk, ftypes[index], raw))
    if names.data:
        for i, nm in names.data.items():
            if 0 <= i < len(segments):
                segments[i] = segments[i]._replace(name=nm)
    return Module(
        size=len(mv), kind="module", version=1, sections=sections, types=tuple(types),
        imports=tuple(imports), exports=tuple(exports), functions=tuple(functions),
        data_segments=tuple(segments), module_name=names.module, producers=producers,
        target_features=features, data=mv, tables=tuple(st.tables),
        memories=tuple(st.memories), globals=tuple(st.globals), start=st.start,
        element_segments=st.elements, data_count=st.data_count, imported_functions=nimp,
        global_names=names.globals, warnings=warnings,
    )
