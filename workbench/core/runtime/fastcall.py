"""The hot path to wasmtime's C API, kept in one place because it uses private entry points.

wasmtime-py's `Func.__call__` looks up the function type, converts every argument through
`Val`, allocates result arrays and wraps the call in a context manager on every call:
about 20 us here. A handler call needs none of that: its type is checked once (ABI
detection), so `FastFunc` keeps one raw argument buffer and calls
`wasmtime_func_call_unchecked` directly. Store and memory helpers do the same for fuel,
epoch deadlines and linear-memory access.

Everything here depends on `wasmtime._bindings` / `wasmtime._ffi`; if a wasmtime upgrade
changes them, tests/core/runtime/test_fastcall.py fails first.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

import wasmtime
from wasmtime import _bindings as B  # noqa: N812 - short alias for the raw C bindings
from wasmtime import _ffi as ffi

# Guest code (`alloc`, `handle`, `_start`) is called with the GIL released: it may run
# until its deadline, and other threads (the dev server's event loop) must go on.
_call_unchecked = B._wasmtime_func_call_unchecked
# Calls that run no guest code return in well under a microsecond: they keep the GIL
# (functions of a `PyDLL`). Releasing it costs nothing alone, but taking it back waits for
# whichever thread grabbed it meanwhile: ~40 us a call in a loaded `workbench serve`,
# measured (docs/serve.md, "Where the time went").
_held_dll = ctypes.PyDLL(ffi.dll._name)


def _held(name: str, argtypes: list[Any], restype: Any) -> Any:
    """A wasmtime C function called without releasing the GIL (a separate function
    object: wasmtime-py's own bindings are untouched)."""
    fn = _held_dll[name]
    fn.argtypes, fn.restype = argtypes, restype
    return fn


def _like(fn: Any, name: str) -> Any:
    return _held(name, list(fn.argtypes), fn.restype)


_set_fuel = _like(B._wasmtime_context_set_fuel, "wasmtime_context_set_fuel")
_get_fuel = _like(B._wasmtime_context_get_fuel, "wasmtime_context_get_fuel")
_set_deadline = _like(B._wasmtime_context_set_epoch_deadline,
                      "wasmtime_context_set_epoch_deadline")
_mem_data = _held("wasmtime_memory_data", [ctypes.c_void_p, ctypes.c_void_p], ctypes.c_void_p)
_mem_size = _held("wasmtime_memory_data_size", [ctypes.c_void_p, ctypes.c_void_p],
                  ctypes.c_size_t)
_increment_epoch = _like(B._wasmtime_engine_increment_epoch, "wasmtime_engine_increment_epoch")


def epoch_incrementer(engine: wasmtime.Engine) -> Callable[[], None]:
    """`engine.increment_epoch` keeping the GIL: the ticker thread then takes the GIL once
    a tick (waking from its sleep) instead of twice."""
    ptr = engine.ptr()
    return lambda: _increment_epoch(ptr)


# ctypes.memmove releases the GIL; this one keeps it (a 1 MiB request copies in ~50 us).
_memmove = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                             ctypes.c_size_t)(ctypes._memmove_addr)  # type: ignore[attr-defined]

_TrapPtr = ctypes.POINTER(B.wasm_trap_t)
_string_at = ctypes.string_at


