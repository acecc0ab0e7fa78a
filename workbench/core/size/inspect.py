"""`InspectReport`: everything `workbench inspect` shows about one file, as one value.

The CLI (rich or JSON) and the TUI size view render this same record, so a figure can
only be computed here. The gzip -9 size is computed on a second thread while the module
is parsed: zlib releases the GIL, and on a 14 MB module it costs as much as the parse.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from workbench.core.errors import MalformedModule
from workbench.core.files import FileRefused, read_wasm
from workbench.core.size.component import CoreModuleSummary, summarize_all
from workbench.core.size.gzip import EXACT_GZIP_LIMIT, GzipJob, gzip_estimate, gzip_size
from workbench.core.wasm import Module, parse_module
from workbench.core.wasm.component_world import World, decode_world
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
    core_modules: tuple[CoreModuleSummary, ...] = ()  # components: each core module parsed
    gzip_size: int | None = None
    gzip_exact: bool = True  # False: gzip_size is `gzip_estimate`'s figure
    abi: dict[str, Any] | None = None
    world: World | None = None  # components: imported/exported interfaces
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
        doc = self._head_json()
        # inline dicts, not to_json() calls: 100k+ rows on large modules
        doc["functions"] = [{"index": f[0], "name": f[1], "start": f[2], "size": f[3]}
                            for f in self.functions]
        doc["data_segments"] = [{"index": d[0], "start": d[1], "size": d[2]}
                                for d in self.data_segments]
        return doc

    def rows_text(self) -> str:
        """`"functions":[...],"data_segments":[...]` as compact JSON, built by hand: the
        generic encoder is the slowest step of `inspect --json` on a 100k-segment module."""
        funcs = ",".join([
            f'{{"index":{f[0]},"name":{_jstr(f[1])},"start":{f[2]},"size":{f[3]}}}'
            for f in self.functions])
        segs = ",".join([f'{{"index":{d[0]},"start":{d[1]},"size":{d[2]}}}'
                         for d in self.data_segments])
        return f'"functions":[{funcs}],"data_segments":[{segs}]'

    def dumps(self, rows_text: str | None = None,
              extra: dict[str, Any] | None = None) -> str:
        """Compact JSON of `to_json()` (one line). `rows_text` may be precomputed; `extra`
        keys (e.g. `sources`, `diff` from the size layer) are added to the document."""
        doc = self._head_json()
        if extra:
            doc.update(extra)
        head = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
        return head[:-1] + "," + (rows_text or self.rows_text()) + "}"

    def _head_json(self) -> dict[str, Any]:
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
            "imports": [i.to_json() for i in self.imports],
            "exports": [e.to_json() for e in self.exports],
            "components": ([c.to_json() for c in self.core_modules] if self.core_modules
                           else [{"index": c.index, "start": c.start, "size": c.size,
                                  "depth": c.depth} for c in self.components]),
            "gzip_size": self.gzip_size,
            "gzip_exact": self.gzip_exact,
            "abi": self.abi,
            "platform": (self.abi or {}).get("platform"),
            "world": self.world.to_json() if self.world is not None else None,
            "module_name": self.module_name,
            "producers": {k: [list(v) for v in vals] for k, vals in self.producers.items()},
            "target_features": list(self.target_features),
            "warnings": list(self.warnings),
            "error": self.error,
        }


def _jstr(text: str) -> str:
    """JSON string literal; the common plain-ASCII name skips the encoder."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return '"' + text + '"'
    return json.dumps(text, ensure_ascii=False)


def detect_abi_json(module: Module) -> dict[str, Any]:
    """The runtime layer's ABI verdict, or "unknown" when it cannot tell."""
    from workbench.core.abi.detect import detect_abi

    return detect_abi(module).to_json()


def report_from_module(file: str, module: Module, *, gz: int | None = None,
                       gz_exact: bool = True,
                       abi: dict[str, Any] | None = None) -> InspectReport:
    if gz is None:
        gz_exact = module.size <= EXACT_GZIP_LIMIT
        gz = gzip_size(module.data) if gz_exact else gzip_estimate(module.data)
    cores = summarize_all(module) if module.kind == "component" else ()
    warnings = module.warnings + tuple(
        f"{c.error['message']} (@ 0x{c.error['offset']:x})" for c in cores if c.error)
    return InspectReport(
        file=file, size=module.size, kind=module.kind, version=module.version,
        sections=module.sections, functions=module.functions,
        data_segments=module.data_segments, imports=module.imports,
        exports=module.exports, components=module.components, core_modules=cores,
        gzip_size=gz, gzip_exact=gz_exact,
        abi=abi if abi is not None else detect_abi_json(module),
        world=decode_world(module.data) if module.kind == "component" else None,
        module_name=module.module_name, producers=module.producers,
        target_features=module.target_features, warnings=warnings, module=module,
    )


def inspect_module(module: Module, *, file: str | None = None) -> InspectReport:
    """Report on an already parsed module (the TUI parses once and reuses the Module)."""
    return report_from_module(file or "<module>", module)


