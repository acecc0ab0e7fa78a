"""Walk the compile units of a DWARFInfo and collect the code ranges of functions.

Only what size attribution needs is read: each unit's name and file table (the line
program *header*, never the line program itself), and for every `DW_TAG_subprogram` and
`DW_TAG_inlined_subroutine` its address ranges, name and declaring file. Types,
variables and locations are skipped. Addresses are offsets into the code section payload
(the wasm DWARF convention). Ranges are returned raw; dead-code filtering and interval
arithmetic happen in `workbench.core.size.dwarf.attribute`.

The collector is filled as the walk goes, so when pyelftools fails half-way on broken
DWARF the caller still holds everything read before the failure.
"""

from __future__ import annotations

import posixpath
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from elftools.dwarf.dwarfinfo import DWARFInfo


Progress = Callable[[int, int], None]

# high_pc in one of these forms is an address; in any other form it is a length.
_ADDRESS_FORMS = frozenset({"DW_FORM_addr", "DW_FORM_addrx", "DW_FORM_addrx1",
                            "DW_FORM_addrx2", "DW_FORM_addrx3", "DW_FORM_addrx4"})
_ORIGIN_ATTRS = ("DW_AT_abstract_origin", "DW_AT_specification")
_CANCEL_EVERY = 2048  # DIEs between two looks at the cancel event


class Cancelled(Exception):
    """Raised when the caller's cancel event is set during a long job."""


class UnitRecord(NamedTuple):
    name: str
    comp_dir: str | None
    producer: str | None
    version: int


class RangeRecord(NamedTuple):
    """A subprogram or inlined subroutine: raw (lo, hi) ranges, half-open."""

    ranges: tuple[tuple[int, int], ...]
    name: str
    file: str
    unit: int  # index into Collected.units
    inlined_into: int | None  # for inlined subroutines: offset of the enclosing subprogram
    offset: int  # DIE offset, identifies the subprogram


@dataclass
class Collected:
    units: list[UnitRecord] = field(default_factory=list)
    subprograms: list[RangeRecord] = field(default_factory=list)
    inlines: list[RangeRecord] = field(default_factory=list)


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def file_table(di: DWARFInfo, cu: Any, comp_dir: str | None) -> tuple[list[str], int]:
    """File names of a unit's line program header, and the index of the first one.

    DWARF 5 numbers files from 0 (entry 0 is the primary source file), DWARF 4 from 1.
    Paths are joined with their include directory, normalised (`./edge.h` is `edge.h`,
    so one file never shows as two rows) and made relative to the unit's compilation
    directory when under it, because that is how a reader names files.
    """
    lp = di.line_program_for_CU(cu)
    if lp is None:
        return [], 1
    header = lp.header
    version = header["version"]
    dirs = [_text(d) for d in header.get("include_directory", [])]
    names: list[str] = []
    for entry in header.get("file_entry", []):
        name = _text(entry.name)
        dir_index = entry.dir_index
        if version >= 5:
            directory = dirs[dir_index] if dir_index < len(dirs) else None
        else:
            directory = dirs[dir_index - 1] if 0 < dir_index <= len(dirs) else None
        path = name if directory is None else posixpath.join(directory, name)
        path = posixpath.normpath(path) if path else path  # "./edge.h" -> "edge.h"
        if comp_dir and path.startswith(comp_dir.rstrip("/") + "/"):
            path = path[len(comp_dir.rstrip("/")) + 1:]
        names.append(path)
    return names, (0 if version >= 5 else 1)


