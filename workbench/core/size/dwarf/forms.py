"""DWARF attribute forms and abbreviation tables for the fast scanner (32-bit, addr 4).

Every form is either a fixed number of bytes, a LEB128, a NUL-terminated string or a
length-prefixed block, so a DIE can be skipped without decoding it. Abbreviations whose
forms are all fixed get a precomputed stride (`Abbrev.fixed`).
"""

from __future__ import annotations

import struct
from typing import Any, NamedTuple

_U16 = struct.Struct("<H").unpack_from
_U32 = struct.Struct("<I").unpack_from
_U64 = struct.Struct("<Q").unpack_from


class Unsupported(Exception):
    """A DWARF feature the fast scanner leaves to pyelftools."""


# Fixed sizes for 32-bit DWARF with 4-byte addresses.
FIXED: dict[int, int] = {
    0x01: 4, 0x05: 2, 0x06: 4, 0x07: 8, 0x0B: 1, 0x0C: 1, 0x0E: 4, 0x10: 4, 0x11: 1,
    0x12: 2, 0x13: 4, 0x14: 8, 0x17: 4, 0x19: 0, 0x1C: 4, 0x1D: 4, 0x1E: 16, 0x1F: 4,
    0x20: 8, 0x21: 0, 0x24: 8, 0x25: 1, 0x26: 2, 0x27: 3, 0x28: 4, 0x29: 1, 0x2A: 2,
    0x2B: 3, 0x2C: 4, 0x1F20: 4, 0x1F21: 4,
}
ULEB_FORMS = frozenset({0x0F, 0x15, 0x1A, 0x1B, 0x22, 0x23, 0x1F01, 0x1F02})
SLEB_FORMS = frozenset({0x0D})
STRX_FORMS = frozenset({0x1A, 0x25, 0x26, 0x27, 0x28})
ADDRX_FORMS = frozenset({0x1B, 0x29, 0x2A, 0x2B, 0x2C})
REF_FORMS = frozenset({0x11, 0x12, 0x13, 0x14, 0x15})  # unit-relative references
CONST_FORMS = frozenset({0x05, 0x06, 0x07, 0x0B, 0x0D, 0x0F, 0x21})
_UNSIGNED = {1: lambda b, p: b[p], 2: lambda b, p: _U16(b, p)[0], 4: lambda b, p: _U32(b, p)[0],
             8: lambda b, p: _U64(b, p)[0],
             3: lambda b, p: b[p] | b[p + 1] << 8 | b[p + 2] << 16}


class Abbrev(NamedTuple):
    tag: int
    children: bool
    specs: tuple[tuple[int, int, int], ...]  # (attribute, form, implicit_const value)
    fixed: int | None  # total size of the attributes when every form is fixed


def uleb(data: bytes, pos: int) -> tuple[int, int]:
    byte = data[pos]
    if byte < 0x80:
        return byte, pos + 1
    result, shift = byte & 0x7F, 7
    while True:
        pos += 1
        byte = data[pos]
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos + 1
        shift += 7


def sleb(data: bytes, pos: int) -> tuple[int, int]:
    result, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            if byte & 0x40:
                result -= 1 << shift
            return result, pos


def parse_abbrevs(data: bytes, offset: int) -> dict[int, Abbrev]:
    """The abbreviation table starting at `offset` of .debug_abbrev."""
    table: dict[int, Abbrev] = {}
    pos = offset
    while True:
        code, pos = uleb(data, pos)
        if code == 0:
            return table
        tag, pos = uleb(data, pos)
        children = data[pos] != 0
        pos += 1
        specs = []
        fixed: int | None = 0
        while True:
            attr, pos = uleb(data, pos)
            form, pos = uleb(data, pos)
            if attr == 0 and form == 0:
                break
            implicit = 0
            if form == 0x21:
                implicit, pos = sleb(data, pos)
            elif form == 0x16:
                raise Unsupported("DW_FORM_indirect")
            elif form not in FIXED and form not in ULEB_FORMS and form not in SLEB_FORMS \
                    and form not in (0x03, 0x04, 0x08, 0x09, 0x0A, 0x18):
                raise Unsupported(f"form 0x{form:x}")
            size = FIXED.get(form)
            fixed = None if size is None or fixed is None else fixed + size
            specs.append((attr, form, implicit))
        table[code] = Abbrev(tag, children, tuple(specs), fixed)


def skip_value(form: int, data: bytes, pos: int) -> int:
    size = FIXED.get(form)
    if size is not None:
        return pos + size
    if form in ULEB_FORMS or form in SLEB_FORMS:
        while data[pos] & 0x80:
            pos += 1
        return pos + 1
    if form == 0x08:
        return data.index(0, pos) + 1
    if form == 0x0A:
        return pos + 1 + data[pos]
    if form == 0x03:
        return pos + 2 + _U16(data, pos)[0]
    if form == 0x04:
        return pos + 4 + _U32(data, pos)[0]
    length, pos = uleb(data, pos)  # 0x09 block, 0x18 exprloc
    return pos + length


def read_value(form: int, data: bytes, pos: int) -> tuple[Any, int]:
    """Raw value of one attribute: ints for numbers/offsets/indices, str for inline strings,
    None for blocks (never needed by the scanner)."""
    size = FIXED.get(form)
    if size is not None:
        if size == 0:
            return True, pos
        if size == 16:
            return None, pos + 16
        return _UNSIGNED[size](data, pos), pos + size
    if form in ULEB_FORMS:
        return uleb(data, pos)
    if form in SLEB_FORMS:
        return sleb(data, pos)
    if form == 0x08:
        end = data.index(0, pos)
        return data[pos:end].decode("utf-8", errors="replace"), end + 1
    return None, skip_value(form, data, pos)