class FastFunc:
    """An exported function with only i32/i64 params/results, called without `Val` boxing."""

    __slots__ = ("_ctx", "_func", "_buf", "_trap", "_trap_ref", "nparams")

    def __init__(self, store: wasmtime.Store, func: wasmtime.Func):
        ty = func.type(store)
        kinds = {str(t) for t in (*ty.params, *ty.results)}
        if not kinds <= {"i32", "i64"}:
            raise TypeError(f"FastFunc supports i32/i64 only, got {kinds}")
        self.nparams = len(ty.params)
        self._ctx = store._context()
        self._func = ctypes.byref(func._func)
        self._buf = (B.wasmtime_val_raw_t * max(self.nparams, len(ty.results), 1))()
        self._trap = _TrapPtr()
        self._trap_ref = ctypes.byref(self._trap)

    def __call__(self, *args: int) -> int:
        """Call; returns the first result (0 when there is none). Raises like Func.__call__."""
        buf = self._buf
        for i, a in enumerate(args):
            buf[i].i64 = a
        err = _call_unchecked(self._ctx, self._func, buf, len(buf), self._trap_ref)
        if err or self._trap:
            raise self._failure(err)
        return buf[0].i32

    def call2(self, a: int, b: int) -> int:
        """The `handle(ptr, len)` shape, without the generic loop."""
        buf = self._buf
        buf[0].i32 = a
        buf[1].i32 = b
        err = _call_unchecked(self._ctx, self._func, buf, 2, self._trap_ref)
        if err or self._trap:
            raise self._failure(err)
        return buf[0].i32

    def call1(self, a: int) -> int:
        buf = self._buf
        buf[0].i32 = a
        err = _call_unchecked(self._ctx, self._func, buf, len(buf), self._trap_ref)
        if err or self._trap:
            raise self._failure(err)
        return buf[0].i32

    def _failure(self, err: Any) -> Exception:
        """Turn the raw trap/error into wasmtime-py's own exception objects."""
        from wasmtime import _func

        exc: Exception
        if self._trap:
            exc = wasmtime.Trap._from_ptr(self._trap)
            self._trap = _TrapPtr()
            self._trap_ref = ctypes.byref(self._trap)
        else:
            exc = wasmtime.WasmtimeError._from_ptr(err)
        host_exc = _func.LAST_EXCEPTION
        if host_exc is not None:  # a host function raised: keep the Python error as cause
            _func.LAST_EXCEPTION = None
            exc.__cause__ = host_exc
        return exc


class StoreOps:
    """Fuel and epoch deadline for one store, on its raw context."""

    __slots__ = ("_ctx", "_fuel_out", "_fuel_ref")

    def __init__(self, store: wasmtime.Store):
        self._ctx = store._context()
        self._fuel_out = ctypes.c_uint64(0)
        self._fuel_ref = ctypes.byref(self._fuel_out)

    def set_fuel(self, fuel: int) -> None:
        err = _set_fuel(self._ctx, fuel)
        if err:
            raise wasmtime.WasmtimeError._from_ptr(err)

    def get_fuel(self) -> int:
        err = _get_fuel(self._ctx, self._fuel_ref)
        if err:
            raise wasmtime.WasmtimeError._from_ptr(err)
        return self._fuel_out.value

    def set_deadline(self, ticks: int) -> None:
        _set_deadline(self._ctx, ticks)


class MemView:
    """Bounds-checked reads and writes of one linear memory (re-fetches base: memory moves)."""

    __slots__ = ("_ctx", "_mem", "_keep")

    def __init__(self, ctx: Any, memory: wasmtime.Memory):
        self._keep: object = (ctx, memory)  # the raw addresses below point into these
        self._ctx = ctypes.cast(ctx, ctypes.c_void_p)
        self._mem = ctypes.c_void_p(ctypes.addressof(memory._memory))

    @classmethod
    def of(cls, store: Any, memory: wasmtime.Memory) -> MemView:
        return cls(store._context(), memory)

    def size(self) -> int:
        return _mem_size(self._ctx, self._mem)

    def in_bounds(self, ptr: int, length: int) -> bool:
        return 0 <= ptr and 0 <= length and ptr + length <= _mem_size(self._ctx, self._mem)

    def read(self, ptr: int, length: int) -> bytes | None:
        """The bytes, or None when [ptr, ptr+length) is outside linear memory."""
        if not self.in_bounds(ptr, length):
            return None
        return ctypes.string_at(_mem_data(self._ctx, self._mem) + ptr, length)

    def read_prefixed(self, ptr: int, limit: int) -> tuple[int, bytes | None]:
        """A u32-LE length at `ptr` and that many bytes after it, with one base/size lookup.

        Returns (-1, None) when the length itself is out of bounds, (n, None) when n is
        over `limit` or the bytes run past the end of memory."""
        ctx, mem = self._ctx, self._mem
        size = _mem_size(ctx, mem)
        if ptr < 0 or ptr + 4 > size:
            return -1, None
        base = _mem_data(ctx, mem)
        n = int.from_bytes(_string_at(base + ptr, 4), "little")
        if n > limit or ptr + 4 + n > size:
            return n, None
        return n, _string_at(base + ptr + 4, n)

    def write(self, ptr: int, data: bytes) -> bool:
        n = len(data)
        ctx, mem = self._ctx, self._mem
        if ptr < 0 or ptr + n > _mem_size(ctx, mem):
            return False
        _memmove(_mem_data(ctx, mem) + ptr, data, n)
        return True


