"""Turn a wasm module's `.debug_*` custom sections into a pyelftools `DWARFInfo`.

pyelftools reads DWARF out of any container once each section is handed over as a
`DebugSectionDescriptor` (a stream plus its size). Wasm has no ELF around the DWARF, so
the custom sections' contents are wrapped here: wasm32 means 4-byte addresses and little
endian. Sections that are absent are passed as None, which pyelftools accepts.
"""

from __future__ import annotations

import io

from elftools.dwarf.dwarfinfo import DebugSectionDescriptor, DwarfConfig, DWARFInfo

from workbench.core.wasm.model import Module

# DWARFInfo keyword argument -> custom section name in a wasm module.
_SECTIONS = {
    "debug_info_sec": ".debug_info",
    "debug_aranges_sec": ".debug_aranges",
    "debug_abbrev_sec": ".debug_abbrev",
    "debug_str_sec": ".debug_str",
    "debug_loc_sec": ".debug_loc",
    "debug_ranges_sec": ".debug_ranges",
    "debug_line_sec": ".debug_line",
    "debug_pubtypes_sec": ".debug_pubtypes",
    "debug_pubnames_sec": ".debug_pubnames",
    "debug_addr_sec": ".debug_addr",
    "debug_str_offsets_sec": ".debug_str_offsets",
    "debug_line_str_sec": ".debug_line_str",
    "debug_loclists_sec": ".debug_loclists",
    "debug_rnglists_sec": ".debug_rnglists",
    "debug_types_sec": ".debug_types",
}
# Sections pyelftools knows but that never carry code attribution in wasm.
_ALWAYS_NONE = ("debug_frame_sec", "eh_frame_sec", "debug_sup_sec", "gnu_debugaltlink_sec")

WASM_DWARF_CONFIG = DwarfConfig(little_endian=True, machine_arch="wasm32",
                                default_address_size=4)


def debug_section_sizes(module: Module) -> dict[str, int]:
    """Payload size of every `.debug_*` custom section (name included, like objdump)."""
    return {s.name: s.size for s in module.sections
            if s.is_custom and s.name.startswith(".debug_")}


def dwarf_sections(module: Module) -> dict[str, bytes]:
    """Contents of every DWARF custom section the readers use, copied once."""
    out: dict[str, bytes] = {}
    for name in _SECTIONS.values():
        view = module.custom(name)
        if view is not None:
            out[name] = bytes(view)
    return out


def load_dwarf(module: Module, sections: dict[str, bytes] | None = None) -> DWARFInfo | None:
    """A DWARFInfo over the module's debug sections, or None without `.debug_info`.

    The contents are copied into BytesIO streams (pass `sections` from
    `dwarf_sections` to share one copy): pyelftools seeks and reads, and a memoryview
    over the whole file cannot be handed to it as a stream.
    """
    if sections is None:
        sections = dwarf_sections(module)
    if ".debug_info" not in sections:
        return None
    kwargs: dict[str, DebugSectionDescriptor | None] = {k: None for k in _ALWAYS_NONE}
    for arg, name in _SECTIONS.items():
        raw = sections.get(name)
        kwargs[arg] = None if raw is None else DebugSectionDescriptor(
            stream=io.BytesIO(raw), name=name, global_offset=None, size=len(raw), address=0)
    return DWARFInfo(config=WASM_DWARF_CONFIG, **kwargs)  # type: ignore[arg-type]


def broken_reason(exc: Exception) -> str:
    """pyelftools' exception in words: a bare KeyError(1234) says nothing to a user."""
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], int):
        code = exc.args[0]
        what = f"abbreviation code {code}" if code < 10**9 else "a garbage abbreviation code"
        return (f"a DIE uses {what}, which .debug_abbrev does not define: .debug_info or "
                ".debug_abbrev is corrupt")
    if type(exc).__name__ == "error" and "unpack" in str(exc):  # struct.error
        return "a DWARF section ends in the middle of a value (truncated)"
    if isinstance(exc, AssertionError) and not str(exc):
        return "the DWARF sections do not fit together (one is missing, cut short or corrupt)"
    if isinstance(exc, (OverflowError, IndexError, MemoryError)):
        return "a size or offset in the DWARF sections is out of range (corrupt data)"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."