class _Walker:
    def __init__(self, di: DWARFInfo, sink: Collected) -> None:
        self.di = di
        self.sink = sink
        self.ranges = di.range_lists()
        self.files: dict[int, tuple[list[str], int, str]] = {}  # cu offset -> table

    def unit_files(self, cu: Any) -> tuple[list[str], int, str]:
        key = cu.cu_offset
        if key not in self.files:
            top = cu.get_top_DIE()
            attrs = top.attributes
            cu_name = _text(attrs["DW_AT_name"].value) if "DW_AT_name" in attrs else "<unknown>"
            comp_dir = _text(attrs["DW_AT_comp_dir"].value) if "DW_AT_comp_dir" in attrs else None
            table, first = file_table(self.di, cu, comp_dir)
            self.files[key] = (table, first, cu_name)
        return self.files[key]

    def name_and_file(self, die: Any) -> tuple[str, str]:
        """Name and declaring file, following abstract_origin/specification up to 4 hops."""
        name: str | None = None
        file: str | None = None
        current = die
        for _ in range(5):
            attrs = current.attributes
            if name is None and "DW_AT_name" in attrs:
                name = _text(attrs["DW_AT_name"].value)
            if file is None and "DW_AT_decl_file" in attrs:
                table, first, _cu_name = self.unit_files(current.cu)
                index = attrs["DW_AT_decl_file"].value - first
                if 0 <= index < len(table):
                    file = table[index]
            if name is not None and file is not None:
                break
            origin = next((a for a in _ORIGIN_ATTRS if a in attrs), None)
            if origin is None:
                break
            current = current.get_DIE_from_attribute(origin)
        if file is None:
            file = self.unit_files(die.cu)[2]
        return name or f"<anonymous @0x{die.offset:x}>", file

    def die_ranges(self, die: Any, cu: Any, base: int) -> list[tuple[int, int]] | None:
        attrs = die.attributes
        low = attrs.get("DW_AT_low_pc")
        if low is not None:
            high = attrs.get("DW_AT_high_pc")
            if high is None:
                return []
            lo = low.value
            hi = high.value if high.form in _ADDRESS_FORMS else lo + high.value
            return [(lo, hi)]
        ranges = attrs.get("DW_AT_ranges")
        if ranges is None or self.ranges is None:
            return None
        from elftools.dwarf.ranges import BaseAddressEntry

        out: list[tuple[int, int]] = []
        for entry in self.ranges.get_range_list_at_offset(ranges.value, cu=cu):
            if isinstance(entry, BaseAddressEntry):
                base = entry.base_address
            elif entry.is_absolute:
                out.append((entry.begin_offset, entry.end_offset))
            elif base >= 0xFFFFFFFE:  # relative to a dead base: dead as well
                out.append((base, base))
            else:
                out.append((base + entry.begin_offset, base + entry.end_offset))
        return out

    def walk_unit(self, cu: Any, unit_index: int, cancel: threading.Event | None) -> None:
        top = cu.get_top_DIE()
        low = top.attributes.get("DW_AT_low_pc")
        base = low.value if low is not None else 0
        seen = 0
        for die in cu.iter_DIEs():
            seen += 1
            if cancel is not None and seen % _CANCEL_EVERY == 0 and cancel.is_set():
                raise Cancelled()
            tag = die.tag
            if tag == "DW_TAG_subprogram":
                ranges = self.die_ranges(die, cu, base)
                if ranges:
                    name, file = self.name_and_file(die)
                    self.sink.subprograms.append(
                        RangeRecord(tuple(ranges), name, file, unit_index, None, die.offset))
            elif tag == "DW_TAG_inlined_subroutine":
                self.add_inline(die, cu, base, unit_index)

    def add_inline(self, die: Any, cu: Any, base: int, unit_index: int) -> None:
        """Record an outermost inlined call; nested ones lie inside it and are not listed."""
        parent = die.get_parent()
        while parent is not None and parent.tag not in (
                "DW_TAG_subprogram", "DW_TAG_inlined_subroutine"):
            parent = parent.get_parent()
        if parent is None or parent.tag != "DW_TAG_subprogram":
            return
        ranges = self.die_ranges(die, cu, base)
        if ranges:
            name, file = self.name_and_file(die)
            self.sink.inlines.append(
                RangeRecord(tuple(ranges), name, file, unit_index, parent.offset, die.offset))


def walk(di: DWARFInfo, sink: Collected, *, progress: Progress | None = None,
         cancel: threading.Event | None = None) -> None:
    """Fill `sink` with every unit, subprogram and outermost inline of `di`.

    Raises whatever pyelftools raises on broken input (the caller turns it into a
    warning) and `Cancelled` when `cancel` is set.
    """
    walker = _Walker(di, sink)
    total = di.debug_info_sec.size if di.debug_info_sec is not None else 0
    for cu in di.iter_CUs():
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        top = cu.get_top_DIE()
        attrs = top.attributes
        _table, _first, cu_name = walker.unit_files(cu)
        comp_dir = _text(attrs["DW_AT_comp_dir"].value) if "DW_AT_comp_dir" in attrs else None
        producer = _text(attrs["DW_AT_producer"].value) if "DW_AT_producer" in attrs else None
        sink.units.append(UnitRecord(cu_name, comp_dir, producer, cu["version"]))
        walker.walk_unit(cu, len(sink.units) - 1, cancel)
        if progress is not None:
            progress(min(total, cu.cu_offset + cu.size), total)
