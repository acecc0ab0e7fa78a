"""The compiled kernels (`kernels.wasm`, from `scanner.c`, `dominance.c`, `segments.c`) in wasmtime.

The module is compiled once per process and instantiated per call, so each call's
linear memory (which can hold a whole code section) is freed with its store. `Arena`
lays out one call's buffers in that memory, grows it once, and copies in and out with
`ctypes.memmove` (no per-element work in Python).
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import wasmtime

WASM = Path(__file__).resolve().parent / "kernels.wasm"
ABI_VERSION = 4  # scanner.c's ABI_VERSION: bump both when an export's signature changes


class NativeUnavailable(RuntimeError):
    """The compiled kernels cannot run here (file missing, wasmtime refused it, a call
    trapped): under `auto` the Python code runs instead."""


@lru_cache(maxsize=1)
def _compiled() -> tuple[wasmtime.Engine, wasmtime.Module]:
    try:
        engine = wasmtime.Engine()
        return engine, wasmtime.Module(engine, WASM.read_bytes())
    except (OSError, wasmtime.WasmtimeError) as e:
        raise NativeUnavailable(f"compiled kernels unavailable: {e}") from e


def _align(n: int) -> int:
    return (n + 7) & ~7


class Arena:
    """A fresh instance; `reserve` buffers, then `commit` (one memory.grow), `put`, `call`,
    `get`. Offsets are addresses in the instance's linear memory."""

    def __init__(self) -> None:
        engine, module = _compiled()
        self.store = wasmtime.Store(engine)
        self.exports = wasmtime.Instance(self.store, module, []).exports(self.store)
        version = self.exports["abi_version"]
        if not isinstance(version, wasmtime.Func) or version(self.store) != ABI_VERSION:
            raise NativeUnavailable("kernels.wasm does not match its host (rebuild it)")
        memory, base = self.exports["memory"], self.exports["__heap_base"]
        assert isinstance(memory, wasmtime.Memory) and isinstance(base, wasmtime.Global)
        self.memory = memory
        self.top = _align(base.value(self.store))
        self.addr = 0

    def reserve(self, nbytes: int) -> int:
        at = self.top
        self.top = _align(at + nbytes)
        return at

    def commit(self) -> None:
        have = self.memory.data_len(self.store)
        if self.top > have:
            try:
                self.memory.grow(self.store, (self.top - have + 0xFFFF) // 0x10000)
            except wasmtime.WasmtimeError as e:  # past 4 GiB of linear memory
                raise NativeUnavailable(f"compiled kernels: {e}") from e
        self.addr = ctypes.addressof(self.memory.data_ptr(self.store).contents)

    def put(self, at: int, data: bytes, start: int = 0, stop: int | None = None) -> None:
        """Copy data[start:stop] to `at` straight from the bytes object's buffer."""
        stop = len(data) if stop is None else stop
        src = ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value or 0
        ctypes.memmove(self.addr + at, src + start, stop - start)

    def get(self, at: int, nbytes: int) -> bytes:
        return ctypes.string_at(self.addr + at, nbytes)

    def func(self, name: str) -> Callable[..., int]:
        f = self.exports[name]
        assert isinstance(f, wasmtime.Func)
        store = self.store

        def call(*args: int) -> int:
            try:
                result = f(store, *args)
            except (wasmtime.Trap, wasmtime.WasmtimeError) as e:  # a kernel bug, not input
                raise NativeUnavailable(f"compiled kernel {name} failed: {e}") from e
            return result if isinstance(result, int) else 0  # a void export: None

        return call
