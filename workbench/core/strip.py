"""Strip custom sections, and preview what stripping would save (raw and gzip -9).

Stripping copies the 8-byte header and every kept section's bytes verbatim (id, size
LEB and payload as they are on disk), so the code, data and every other non-custom
section of the output are byte-identical to the input and no offset inside them moves.
That is also what `wasm-strip` does for "all custom sections", which the tests check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from workbench.core.errors import MalformedModule, UsageError
from workbench.core.wasm.model import Module

DEFAULT_KEEP = frozenset({"name", "producers"})


def gzip_size(data: bytes | memoryview) -> int:
    """Bytes of `gzip -9 -n` output, the same figure `workbench inspect` reports."""
    return len(zlib.compress(data, 9, wbits=31))


def _module(source: bytes | memoryview | Module) -> Module:
    if isinstance(source, Module):
        module = source
    else:
        from workbench.core.wasm import parse_module

        module = parse_module(source)
    if module.kind != "module":
        raise UsageError("only core modules can be stripped, this is a component",
                         hint="strip the core modules before composing the component")
    return module


def strip_bytes(module: Module, keep: Iterable[str] = DEFAULT_KEEP) -> bytes:
    """The module without the custom sections whose names are not in `keep`."""
    kept = set(keep)
    data = memoryview(module.data)
    first = module.sections[0].offset if module.sections else len(data)
    parts = [data[:first]]
    parts.extend(data[s.offset:s.end] for s in module.sections
                 if not s.is_custom or s.name in kept)
    return b"".join(parts)


def validate(data: bytes) -> str | None:
    """None when wasmtime accepts the module, else wasmtime's message."""
    import wasmtime

    try:
        wasmtime.Module.validate(wasmtime.Engine(), data)
    except Exception as exc:  # wasmtime raises WasmtimeError; keep any message
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def strip(source: bytes | memoryview | Module, keep: Iterable[str] = DEFAULT_KEEP, *,
          check: bool = True) -> bytes:
    """Stripped module bytes; with `check`, wasmtime must validate the output.

    Raises MalformedModule when the input cannot be parsed, or when wasmtime rejects the
    result (which only happens when it rejects the input too).
    """
    module = _module(source)
    out = strip_bytes(module, keep)
    if check:
        problem = validate(out)
        if problem is not None:
            raise MalformedModule(f"wasmtime rejects the module: {problem}", 0,
                                  hint="check the input with `workbench inspect`; stripping "
                                  "only removes custom sections")
    return out


@dataclass(frozen=True, slots=True)
class StripOption:
    label: str  # "debug" | "all" | "name"
    description: str
    removed: tuple[str, ...]  # names of the custom sections this option removes
    size: int
    gzip_size: int

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "description": self.description,
                "removed": list(self.removed), "size": self.size, "gzip_size": self.gzip_size}


@dataclass(frozen=True, slots=True)
class WasmOptEstimate:
    size: int | None
    gzip_size: int | None
    error: str | None

    def to_json(self) -> dict[str, Any]:
        return {"size": self.size, "gzip_size": self.gzip_size, "error": self.error}


@dataclass(frozen=True)
class StripPreview:
    size: int
    gzip_size: int
    options: tuple[StripOption, ...]
    wasm_opt: WasmOptEstimate | None = None  # None: not asked for or wasm-opt absent

    def to_json(self) -> dict[str, Any]:
        return {"size": self.size, "gzip_size": self.gzip_size,
                "options": [{**o.to_json(), "saved": self.size - o.size,
                             "saved_gzip": self.gzip_size - o.gzip_size} for o in self.options],
                "wasm_opt": None if self.wasm_opt is None else self.wasm_opt.to_json()}


def _option(module: Module, label: str, description: str, keep: set[str]) -> StripOption:
    out = strip_bytes(module, keep)
    removed = tuple(s.name for s in module.sections if s.is_custom and s.name not in keep)
    return StripOption(label, description, removed, len(out), gzip_size(out))


def strip_preview(module: Module, *, original_gzip: int | None = None,
                  wasm_opt: bool = False, timeout: float = 60.0) -> StripPreview:
    """Sizes with debug sections removed, all custom sections removed, only `name` kept."""
    customs = {s.name for s in module.sections if s.is_custom}
    not_debug = {n for n in customs if not n.startswith(".debug_")}
    options = (
        _option(module, "debug", "without .debug_* sections", not_debug),
        _option(module, "all", "without any custom section (as wasm-strip)", set()),
        _option(module, "name", "keeping only the name section", {"name"}),
    )
    whole = bytes(module.data)
    estimate = (wasm_opt_estimate(strip_bytes(module, ()), timeout=timeout)
                if wasm_opt else None)
    return StripPreview(len(whole), gzip_size(whole) if original_gzip is None else original_gzip,
                        options, estimate)


def wasm_opt_estimate(data: bytes, *, timeout: float = 60.0) -> WasmOptEstimate | None:
    """Size after `wasm-opt -Oz --all-features`, or None when wasm-opt is absent.

    Pass a module without custom sections: older binaryen releases abort on DWARF 5 and
    on feature names they do not know in `target_features`, so the estimate is taken on
    the stripped module with every feature allowed (an estimate, not a build step).
    """
    exe = shutil.which("wasm-opt")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="workbench-opt-") as tmp:
        src, dst = os.path.join(tmp, "in.wasm"), os.path.join(tmp, "out.wasm")
        with open(src, "wb") as fh:
            fh.write(data)
        try:
            proc = subprocess.run([exe, "-Oz", "--all-features", src, "-o", dst],
                                  capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return WasmOptEstimate(None, None, f"wasm-opt took longer than {timeout:g} s")
        if proc.returncode != 0 or not os.path.exists(dst):
            lines = (proc.stderr or proc.stdout or "").strip().splitlines()
            why = lines[-1] if lines else f"exit status {proc.returncode}"
            return WasmOptEstimate(None, None, f"wasm-opt failed: {why}"[:300])
        with open(dst, "rb") as fh:
            out = fh.read()
    return WasmOptEstimate(len(out), gzip_size(out), None)


preview = strip_preview  # short name used by the TUI's job table
