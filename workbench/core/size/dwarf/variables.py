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
from typing import Any, NamedTuple

from workbench.core.size.dwarf.load import broken_reason, load_dwarf
from workbench.core.size.dwarf.walk import file_table
from workbench.core.wasm.model import Module
from workbench.core.wasm.refs import module_refs

DW_OP_ADDR = 0x03
DW_OP_ADDRX = (0xA1, 0xFB)  # DW_OP_addrx, DW_OP_GNU_addr_index
_MAX_TYPE_HOPS = 64
_POINTERS = ("DW_TAG_pointer_type", "DW_TAG_reference_type", "DW_TAG_rvalue_reference_type")


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
        if die.tag in _POINTERS:  # clang gives wasm32 pointers no byte size: not the
            return factor * int(die.cu["address_size"])  # pointee's size, 4 bytes
    return None


def _address(attr: Any, di: Any = None, cu: Any = None) -> int | None:
    """The static address of a `DW_AT_location` that is exactly one address operation:
    `DW_OP_addr <u32>` (DWARF 4), or `DW_OP_addrx <uleb index>` into `.debug_addr`
    (DWARF 5, clang's `-gdwarf-5`; `DW_OP_GNU_addr_index` is the same before it)."""
    value = attr.value
    if not isinstance(value, list) or not value:
        return None
    if len(value) == 5 and value[0] == DW_OP_ADDR:
        return int.from_bytes(bytes(value[1:5]), "little")
    if value[0] in DW_OP_ADDRX and di is not None and cu is not None:
        index = shift = 0
        for i, b in enumerate(value[1:], 1):
            index |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return int(di.get_addr(cu, index)) if i == len(value) - 1 else None
    return None


class DataSymbols(NamedTuple):
    symbols: tuple[DataSymbol, ...]
    warning: str | None  # broken DWARF: why, and that the rest of the data is not split


def data_symbols(module: Module) -> tuple[DataSymbol, ...]:
    """Every statically placed variable, by address; () without DWARF (see
    `read_data_symbols`, which also says when the DWARF is broken)."""
    return read_data_symbols(module).symbols


def read_data_symbols(module: Module) -> DataSymbols:
    """`data_symbols` and a warning. Broken DWARF never raises: the variables read before
    pyelftools failed are kept, and the warning says why the rest is not split."""
    found: dict[int, DataSymbol] = {}
    warning = None
    try:
        _collect(module, found)
    except Exception as exc:  # noqa: BLE001 - pyelftools raises many kinds on bad input
        warning = (f"DWARF is broken ({broken_reason(exc)}): data segments are split by "
                   f"the {len(found)} variable(s) read before that, the rest is shown by "
                   "segment")
    symbols = sorted(found.values(), key=lambda s: s.address)
    out: list[DataSymbol] = []
    for s in symbols:  # overlapping entries (aliases) keep only the first bytes once
        if out and out[-1].segment == s.segment and s.address < out[-1].address + out[-1].size:
            continue
        out.append(s)
    return DataSymbols(tuple(out), warning)


def _collect(module: Module, found: dict[int, DataSymbol]) -> None:
    di = load_dwarf(module)
    if di is None:
        return
    ranges = module_refs(module).data_ranges
    spans = sorted((r[0], r[1], i) for i, r in enumerate(ranges) if r is not None)
    for cu in di.iter_CUs():
        top = cu.get_top_DIE()
        comp_dir = top.attributes.get("DW_AT_comp_dir")
        files, first = file_table(di, cu, _text(comp_dir.value) if comp_dir else None)
        for die in cu.iter_DIEs():
            attrs = die.attributes
            if die.tag != "DW_TAG_variable" or "DW_AT_location" not in attrs:
                continue
            addr = _address(attrs["DW_AT_location"], di, cu)
            if addr is None or addr in found:
                continue
            seg = next((s for s in spans if s[0] <= addr < s[1]), None)
            size = _type_size(die)
            if seg is None or not size or size < 0:
                continue
            fidx = attrs["DW_AT_decl_file"].value - first if "DW_AT_decl_file" in attrs else -1
            file = files[fidx] if isinstance(fidx, int) and 0 <= fidx < len(files) else None
            line = attrs["DW_AT_decl_line"].value if "DW_AT_decl_line" in attrs else None
            name = _text(attrs["DW_AT_name"].value) if "DW_AT_name" in attrs else "<literal>"
            found[addr] = DataSymbol(name, file, line, addr, min(size, seg[1] - addr), seg[2])


def _text(value: object) -> str:
    """A DWARF string attribute as text: bytes as UTF-8 (bad bytes replaced), else str."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


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
                if loc is None or name is None:
                    continue
                expr = loc.value
                addr: int | None
                if isinstance(expr, list) and len(expr) >= 5 and expr[0] == DW_OP_ADDR:
                    addr = int.from_bytes(bytes(expr[1:5]), "little")  # then any other ops
                else:
                    addr = _address(loc, di, cu)
                if addr is None:
                    continue
                size = _static_type_size(die) or 1
                text = _text(name.value)
                out.append((text, addr, size))
        return out
    except Exception:  # noqa: BLE001 - broken DWARF: attribution falls back to segments
        return []
