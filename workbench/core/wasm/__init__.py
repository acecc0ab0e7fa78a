"""WebAssembly binary reader (written here; no third-party parser)."""

from workbench.core.wasm.model import (
    SECTION_NAMES,
    CoreModuleRef,
    DataSegment,
    Export,
    Function,
    FuncType,
    Import,
    Module,
    Section,
)
from workbench.core.wasm.reader import parse_module

__all__ = [
    "SECTION_NAMES", "CoreModuleRef", "DataSegment", "Export", "Function", "FuncType",
    "Import", "Module", "Section", "parse_module",
]
