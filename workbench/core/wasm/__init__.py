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

__all__ = [
    "SECTION_NAMES", "CoreModuleRef", "DataSegment", "Export", "Function", "FuncType",
    "Import", "Module", "Section",
]
