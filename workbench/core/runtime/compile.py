"""Compiling a module for the harness: wasm or WAT bytes -> wasmtime.Module, via the cache.

Also the ABI as wasmtime sees the compiled module (the same detector `inspect` uses).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import wasmtime

from workbench.core.abi.detect import AbiReport, ExportInfo, ImportInfo, detect_from
from workbench.core.errors import MalformedModule
from workbench.core.runtime import engine as E  # noqa: N812
from workbench.core.wasm.model import FuncType


def compile_module(engine: wasmtime.Engine, wasm: bytes, *, cache_dir: Path, key: str,
                   use_cache: bool, where: str) -> tuple[wasmtime.Module, str, str, float]:
    """(module, phase name, cache outcome, microseconds)."""
    t0 = time.perf_counter_ns()
    if use_cache:
        mod = E.load_cached(cache_dir, key)
        if mod is not None:
            return mod, "cache_load", "hit", (time.perf_counter_ns() - t0) / 1000
    not_wasm = _not_wasm(wasm)
    if not_wasm:
        raise MalformedModule(not_wasm, 0, file=where,
                              hint="pass the built .wasm file (or a .wat text module)")
    try:
        mod = wasmtime.Module(engine, wasm)
    except wasmtime.WasmtimeError as e:
        text = str(e)
        m = re.search(r"offset 0x([0-9a-f]+)", text)
        lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
        msg = re.sub(r"\s+", " ", ": ".join(ln for ln in lines if ln != "Caused by:"))
        raise MalformedModule(msg, int(m.group(1), 16) if m else 0, file=where,
                              hint="rebuild the module; is it a wasm32 core module?"
                              ) from None
    us = (time.perf_counter_ns() - t0) / 1000
    if use_cache:
        E.store_cached(cache_dir, key, mod)
    return mod, "compile", ("miss" if use_cache else "bypass"), us


def _not_wasm(data: bytes) -> str | None:
    """Why `data` is neither a wasm binary nor WAT text, or None (wasmtime takes both)."""
    if not data:
        return "the file is empty (0 bytes): expected a WebAssembly module"
    if data[:4] == b"\0asm":
        return None
    text = data[:256].lstrip()
    if text.startswith((b"(", b";;")):
        return None  # WAT text: wasmtime compiles it and names the line of any mistake
    return ("not a WebAssembly module: expected the magic bytes 00 61 73 6d (\"\\0asm\") "
            f"at offset 0, found {data[:4].hex(' ')} ({data[:4]!r})")


def detect_compiled(mod: wasmtime.Module) -> AbiReport:
    exports = [ExportInfo(e.name, _kind(e.type), _ft(e.type)) for e in mod.exports]
    imports = [ImportInfo(i.module, i.name or "", _kind(i.type), _ft(i.type))
               for i in mod.imports]
    return detect_from(exports, imports)


def _kind(t: Any) -> str:
    return {wasmtime.FuncType: "func", wasmtime.MemoryType: "memory",
            wasmtime.TableType: "table", wasmtime.GlobalType: "global"}.get(type(t), "other")


def _ft(t: Any) -> FuncType | None:
    if not isinstance(t, wasmtime.FuncType):
        return None
    return FuncType(tuple(str(p) for p in t.params), tuple(str(r) for r in t.results))


