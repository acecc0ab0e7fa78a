"""Build-to-build size diffs: per section, per function and per source file.

Functions are matched by name, not index: indices shift whenever anything is added.
Rust legacy mangling appends a hash (`::h0123456789abcdef`) that changes with unrelated
edits, so it is ignored when matching. Several functions can share a name (generic
instantiations, static functions in different files); the n-th one of a name in the old
build is matched with the n-th one in the new build, and shown as "name #n". Functions
with no name at all (no name section entry, not exported: shown as `func[N]`) cannot be
matched by name; they are summed into one row and `functions_note` says so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from workbench.core.size.dwarf.result import SourceAttribution
from workbench.core.wasm.model import Function, Module

Status = Literal["added", "removed", "changed", "same"]
_RUST_HASH = re.compile(r"(::h[0-9a-f]{16}|17h[0-9a-f]{16}E)$")


def match_key(name: str) -> str:
    """Function name with a Rust hash suffix removed (demangled or mangled form)."""
    return _RUST_HASH.sub("", name)


@dataclass(frozen=True, slots=True)
class DiffRow:
    name: str
    old: int  # 0 when added
    new: int  # 0 when removed
    status: Status

    @property
    def delta(self) -> int:
        return self.new - self.old

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "old": self.old, "new": self.new, "delta": self.delta,
                "status": self.status}


@dataclass(frozen=True)
class ModuleDiff:
    old_size: int
    new_size: int
    sections: tuple[DiffRow, ...]
    functions: tuple[DiffRow, ...]
    sources: tuple[DiffRow, ...] | None  # None unless both builds have DWARF
    note: str | None = None
    # bytes outside section payloads (8-byte header, id bytes, size LEBs), old and new:
    # sum(section deltas) + header_delta == delta
    old_overhead: int = 0
    new_overhead: int = 0
    functions_note: str | None = None  # set when unnamed functions were grouped

    @property
    def delta(self) -> int:
        return self.new_size - self.old_size

    @property
    def header_delta(self) -> int:
        return self.new_overhead - self.old_overhead

    def to_json(self) -> dict[str, Any]:
        return {"total": {"old": self.old_size, "new": self.new_size, "delta": self.delta},
                "section_headers": {"old": self.old_overhead, "new": self.new_overhead,
                                    "delta": self.header_delta},
                "sections": [r.to_json() for r in self.sections],
                "functions": [r.to_json() for r in self.functions],
                "sources": None if self.sources is None else [r.to_json() for r in self.sources],
                "note": self.note, "functions_note": self.functions_note}


def _keyed(items: Iterable[tuple[str, int]]) -> dict[str, int]:
    """name -> size, with repeated names numbered "name #2", "name #3" in order."""
    seen: Counter[str] = Counter()
    out: dict[str, int] = {}
    for name, size in items:
        seen[name] += 1
        out[name if seen[name] == 1 else f"{name} #{seen[name]}"] = size
    return out


def diff_sizes(old: dict[str, int], new: dict[str, int]) -> tuple[DiffRow, ...]:
    """Rows for the union of names, sorted by |delta| (largest first), then name."""
    rows = []
    for name in old.keys() | new.keys():
        if name not in new:
            rows.append(DiffRow(name, old[name], 0, "removed"))
        elif name not in old:
            rows.append(DiffRow(name, 0, new[name], "added"))
        else:
            status: Status = "same" if old[name] == new[name] else "changed"
            rows.append(DiffRow(name, old[name], new[name], status))
    rows.sort(key=lambda r: (-abs(r.delta), r.name))
    return tuple(rows)


UNNAMED = "(functions without a name)"


def _unnamed(f: Function) -> bool:
    """No name-section name and no export name: only a `func[N]` placeholder, which
    would match by index (exactly what name matching must not do)."""
    return f.raw_name is None and f.name == f"func[{f.index}]"


def _functions(module: Module) -> tuple[dict[str, int], int]:
    """name -> size, with every unnamed function summed into one UNNAMED row."""
    named = [(match_key(f.name), f.size) for f in module.functions if not _unnamed(f)]
    unnamed = [f.size for f in module.functions if _unnamed(f)]
    out = _keyed(named)
    if unnamed:
        out[UNNAMED] = sum(unnamed)
    return out, len(unnamed)


def _overhead(module: Module) -> int:
    return module.size - sum(s.size for s in module.sections)


def _sources(attr: SourceAttribution) -> dict[str, int]:
    return {row.file: row.size for row in attr.rows()}


def diff_modules(old: Module, new: Module, old_sources: SourceAttribution | None = None,
                 new_sources: SourceAttribution | None = None) -> ModuleDiff:
    """Compare two builds. Pass both attributions to get the per-source-file diff."""
    sections = diff_sizes(_keyed((s.name, s.size) for s in old.sections),
                          _keyed((s.name, s.size) for s in new.sections))
    (old_f, old_unnamed), (new_f, new_unnamed) = _functions(old), _functions(new)
    functions = diff_sizes(old_f, new_f)
    functions_note = None
    if old_unnamed or new_unnamed:
        functions_note = (
            f"{old_unnamed:,d} old and {new_unnamed:,d} new functions have no name (no name "
            f"section entry, not exported): they are compared as one row, "
            f"{UNNAMED!r}; keep the name section (a -g build, or `workbench strip --keep "
            "name`) to compare them one by one")
    sources = None
    note = None
    if old_sources is not None and new_sources is not None:
        if old_sources.status == "absent" or new_sources.status == "absent":
            gone = [n for n, a in (("old", old_sources), ("new", new_sources))
                    if a.status == "absent"]
            which = "neither build has" if len(gone) == 2 else f"the {gone[0]} build has no"
            note = f"no per-file diff: {which} DWARF"
        else:
            sources = diff_sizes(_sources(old_sources), _sources(new_sources))
    return ModuleDiff(old.size, new.size, sections, functions, sources, note,
                      _overhead(old), _overhead(new), functions_note)