def inspect_json(path: str | Path, *, exact_gzip: bool | None = None,
                 extra: Callable[[Module], dict[str, Any]] | None = None,
                 failed_extra: dict[str, Any] | None = None,
                 started: tuple[bytes, GzipJob] | None = None) -> tuple[str, bool]:
    """One file's `--json` line and whether it succeeded: `inspect_file(...).dumps()`,
    but the JSON rows are encoded while the gzip size is still being computed.
    `extra(module)` adds keys computed by other layers (DWARF `sources`, `diff`);
    `failed_extra` are the same keys' values for a file that could not be read.
    `started` is `(data, job)` from `gzip_size.start(path)`, when the caller read the file
    and started its gzip job early (the CLI does, before importing this module)."""
    if started is not None:
        data, gz = started
    else:
        data, report = _read(path)
        if report is not None:
            return report.dumps(extra=failed_extra), False
        exact = len(data) <= EXACT_GZIP_LIMIT if exact_gzip is None else exact_gzip
        gz = GzipJob(data, exact)
    exact = gz.exact
    try:
        module = parse_module(data, file=str(path))
    except MalformedModule as err:
        return _failed(str(path), data, gz, err).dumps(extra=failed_extra), False
    report = report_from_module(str(path), module, gz=0, gz_exact=exact)
    rows = report.rows_text()
    more = extra(module) if extra is not None else None
    return replace(report, gzip_size=gz.result()).dumps(rows, more), True


def _failed(file: str, data: bytes, gz: GzipJob, err: MalformedModule) -> InspectReport:
    return InspectReport(file=file, size=len(data), gzip_size=gz.result(),
                         gzip_exact=gz.exact,
                         error={"kind": err.kind, "offset": err.offset,
                                "message": err.message, "hint": err.hint})


def _read(path: str | Path) -> tuple[bytes, InspectReport | None]:
    """The file's bytes, or an error report of kind "io"."""
    name = str(path)
    if Path(path).is_dir():
        return b"", InspectReport(file=name, size=0, error={
            "kind": "io", "offset": None, "message": f"{name} is a folder, not a .wasm file",
            "hint": "pass the built module, e.g. FOLDER/build/NAME.wasm (`workbench build "
                    "FOLDER` prints where it writes it)"})
    try:
        return read_wasm(path), None
    except FileRefused as err:  # missing, unreadable, a FIFO or device, over the limit
        what = err.message.removeprefix("cannot read: ")
        return b"", InspectReport(file=name, size=0, error={
            "kind": "io", "offset": None, "message": f"cannot read {name}: {what}",
            "hint": err.hint or ("check the file's permissions" if "ermission" in what
                                 else "check the path and that the module has been built")})


def inspect_bytes(data: bytes, file: str = "<bytes>", *, exact_gzip: bool | None = None,
                  cancel: threading.Event | None = None) -> InspectReport:
    """Parse and report; a malformed module yields a report with `error` set.

    `exact_gzip=None` computes gzip -9 exactly up to EXACT_GZIP_LIMIT bytes and estimates
    above it; True/False force either."""
    exact = len(data) <= EXACT_GZIP_LIMIT if exact_gzip is None else exact_gzip
    gz = GzipJob(data, exact)
    try:
        module = parse_module(data, file=file, cancel=cancel)
    except MalformedModule as err:
        return _failed(file, data, gz, err)
    return report_from_module(file, module, gz=gz.result(), gz_exact=exact)


def inspect_file(path: str | Path, *, exact_gzip: bool | None = None,
                 cancel: threading.Event | None = None) -> InspectReport:
    """`inspect_bytes` on a file; an unreadable file gives an error of kind "io"."""
    data, failed = _read(path)
    if failed is not None:
        return failed
    return inspect_bytes(data, str(path), exact_gzip=exact_gzip, cancel=cancel)


def inspect_core(path: str | Path, index: int, *, exact_gzip: bool | None = None
                 ) -> InspectReport:
    """The `index`th core module embedded in the component at `path`, inspected like a
    file of its own (`FILE#coreN`): its sections, functions, data and names add up to the
    embedded module's size. A core module or a missing index gives an error report."""
    data, failed = _read(path)
    if failed is not None:
        return failed
    file = f"{path}#core{index}"
    try:
        outer = parse_module(data, file=str(path))
    except MalformedModule as err:
        return _failed(str(path), data, GzipJob(data, False), err)
    refs = outer.components
    if outer.kind != "component" or index >= len(refs):
        what = ("is a core module, not a component" if outer.kind != "component"
                else f"embeds {len(refs)} core modules (0..{len(refs) - 1})")
        return InspectReport(file=file, size=0, error={
            "kind": "usage", "offset": None, "message": f"{path} {what}",
            "hint": "`workbench inspect FILE` lists a component's embedded core modules"})
    ref = refs[index]
    return inspect_bytes(bytes(data[ref.start:ref.start + ref.size]), file,
                         exact_gzip=exact_gzip)