# -- host functions without wasmtime-py's per-call Caller / Val boxing --------------------

_Callback = B.wasmtime_func_unchecked_callback_t
_NO_FINALIZER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)()
_define_unchecked = B._wasmtime_linker_define_func_unchecked
_caller_ctx = ffi.dll["wasmtime_caller_context"]
_caller_ctx.restype = ctypes.c_void_p
_caller_ctx.argtypes = [ctypes.c_void_p]
_caller_export = ffi.dll["wasmtime_caller_export_get"]
_caller_export.restype = ctypes.c_bool
_caller_export.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p]
_trap_new = B._wasmtime_trap_new
_MEMORY = ffi.WASMTIME_EXTERN_MEMORY.value


def caller_memory(caller: int) -> MemView | None:
    """The calling instance's exported `memory`, read through the raw caller pointer."""
    ext = B.wasmtime_extern_t()
    if not _caller_export(caller, b"memory", 6, ctypes.byref(ext)) or ext.kind != _MEMORY:
        return None
    view = MemView.__new__(MemView)
    view._keep = ext
    view._ctx = ctypes.c_void_p(_caller_ctx(caller))
    view._mem = ctypes.c_void_p(ctypes.addressof(ext.of.memory))
    return view


HostImpl = Callable[..., "int | None"]


def define_host(linker: wasmtime.Linker, module: str, name: str, params: tuple[str, ...],
                results: tuple[str, ...], impl: HostImpl) -> Any:
    """Define `module.name` calling `impl(memory_fn, *int_args)`; i32/i64 only.

    `memory_fn()` returns the caller's MemView (looked up only when asked). Returns the
    ctypes callback, which the caller must keep alive as long as the linker's stores.
    An exception escaping `impl` becomes a trap naming the function.
    """
    ty = wasmtime.FuncType([_valtype(p) for p in params], [_valtype(r) for r in results])
    nparams = len(params)
    wide_result = results == ("i64",)
    has_result = bool(results)
    label = f"{module}.{name}"

    def callback(env: Any, caller: Any, vals: Any, n: int) -> int:
        try:
            addr = ctypes.cast(caller, ctypes.c_void_p).value or 0
            args = [vals[i].i32 for i in range(nparams)]
            out = impl(lambda: caller_memory(addr), *args)
            if has_result:
                if wide_result:
                    vals[0].i64 = out
                else:
                    vals[0].i32 = out
            return 0
        except BaseException as e:  # never unwind Python through wasm frames
            msg = f"host function {label} failed: {type(e).__name__}: {e}".encode()
            trap = _trap_new(msg, len(msg))
            return ctypes.cast(trap, ctypes.c_void_p).value or 0

    cb = _Callback(callback)
    m, nm = module.encode(), name.encode()
    err = _define_unchecked(linker.ptr(), m, len(m), nm, len(nm), ty.ptr(), cb, None,
                            _NO_FINALIZER)
    if err:
        raise wasmtime.WasmtimeError._from_ptr(err)
    return cb


def _valtype(name: str) -> wasmtime.ValType:
    return wasmtime.ValType.i64() if name == "i64" else wasmtime.ValType.i32()
