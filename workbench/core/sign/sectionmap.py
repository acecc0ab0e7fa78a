"""A signed list of section digests, so a failed verification can say *which* section.

The tool-conventions hashes only say "the content differs". Embedded signatures made by
workbench therefore carry one extra custom section, `workbench.section_hashes`, signed
with the rest: per section its id, its custom name and the first 8 bytes of the SHA-256
of its serialized bytes (about 10 bytes a section). At verification the current sections
are compared to it: changed, removed, added or reordered sections are named. Other tools
ignore it (a custom section has no semantics); wasmsign2 verifies such a module as usual.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from workbench.core.sign.format import DELIMITER, SIGNATURE, RawSection, custom, is_named
from workbench.core.wasm.leb import encode_u, u32
from workbench.core.wasm.model import SECTION_NAMES

MAP_SECTION = "workbench.section_hashes"
_VERSION = 1


@dataclass(frozen=True)
class Entry:
    id: int
    name: str
    digest: bytes  # 8 bytes

    @property
    def label(self) -> str:
        if self.id == 0:
            return f"custom section {self.name!r}"
        return f"{SECTION_NAMES.get(self.id, f'unknown {self.id}')} section"


def _entry(s: RawSection) -> Entry:
    return Entry(s.id, s.name if s.id == 0 else "",
                 hashlib.sha256(s.serialize()).digest()[:8])


def mapped(sections: list[RawSection]) -> list[RawSection]:
    """The sections a map describes: all but the signature and the map itself."""
    return [s for s in sections if not (is_named(s, SIGNATURE) or is_named(s, MAP_SECTION))]


def build(sections: list[RawSection]) -> RawSection:
    entries = [_entry(s) for s in mapped(sections)]
    body = bytearray([_VERSION]) + encode_u(len(entries))
    for e in entries:
        raw = e.name.encode()
        body += bytes([e.id]) + encode_u(len(raw)) + raw + e.digest
    body += hashlib.sha256(body).digest()[:8]  # a damaged map is told from a changed section
    return custom(MAP_SECTION, bytes(body))


class DamagedMap(Exception):
    """The map's own checksum fails: the map section itself was altered."""


def read(sections: list[RawSection]) -> list[Entry] | None:
    found = next((s for s in sections if is_named(s, MAP_SECTION)), None)
    if found is None:
        return None
    b = found.body
    if len(b) < 9 or hashlib.sha256(b[:-8]).digest()[:8] != b[-8:]:
        raise DamagedMap(MAP_SECTION)
    try:
        if b[0] != _VERSION:
            return None
        n, p = u32(b, 1)
        out = []
        for _ in range(n):
            sid = b[p]
            ln, p = u32(b, p + 1)
            name = bytes(b[p:p + ln]).decode("utf-8", "replace")
            p += ln
            out.append(Entry(sid, name, bytes(b[p:p + 8])))
            p += 8
        return out
    except (IndexError, ValueError):
        return None


@dataclass(frozen=True)
class SectionChange:
    what: str  # "changed" | "removed" | "added" | "reordered"
    section: str  # label, e.g. "code section" or "custom section 'name'"
    index: int | None = None  # position among the mapped sections (signed order)

    def __str__(self) -> str:
        return f"{self.section} {self.what}"

    def to_json(self) -> dict[str, object]:
        return {"what": self.what, "section": self.section, "index": self.index}


def diff(signed: list[Entry], sections: list[RawSection]) -> list[SectionChange]:
    """What differs between the signed map and the current sections."""
    now = [_entry(s) for s in mapped(sections)]
    keys_signed = [(e.id, e.name) for e in signed]
    keys_now = [(e.id, e.name) for e in now]
    if keys_signed == keys_now:
        return [SectionChange("changed", a.label, i)
                for i, (a, b) in enumerate(zip(signed, now, strict=True)) if a.digest != b.digest]
    out: list[SectionChange] = []
    rest = list(now)
    for i, e in enumerate(signed):
        match = next((x for x in rest if (x.id, x.name) == (e.id, e.name)), None)
        if match is None:
            out.append(SectionChange("removed", e.label, i))
            continue
        rest.remove(match)
        if match.digest != e.digest:
            out.append(SectionChange("changed", e.label, i))
    out.extend(SectionChange("added", e.label, None) for e in rest
               if not (e.id == 0 and e.name == DELIMITER))
    if not out and sorted(keys_signed) == sorted(keys_now):
        moved = [signed[i].label for i, (a, b) in enumerate(zip(keys_signed, keys_now,
                                                                strict=True)) if a != b]
        out = [SectionChange("reordered", m) for m in dict.fromkeys(moved)]
    elif sorted(keys_signed) == sorted(keys_now) and not any(c.what != "changed" for c in out):
        out.append(SectionChange("reordered", "sections"))
    return out


__all__ = ["MAP_SECTION", "DamagedMap", "Entry", "SectionChange", "build", "read", "diff",
           "mapped"]
