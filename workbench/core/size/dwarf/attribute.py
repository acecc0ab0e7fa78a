"""Attribute the code section's bytes to compile units, source files and functions (DWARF).

Convention (see docs/size.md): a wasm DWARF address is an offset into the code section
payload. clang/wasm-ld give a function's `DW_TAG_subprogram` the range of its body
*after* the body-size LEB (locals declaration included), so a subprogram's size equals
the function's `size` as wasm-objdump prints it. The payload's vector count LEB and the
body-size LEBs are never covered by DWARF; they land in the "unattributed" row together
with functions compiled without `-g`, so the rows always add up to the code payload.

Ranges are combined with interval arithmetic: when two subprograms claim the same bytes
(it happens with duplicated or folded code) the earlier-starting, longer one keeps them,
so no byte is counted twice. wasm-ld marks the ranges of discarded functions with
low_pc 0xffffffff (or 0xfffffffe in .debug_ranges / .debug_loc); those are skipped, as is
a range starting at 0 (older linkers' tombstone; no body can start at offset 0 because the
payload begins with the function count).

Broken DWARF never raises: the result has status "broken", a warning, and whatever was
read before the failure.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Literal

from workbench.core.size.dwarf.result import (
    FileRow,
    FunctionRow,
    InlinedRow,
    SourceAttribution,
    UnitRow,
    merge,
    subtract,
    total,
)
from workbench.core.size.dwarf.scan import scan
from workbench.core.size.dwarf.walk import Cancelled, Collected, Progress, RangeRecord, walk
from workbench.core.wasm.model import Module

__all__ = ["Cancelled", "SourceAttribution", "attribute", "FileRow", "FunctionRow",
           "InlinedRow", "UnitRow"]

DEAD_MIN = 0xFFFFFFFE
LEB_ROW = "(function count and body size LEBs)"


def _clean(ranges: tuple[tuple[int, int], ...], code_size: int) -> tuple[list[tuple[int, int]],
                                                                          int, int]:
    """Live ranges clipped to the payload, plus counts of dead and out-of-bounds ranges."""
    live: list[tuple[int, int]] = []
    dead = outside = 0
    for lo, hi in ranges:
        if lo >= DEAD_MIN or lo == 0:
            dead += 1
        elif hi <= lo:
            continue
        elif lo >= code_size:
            outside += 1
        else:
            live.append((lo, min(hi, code_size)))
    return live, dead, outside


def _claim(subs: list[RangeRecord], code_size: int) -> tuple[dict[int, int], list[tuple[int, int]],
                                                              int, int]:
    """Bytes each subprogram keeps (by record position), the covered union, dead/outside."""
    pieces: list[tuple[int, int, int]] = []
    dead_subs = outside = 0
    for pos, rec in enumerate(subs):
        live, dead, out = _clean(rec.ranges, code_size)
        outside += out
        if dead and not live:
            dead_subs += 1
        pieces.extend((lo, hi, pos) for lo, hi in live)
    pieces.sort(key=lambda p: (p[0], -p[1], p[2]))
    credit: dict[int, int] = defaultdict(int)
    union: list[tuple[int, int]] = []
    covered = 0
    for lo, hi, pos in pieces:
        start = max(lo, covered)
        if hi > start:
            credit[pos] += hi - start
            if union and union[-1][1] == start:
                union[-1] = (union[-1][0], hi)
            else:
                union.append((start, hi))
            covered = hi
    return credit, union, dead_subs, outside


def _inlined(inlines: list[RangeRecord], code_size: int) -> dict[int, tuple[InlinedRow, ...]]:
    """Outermost inlined calls grouped by enclosing subprogram, then by callee name."""
    grouped: dict[int, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for rec in inlines:
        live, _dead, _out = _clean(rec.ranges, code_size)
        if live and rec.inlined_into is not None:
            grouped[rec.inlined_into][rec.name].extend(live)
            counts[(rec.inlined_into, rec.name)] += 1
    out: dict[int, tuple[InlinedRow, ...]] = {}
    for parent, by_name in grouped.items():
        rows = [InlinedRow(name, total(merge(spans)), counts[(parent, name)])
                for name, spans in by_name.items()]
        rows.sort(key=lambda r: (-r.size, r.name))
        out[parent] = tuple(rows)
    return out


def _unattributed(module: Module, union: list[tuple[int, int]], code_size: int,
                  code_start: int) -> tuple[FunctionRow, ...]:
    """Split the uncovered bytes into the functions they belong to plus the LEB overhead."""
    gaps = subtract([(0, code_size)], union)
    rows: list[FunctionRow] = []
    in_bodies = 0
    bodies = sorted((f.start - code_start, f.start - code_start + f.size, f)
                    for f in module.functions)
    gi = 0
    for lo, hi, func in bodies:
        while gi < len(gaps) and gaps[gi][1] <= lo:
            gi += 1
        size = 0
        j = gi
        while j < len(gaps) and gaps[j][0] < hi:
            size += min(hi, gaps[j][1]) - max(lo, gaps[j][0])
            j += 1
        if size:
            rows.append(FunctionRow(func.name, size, func.index, None, ()))
            in_bodies += size
    rows.sort(key=lambda r: (-r.size, r.name))
    rest = total(gaps) - in_bodies
    if rest:
        rows.append(FunctionRow(LEB_ROW, rest, None, None, ()))
    return tuple(rows)


def _build(module: Module, found: Collected, status: Literal["ok", "absent", "broken"],
           warning: str | None) -> SourceAttribution:
    code = module.section("code")
    code_size = code.size if code is not None else 0
    code_start = code.start if code is not None else 0
    by_offset = {f.start - code_start: f for f in module.functions}
    credit, union, dead, outside = _claim(found.subprograms, code_size)
    inlined = _inlined(found.inlines, code_size)
    files: dict[str, list[FunctionRow]] = defaultdict(list)
    unit_size: dict[int, int] = defaultdict(int)
    unit_funcs: dict[int, int] = defaultdict(int)
    unmatched = 0
    for pos, size in credit.items():
        rec = found.subprograms[pos]
        live, _d, _o = _clean(rec.ranges, code_size)
        func = by_offset.get(min(live)[0]) if live else None
        name = func.name if func is not None else rec.name
        unmatched += func is None
        files[rec.file].append(FunctionRow(name, size, func.index if func else None,
                                           rec.name, inlined.get(rec.offset, ())))
        unit_size[rec.unit] += size
        unit_funcs[rec.unit] += 1
    file_rows = [FileRow(file, sum(f.size for f in rows),
                         tuple(sorted(rows, key=lambda r: (-r.size, r.name))))
                 for file, rows in files.items()]
    file_rows.sort(key=lambda r: (-r.size, r.file))
    units = tuple(UnitRow(u.name, u.comp_dir, u.producer, u.version, unit_size[i], unit_funcs[i])
                  for i, u in enumerate(found.units))
    notes = [warning] if warning else []
    if outside:
        notes.append(f"{outside} DWARF range(s) lie past the end of the code section and "
                     "were ignored")
    if not credit and found.units and code_size:
        notes.append(f"the DWARF has {len(found.units)} compile unit(s) but locates none of "
                     f"the code: each of its {len(found.subprograms)} functions has an empty "
                     "range, one starting at 0, or a removed-code tombstone (prebuilt "
                     "libraries can ship such debug info: Debian's wasi-libc does); compile "
                     "your own sources with -g to attribute them")
    if credit and unmatched * 2 > len(credit):
        notes.append(f"{unmatched} of {len(credit)} DWARF functions do not start at a "
                     "function body: the DWARF may be stale (module rewritten after linking, "
                     "e.g. by wasm-opt without -g)")
    warning = "; ".join(notes) if notes else None
    return SourceAttribution(
        status=status, warning=warning, code_size=code_size, units=units,
        files=tuple(file_rows), unattributed=code_size - total(union),
        unattributed_functions=_unattributed(module, union, code_size, code_start),
        dead_functions=dead)


def attribute(module: Module, *, progress: Progress | None = None,
              cancel: threading.Event | None = None) -> SourceAttribution:
    """Attribute every byte of the code section payload to a source file or "unattributed".

    The fast scanner (`dwarf_scan`) reads the DIEs; when it meets anything unusual the
    pyelftools walk (`dwarf_walk`) reads them again, and its failure means broken DWARF.

    `progress(done, total)` is called per compile unit with bytes of `.debug_info` read.
    Setting `cancel` raises `Cancelled` within a few thousand DIEs.
    """
    found = Collected()
    if module.custom(".debug_info") is None:  # common case: no pyelftools import at all
        return _build(module, found, "absent", None)
    from workbench.core.size.dwarf.load import broken_reason, dwarf_sections, load_dwarf

    try:
        sections = dwarf_sections(module)
        di = load_dwarf(module, sections)
        if di is None:
            return _build(module, found, "absent", None)
        try:
            scan(sections, di, found, progress=progress, cancel=cancel)
        except Cancelled:
            raise
        except Exception:  # unusual or broken DWARF: pyelftools decides (and words the error)
            found = Collected()
            walk(di, found, progress=progress, cancel=cancel)
    except Cancelled:
        raise
    except Exception as exc:  # pyelftools raises many kinds on malformed input
        read = len(found.units)
        return _build(module, found, "broken",
                      f"DWARF is broken ({broken_reason(exc)}); attribution stops after {read} "
                      "compile unit(s) and the rest of the code is unattributed (rebuild "
                      "the module, or strip its .debug_* sections)")
    return _build(module, found, "ok", None)
