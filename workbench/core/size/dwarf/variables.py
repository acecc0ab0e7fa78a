"""Global variables with a fixed address in linear memory, from DWARF (for attribution).

`variables(module)` -> [(name, address, size)] for every DW_TAG_variable whose location
is a single `DW_OP_addr`: what a C/C++/Rust/Zig `static` or global compiles to. The size
follows DW_AT_type through typedefs and qualifiers to a byte size (arrays: element size
times the count); 1 when it cannot be told. Empty without DWARF or when it is unreadable.
"""

from __future__ import annotations

from typing import Any

from workbench.core.size.dwarf.load import load_dwarf
from workbench.core.wasm.model import Module

DW_OP_ADDR = 0x03


def _type_size(die: Any, depth: int = 0) -> int | None:
    if die is None or depth > 16:
        return None
    if "DW_AT_byte_size" in die.attributes and die.tag != "DW_TAG_array_type":
        return int(die.attributes["DW_AT_byte_size"].value)
    if die.tag in ("DW_TAG_pointer_type", "DW_TAG_reference_type"):
        return int(die.cu["address_size"])  # wasm32: 4; clang omits the byte size
    if die.tag == "DW_TAG_array_type":
        elem = _type_size(die.get_DIE_from_attribute("DW_AT_type"), depth + 1) \
            if "DW_AT_type" in die.attributes else None
        count = 1
        for child in die.iter_children():
            if child.tag == "DW_TAG_subrange_type":
                a = child.attributes
                if "DW_AT_count" in a:
                    count *= int(a["DW_AT_count"].value)
                elif "DW_AT_upper_bound" in a:
                    count *= int(a["DW_AT_upper_bound"].value) + 1
        return elem * count if elem is not None else None
    if "DW_AT_type" in die.attributes:
        return _type_size(die.get_DIE_from_attribute("DW_AT_type"), depth + 1)
    return None


def variables(module: Module) -> list[tuple[str, int, int]]:
    try:
        di = load_dwarf(module)
        if di is None:
            return []
        out: list[tuple[str, int, int]] = []
        for cu in di.iter_CUs():
            for die in cu.iter_DIEs():
                if die.tag != "DW_TAG_variable":
                    continue
                loc = die.attributes.get("DW_AT_location")
                name = die.attributes.get("DW_AT_name")
                if loc is None or name is None or not isinstance(loc.value, list):
                    continue
                expr = loc.value
                if len(expr) < 2 or expr[0] != DW_OP_ADDR:
                    continue
                addr = int.from_bytes(bytes(expr[1:5]), "little")
                size = _type_size(die) or 1
                text = name.value.decode() if isinstance(name.value, bytes) else str(name.value)
                out.append((text, addr, size))
        return out
    except Exception:  # noqa: BLE001 - broken DWARF: attribution falls back to segments
        return []
