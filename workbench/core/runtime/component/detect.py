"""Is this a component (component-model binary or text) rather than a core module?"""

from __future__ import annotations

COMPONENT_LAYER = b"\x0d\x00\x01\x00"  # version 0x0d, layer 1 (a core module: 01 00 00 00)


def is_component(data: bytes) -> bool:
    if data[:4] == b"\0asm":
        return data[4:8] == COMPONENT_LAYER
    head = data[:512].lstrip()
    while head.startswith(b";;"):  # line comments before the first form
        head = head.partition(b"\n")[2].lstrip()
    return head.startswith(b"(component")
