"""`InspectReport`: everything `workbench inspect` shows about one file, as one value.

The CLI (rich or JSON) and the TUI size view render this same record, so a figure can
only be computed here. The gzip -9 size is computed on a second thread while the module
is parsed: zlib releases the GIL, and on a 14 MB module it costs as much as the parse.
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.errors import MalformedModule
from workbench.core.wasm import Module, parse_module
from workbench.core.wasm.model import (
    CoreModuleRef,
    DataSegment,
    Export,
    Function,
    Import,
    Section,
)

HEADER_BYTES = 8


@dataclass(frozen=True)
class InspectReport:
    """One file's inspection. `error` is set (and most fields empty) when it failed."""

    file: str
    size: int
    kind: str | None = None  # "module" | "component"; None when unreadable
    version: int | None = None
    sections: tuple[Section, ...] = ()
    functions: tuple[Function, ...] = ()  # in index order
    data_segments: tuple[DataSegment, ...] = ()
    imports: tuple[Import, ...] = ()
    exports: tuple[Export, ...] = ()
    components: tuple[CoreModuleRef, ...] = ()
    gzip_size: int | None = None
    abi: dict[str, Any] | None = None
    module_name: str | None = None
    producers: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    target_features: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    error: dict[str, Any] | None = None  # {kind, offset, message, hint}
    module: Module | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.error is None

    def percent(self, nbytes: int) -> float:
        """Share of the whole file, in percent (0 for an empty file)."""
        return 100.0 * nbytes / self.size if self.size else 0.0

    def top_functions(self, n: int | None = None) -> list[Function]:
        """Largest bodies first; ties by index so the order is stable."""
        ranked = sorted(self.functions, key=lambda f: (-f.size, f.index))
        return ranked if n is None else ranked[:n]

    def data_total(self) -> int:
        return sum(s.size for s in self.data_segments)

    def to_json(self) -> dict[str, Any]:
        """The documented schema (docs/inspect-json.md)."""
        size = self.size
        return {
            "file": self.file,
            "size": size,
            "kind": self.kind,
            "version": self.version,
            "sections": [
                {**s.to_json(), "offset": s.offset, "disk_size": s.disk_size,
                 "percent": round(100.0 * s.disk_size / size, 3) if size else 0.0}
                for s in self.sections
            ],
            "functions": [f.to_json() for f in self.functions],
            "data_segments": [d.to_json() for d in self.data_segments],
            "imports": [i.to_json() for i in self.imports],
            "exports": [e.to_json() for e in self.exports],
            "components": [{"index": c.index, "start": c.start, "size": c.size}
                           for c in self.components],
            "gzip_size": self.gzip_size,
            "abi": self.abi,
            "module_name": self.module_name,
            "producers": {k: [list(v) for v in vals] for k, vals in self.producers.items()},
            "target_features": list(self.target_features),
            "warnings": list(self.warnings),
            "error": self.error,
        }


def gzip_size(data: bytes | memoryview) -> int:
    """Bytes of `gzip -9 -n` output (10-byte header, deflate, 8-byte trailer, no name)."""
    return len(zlib.compress(data, 9, wbits=31))


def detect_abi_json(module: Module) -> dict[str, Any]:
    """The runtime layer's ABI verdict, or "unknown" when it cannot tell."""
    if module.kind != "module":
        return {"name": "unknown", "problems": ["components are not run as edge handlers"]}
    try:
        from workbench.core.runtime.abi import detect_abi
    except ImportError:
        return {"name": "unknown", "problems": ["ABI detection is not available"]}
    return detect_abi(module).to_json()


def report_from_module(file: str, module: Module, *, gz: int | None = None,
                       abi: dict[str, Any] | None = None) -> InspectReport:
    return InspectReport(
        file=file, size=module.size, kind=module.kind, version=module.version,
        sections=module.sections, functions=module.functions,
        data_segments=module.data_segments, imports=module.imports,
        exports=module.exports, components=module.components,
        gzip_size=gz if gz is not None else gzip_size(module.data),
        abi=abi if abi is not None else detect_abi_json(module),
        module_name=module.module_name, producers=module.producers,
        target_features=module.target_features, warnings=module.warnings, module=module,
    )


def inspect_bytes(data: bytes, file: str = "<bytes>", *,
                  cancel: threading.Event | None = None) -> InspectReport:
    """Parse and report; a malformed module yields a report with `error` set."""
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(gzip_size(data)), daemon=True)
    worker.start()
    try:
        module = parse_module(data, file=file, cancel=cancel)
    except MalformedModule as err:
        worker.join()
        return InspectReport(file=file, size=len(data), gzip_size=result[0],
                             error={"kind": err.kind, "offset": err.offset,
                                    "message": err.message, "hint": err.hint})
    worker.join()
    return report_from_module(file, module, gz=result[0])


def inspect_file(path: str | Path, *,
                 cancel: threading.Event | None = None) -> InspectReport:
    """`inspect_bytes` on a file; an unreadable file gives an error of kind "io"."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        what = err.strerror or str(err)
        return InspectReport(file=name, size=0, error={
            "kind": "io", "offset": None, "message": f"cannot read {name}: {what}",
            "hint": "check the path and that the module has been built"})
    return inspect_bytes(data, name, cancel=cancel)
