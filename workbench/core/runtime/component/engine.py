"""The component engine (Winch or Cranelift), its epoch ticker and the compiled cache.

Components get their own engine: compiling the 18 MB componentize-py component takes
13-19 s with Cranelift and ~3.5 s with Winch (measured, 2-core container), so components
compile with Winch by default (`WORKBENCH_COMPONENT_COMPILER=cranelift` switches). Fuel
and epoch interruption are on, as for edge modules; the epoch counter is per engine, so
this engine has its own `EpochTicker`. Compiled components are cached like modules:
`<cache>/<key>.cwasm`, key = sha256(wasm) + wasmtime version + compiler.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

import wasmtime
import wasmtime.component as wc

from workbench.core.runtime.component.capi import use_winch
from workbench.core.runtime.engine import EpochTicker, wasmtime_version

COMPILERS = ("winch", "cranelift")
_engines: dict[str, wasmtime.Engine] = {}
_tickers: dict[str, EpochTicker] = {}
_lock = threading.Lock()


def compiler() -> str:
    name = os.environ.get("WORKBENCH_COMPONENT_COMPILER", "winch").strip().lower()
    return name if name in COMPILERS else "winch"


def engine(strategy: str | None = None) -> wasmtime.Engine:
    strategy = strategy or compiler()
    with _lock:
        eng = _engines.get(strategy)
        if eng is None:
            cfg = wasmtime.Config()
            cfg.consume_fuel = True
            cfg.epoch_interruption = True
            if strategy == "winch":
                use_winch(cfg)
            else:
                cfg.cranelift_opt_level = "speed"
            eng = _engines[strategy] = wasmtime.Engine(cfg)
        return eng


def ticker(strategy: str | None = None) -> EpochTicker:
    strategy = strategy or compiler()
    eng = engine(strategy)
    with _lock:
        t = _tickers.get(strategy)
        if t is None:
            t = _tickers[strategy] = EpochTicker(eng)
        return t


def cache_key(wasm: bytes, strategy: str) -> str:
    h = hashlib.sha256(wasm)
    h.update(f"\0wasmtime-{wasmtime_version()}\0component-{strategy}".encode())
    return h.hexdigest()[:40]


def load(wasm: bytes, key: str, cache_dir: Path | None, strategy: str
         ) -> tuple[wc.Component, str, str, float]:
    """(component, phase, cache outcome, microseconds): from the cache when it has it,
    else compiled (and stored when `cache_dir` is given; None bypasses the cache).
    `key` is `cache_key(wasm, strategy)`, computed once by the caller: hashing the 18 MB
    componentize-py component takes longer (~13 ms) than loading it from the cache."""
    eng = engine(strategy)
    t0 = time.perf_counter_ns()
    if cache_dir is not None:
        path = cache_dir / f"{key}.cwasm"
        if path.is_file():
            try:
                comp = wc.Component.deserialize_file(eng, str(path))
                return comp, "cache_load", "hit", (time.perf_counter_ns() - t0) / 1000
            except (wasmtime.WasmtimeError, OSError):
                pass  # unreadable entry: recompile below
    comp = wc.Component(eng, wasm)
    us = (time.perf_counter_ns() - t0) / 1000
    if cache_dir is None:
        return comp, "compile", "bypass", us
    _store(cache_dir, key, comp)
    return comp, "compile", "miss", us


def _store(cache_dir: Path, key: str, comp: wc.Component) -> None:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_dir / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp.write_bytes(bytes(comp.serialize()))
        os.replace(tmp, cache_dir / f"{key}.cwasm")
    except OSError:
        pass  # a read-only cache only costs compile time
