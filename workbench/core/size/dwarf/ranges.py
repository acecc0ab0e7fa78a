"""Range lists for the fast scanner: `.debug_ranges` (DWARF 4) and `.debug_rnglists` (5).

Entries relative to a base address are made absolute here. A base address that is a
dead-code tombstone (>= 0xfffffffe) makes its relative entries dead too; they are
returned as an empty range at the tombstone so the caller counts them as dead.
"""

from __future__ import annotations

import struct
from typing import Any

from workbench.core.size.dwarf.forms import Unsupported, uleb

_U32 = struct.Struct("<I").unpack_from
_DEAD = 0xFFFFFFFE


def _rel(base: int, lo: int, hi: int) -> tuple[int, int]:
    return (base, base) if base >= _DEAD else (base + lo, base + hi)


def range_list(scanner: Any, unit: Any, form: int, value: int) -> list[tuple[int, int]]:
    if unit.version < 5:
        return _ranges_v4(scanner.ranges, value, unit.base)
    data = scanner.rnglists
    if form == 0x23:  # rnglistx: index into the offset table after rnglists_base
        offset = unit.rng_base + _U32(data, unit.rng_base + 4 * value)[0]
    else:
        offset = value
    return _rnglist_v5(scanner, unit, data, offset)


def _ranges_v4(data: bytes, pos: int, base: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    while True:
        lo, hi = _U32(data, pos)[0], _U32(data, pos + 4)[0]
        pos += 8
        if lo == 0 and hi == 0:
            return out
        if lo == 0xFFFFFFFF:
            base = hi
        else:
            out.append(_rel(base, lo, hi))


def _rnglist_v5(scanner: Any, unit: Any, data: bytes, pos: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    base = unit.base

    def addrx(index: int) -> int:
        return scanner.address(unit, 0x1B, index)

    while True:
        kind = data[pos]
        pos += 1
        if kind == 0:  # end_of_list
            return out
        if kind == 1:  # base_addressx
            index, pos = uleb(data, pos)
            base = addrx(index)
        elif kind == 2:  # startx_endx
            a, pos = uleb(data, pos)
            b, pos = uleb(data, pos)
            out.append((addrx(a), addrx(b)))
        elif kind == 3:  # startx_length
            a, pos = uleb(data, pos)
            n, pos = uleb(data, pos)
            start = addrx(a)
            out.append((start, start + n))
        elif kind == 4:  # offset_pair
            a, pos = uleb(data, pos)
            b, pos = uleb(data, pos)
            out.append(_rel(base, a, b))
        elif kind == 5:  # base_address
            base = _U32(data, pos)[0]
            pos += 4
        elif kind == 6:  # start_end
            out.append((_U32(data, pos)[0], _U32(data, pos + 4)[0]))
            pos += 8
        elif kind == 7:  # start_length
            start = _U32(data, pos)[0]
            n, pos = uleb(data, pos + 4)
            out.append((start, start + n))
        else:
            raise Unsupported(f"range list entry kind {kind}")
