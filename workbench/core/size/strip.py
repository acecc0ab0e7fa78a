"""Strip custom sections, and preview what stripping would save (raw and gzip -9).

Stripping copies the 8-byte header and every kept section's payload verbatim, so the
code, data and every other non-custom section of the output are byte-identical to the
input and no offset inside a payload moves (DWARF addresses are relative to the code
payload). Each section's size LEB is written minimally, as `wasm-strip` does, so the
"all custom sections" output is byte-identical to wasm-strip's, which the tests check,
also on modules whose toolchain pads section sizes to 5-byte LEBs (Go).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from workbench.core.errors import MalformedModule, UsageError
from workbench.core.size.gzip import EXACT_GZIP_LIMIT, gzip_estimate, gzip_size
from workbench.core.wasm.leb import encode_u
from workbench.core.wasm.model import Module

DEFAULT_KEEP = frozenset({"name", "producers"})


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
    """The module without the custom sections whose names are not in `keep`.

    Each kept section is its id byte, its payload size as a minimal LEB128 and its payload
    copied verbatim. Re-encoding the size is what `wasm-strip` does: toolchains such as
    Go's pad section sizes to 5-byte LEBs, and the output then matches wasm-strip's to the
    byte instead of being a few bytes larger."""
    kept = set(keep)
    data = memoryview(module.data)
    first = module.sections[0].offset if module.sections else len(data)
    parts: list[bytes | memoryview] = [data[:first]]
    for s in module.sections:
        if not s.is_custom or s.name in kept:
            parts.append(bytes((s.id,)) + encode_u(s.size))
            parts.append(data[s.start:s.end])
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
            original = validate(bytes(module.data))
            if original is not None:
                raise MalformedModule(
                    f"wasmtime rejects the input module itself: {original}", 0,
                    hint="nothing was written; fix or rebuild the module first")
            raise MalformedModule(f"wasmtime rejects the stripped module: {problem}", 0,
                                  hint="nothing was written; please report this with the "
                                  "input module")
    return out


def gzip_sizes(module: Module, keep: Iterable[str], *,
               exact_gzip: bool | None = None) -> tuple[int, int, bool]:
    """(gzip -9 of the module, of the module stripped to `keep`, exact?) with the rules of
    `strip_preview` (estimated above 4 MiB: whole estimate minus the removed bytes' cost)."""
    preview = strip_preview(module, exact_gzip=exact_gzip, _variants=(
        ("keep", "with --keep", set(keep)),))
    return preview.gzip_size, preview.options[0].gzip_size, preview.gzip_exact


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
    gzip_exact: bool = True  # False: the gzip figures are `inspect.gzip_estimate`'s

    def to_json(self) -> dict[str, Any]:
        return {"size": self.size, "gzip_size": self.gzip_size, "gzip_exact": self.gzip_exact,
                "options": [{**o.to_json(), "saved": self.size - o.size,
                             "saved_gzip": self.gzip_size - o.gzip_size} for o in self.options],
                "wasm_opt": None if self.wasm_opt is None else self.wasm_opt.to_json()}


def strip_preview(module: Module, *, original_gzip: int | None = None,
                  wasm_opt: bool = False, timeout: float = 60.0,
                  exact_gzip: bool | None = None,
                  _variants: tuple[tuple[str, str, set[str]], ...] | None = None
                  ) -> StripPreview:
    """Sizes with debug sections removed, all custom sections removed, only `name` kept.

    gzip -9 sizes are exact up to `inspect.EXACT_GZIP_LIMIT` (4 MiB) and estimated above
    it, like `workbench inspect` (`exact_gzip` forces either way; `gzip_exact` says which):
    the whole file's estimate minus the removed sections' bytes compressed on their own.
    The compressions run on threads: zlib releases the GIL, and exact level 9 on four
    copies of a 14 MB module is ~15 s of CPU."""
    exact = module.size <= EXACT_GZIP_LIMIT if exact_gzip is None else exact_gzip
    customs = {s.name for s in module.sections if s.is_custom}
    not_debug = {n for n in customs if not n.startswith(".debug_")}
    variants = _variants or (("debug", "without .debug_* sections", not_debug),
                             ("all", "without any custom section (as wasm-strip)", set()),
                             ("name", "keeping only the name section", {"name"}))
    n = len(variants)
    outs = [strip_bytes(module, keep) for _l, _d, keep in variants]
    removed = [tuple(s for s in module.sections if s.is_custom and s.name not in keep)
               for _l, _d, keep in variants]
    if exact:  # each variant compressed whole
        jobs: list[bytes | memoryview] = list(outs)
    else:  # sampling a variant would land on other bytes than the original's samples,
        # so "saved" could come out negative: subtract what the removed bytes cost
        data = memoryview(module.data)
        jobs = [b"".join(data[s.offset:s.end] for s in gone) for gone in removed]
    if original_gzip is None:
        jobs.append(module.data)
    measure = gzip_size if exact else _gzip_any
    with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
        sizes = list(pool.map(measure, jobs))
    whole_gz = sizes[n] if original_gzip is None else original_gzip
    if not exact:
        sizes = [whole_gz - min(max(gz - 18, 0), len(cut)) if cut else whole_gz
                 for gz, cut in zip(sizes[:n], jobs[:n], strict=False)]
    options = tuple(
        StripOption(label, description, tuple(s.name for s in gone), len(out), gz)
        for (label, description, _keep), gone, out, gz in zip(variants, removed, outs, sizes,
                                                               strict=False))
    estimate = (wasm_opt_estimate(outs[1], timeout=timeout) if wasm_opt else None)
    return StripPreview(module.size, whole_gz, options, estimate, exact)


def _gzip_any(data: bytes | memoryview) -> int:
    """gzip -9 size, exact up to 3 MiB and estimated above (`gzip_estimate`'s own rule)."""
    return gzip_estimate(data)


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
