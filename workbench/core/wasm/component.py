"""Component-model binaries (layer 1): walk the sections and list embedded core modules.

A component is not a core module with odd sections: its section ids mean different
things (1 is a whole embedded core module, 4 a nested component). Reading it with the
core walker would misreport everything, so it gets its own small walker. Nested
components are walked too, so every core module inside is listed with its absolute
offset (the runtime or a later `inspect` can parse each one with `parse_module`).
"""

from __future__ import annotations

from collections.abc import Callable

from workbench.core.wasm.leb import Bad, Buf, name, u32
from workbench.core.wasm.model import CoreModuleRef, Section

COMPONENT_SECTION_NAMES = {
    0: "custom", 1: "core module", 2: "core instance", 3: "core type", 4: "component",
    5: "instance", 6: "alias", 7: "type", 8: "canon", 9: "start", 10: "import",
    11: "export", 12: "value",
}
_VECTOR_SECTIONS = frozenset((2, 3, 5, 6, 7, 8, 10, 11, 12))
CORE_HEADER = b"\x00asm\x01\x00\x00\x00"
COMPONENT_HEADER = b"\x00asm\x0d\x00\x01\x00"
MAX_DEPTH = 16


def walk_component(
    buf: Buf, base: int, fail: Callable[[str, int], Exception], depth: int = 0
) -> tuple[list[Section], list[CoreModuleRef]]:
    """Sections of the component in `buf` (header included) and its core modules.

    `fail(message, absolute_offset)` builds the exception to raise.
    """
    if depth > MAX_DEPTH:
        raise fail(f"components nested deeper than {MAX_DEPTH} levels", base)
    sections: list[Section] = []
    cores: list[CoreModuleRef] = []
    end = len(buf)
    p = 8
    while p < end:
        off = p
        sid = buf[p]
        if sid not in COMPONENT_SECTION_NAMES:
            raise fail(f"unknown component section id {sid}", base + off)
        try:
            size, q = u32(buf, p + 1)
        except IndexError:
            raise fail("file ends inside a section header", base + off) from None
        except Bad as e:
            raise fail(e.message, base + e.pos) from None
        if q + size > end:
            raise fail(f"{COMPONENT_SECTION_NAMES[sid]} section declares {size} bytes but "
                       f"only {end - q} remain", base + off)
        payload = buf[q:q + size]
        label, count, content = COMPONENT_SECTION_NAMES[sid], None, None
        try:
            if sid == 0:
                label, c = name(payload, 0)
                content = base + q + c
            elif sid in _VECTOR_SECTIONS:
                count, _ = u32(payload, 0)
        except IndexError:
            raise fail(f"{label} section is empty or truncated", base + q) from None
        except Bad as e:
            raise fail(f"{label} section: {e.message}", base + q + e.pos) from None
        if sid == 1:
            if bytes(payload[:8]) != CORE_HEADER:
                raise fail("embedded core module does not start with a wasm header", base + q)
            cores.append(CoreModuleRef(len(cores), base + q, size, depth))
        elif sid == 4:
            if bytes(payload[:8]) != COMPONENT_HEADER:
                raise fail("nested component does not start with a component header", base + q)
            _, inner = walk_component(payload, base + q, fail, depth + 1)
            for ref in inner:
                cores.append(CoreModuleRef(len(cores), ref.start, ref.size, ref.depth))
        sections.append(Section(sid, label, base + off, base + q, size, count, content))
        p = q + size
    return sections, cores
