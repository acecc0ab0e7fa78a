"""Data attribution: which symbol owns which bytes of a data segment.

Global variables with a static address carry `DW_AT_location = DW_OP_addr <u32>` (wasm32:
four bytes after the 0x03 opcode); their size is their type's byte size (arrays:
element size times the subrange counts). Each lands in the active data segment whose
memory range holds its address, so `.rodata` splits into `SIN_TABLE (sin_table.h:3)
28,800 B` and friends. Unnamed variables (string literals) are named by where they are
declared. Bytes no variable covers stay with the segment, as one explicit row.

`variables(module)` -> [(name, address, size)] lists every static with a `DW_OP_addr`
location, also those outside any data segment (.bss): the purity check attributes
changed memory to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.core.size.dwarf.load import load_dwarf
from workbench.core.size.dwarf.walk import file_table
from workbench.core.wasm.model import Module
from workbench.core.wasm.refs import module_refs

DW_OP_ADDR = 0x03
_MAX_TYPE_HOPS = 64


@dataclass(frozen=True, slots=True)
class DataSymbol:
    name: str
    file: str | None
    line: int | None
    address: int
    size: int  # bytes inside its segment (clipped to the segment's end)
    segment: int

    @property
    def label(self) -> str:
        where = f"{self.file}:{self.line}" if self.file and self.line else self.file
        return f"{self.name} ({where})" if where else self.name

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "file": self.file, "line": self.line,
                "address": self.address, "size": self.size, "segment": self.segment}


def _type_size(die: Any) -> int | None:
    """Byte size of a DIE's type, following typedef/const/volatile and arrays."""
    factor = 1
    for _ in range(_MAX_TYPE_HOPS):
        if "DW_AT_type" not in die.attributes:
            return None
        die = die.get_DIE_from_attribute("DW_AT_type")
        if die.tag == "DW_TAG_array_type":
            for sub in die.iter_children():
                if sub.tag != "DW_TAG_subrange_type":
                    continue
                if "DW_AT_count" in sub.attributes:
                    factor *= int(sub.attributes["DW_AT_count"].value)
                elif "DW_AT_upper_bound" in sub.attributes:
                    factor *= int(sub.attributes["DW_AT_upper_bound"].value) + 1
                else:
                    return None
            continue
        if "DW_AT_byte_size" in die.attributes:
            return factor * int(die.attributes["DW_AT_byte_size"].value)
    return None


def _address(attr: Any) -> int | None:
    value = attr.value
    if isinstance(value, list) and len(value) == 5 and value[0] == DW_OP_ADDR:
        return int.from_bytes(bytes(value[1:5]), "little")
    return None


def data_symbols(module: Module) -> tuple[DataSymbol, ...]:
    """Every statically placed variable, by address; () without DWARF."""
    di = load_dwarf(module)
    if di is None:
        return ()
    ranges = module_refs(module).data_ranges
    spans = sorted((r[0], r[1], i) for i, r in enumerate(ranges) if r is not None)
    found: dict[int, DataSymbol] = {}
    for cu in di.iter_CUs():
        top = cu.get_top_DIE()
        comp_dir = top.attributes.get("DW_AT_comp_dir")
        files, first = file_table(di, cu, comp_dir.value.decode() if comp_dir else None)
        for die in cu.iter_DIEs():
            attrs = die.attributes
            if die.tag != "DW_TAG_variable" or "DW_AT_location" not in attrs:
                continue
            addr = _address(attrs["DW_AT_location"])
            if addr is None or addr in found:
                continue
            seg = next((s for s in spans if s[0] <= addr < s[1]), None)
            size = _type_size(die)
            if seg is None or not size:
                continue
            fidx = attrs["DW_AT_decl_file"].value - first if "DW_AT_decl_file" in attrs else -1
            file = files[fidx] if 0 <= fidx < len(files) else None
            line = attrs["DW_AT_decl_line"].value if "DW_AT_decl_line" in attrs else None
            name = attrs["DW_AT_name"].value.decode() if "DW_AT_name" in attrs else "<literal>"
            found[addr] = DataSymbol(name, file, line, addr, min(size, seg[1] - addr), seg[2])
    symbols = sorted(found.values(), key=lambda s: s.address)
    out: list[DataSymbol] = []
    for s in symbols:  # overlapping entries (aliases) keep only the first bytes once
        if out and out[-1].segment == s.segment and s.address < out[-1].address + out[-1].size:
            continue
        out.append(s)
    return tuple(out)


# -- every static with an address, in a data segment or not (the purity check needs .bss) --

def _static_type_size(die: Any, depth: int = 0) -> int | None:
    if die is None or depth > 16:
        return None
    if "DW_AT_byte_size" in die.attributes and die.tag != "DW_TAG_array_type":
        return int(die.attributes["DW_AT_byte_size"].value)
    if die.tag in ("DW_TAG_pointer_type", "DW_TAG_reference_type"):
        return int(die.cu["address_size"])  # wasm32: 4; clang omits the byte size
    if die.tag == "DW_TAG_array_type":
        elem = _static_type_size(die.get_DIE_from_attribute("DW_AT_type"), depth + 1) \
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
        return _static_type_size(die.get_DIE_from_attribute("DW_AT_type"), depth + 1)
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
                size = _static_type_size(die) or 1
                text = name.value.decode() if isinstance(name.value, bytes) else str(name.value)
                out.append((text, addr, size))
        return out
    except Exception:  # noqa: BLE001 - broken DWARF: attribution falls back to segments
        return []
