"""wasmtime-py's component C API, used directly: host functions, resources, value conversion.

PRIVATE API, QUARANTINED. Written against wasmtime-py 50.0.1 (`wasmtime._bindings`,
`wasmtime._ffi`, `wasmtime.component._types`). Everything in the package that touches
private wasmtime-py names lives in this file; tests/core/runtime/test_component_capi.py
fails first when an upgrade changes them.

Why: wasmtime-py's `LinkerInstance.add_func` callback (`component._linker.func_impl`)
rebuilds the function type and every parameter/result `ValType` from C on every host call
(`FuncType._from_ptr(...).params`, `ListType.element`, `VariantLikeType._cases` on each
conversion) and converts `list<u8>` one element at a time: ~0.8 ms per call. Here the
converters are built once per imported function (first call: the type never changes for
one import) and `list<u8>` is moved with one memmove. Values in Python:

| WIT | Python |
|---|---|
| bool, ints, floats, char, string | bool, int, float, str, str |
| list<u8> / list<T> | bytes / list |
| record | dict (field name -> value) |
| tuple | tuple |
| variant, result | (case name, payload or None); result cases are "ok" / "err" |
| enum | str |
| option<T> | None or the value |
| own<T> / borrow<T> | the host object (a class with RESOURCE_ID, see resources.py) |

Owned handles the guest passes in are dropped from wasmtime's table (the object is taken
out of ours first); borrowed handles are released before the host function returns.

Winch: wasmtime-py's `Config.strategy` accepts only "auto"/"cranelift"; `use_winch` sets
WASMTIME_STRATEGY_WINCH (2) through `wasmtime_config_strategy_set`.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable
from typing import Any

import wasmtime
import wasmtime.component as wc
from wasmtime import _bindings as B  # noqa: N812
from wasmtime import _ffi as ffi

from workbench.core.runtime.component.session import Session, current, session

Val = B.wasmtime_component_val_t
_STRIDE = ctypes.sizeof(Val)
_OF = Val.of.offset
_K = {n: getattr(ffi, f"WASMTIME_COMPONENT_{n}").value for n in (
    "BOOL", "S8", "U8", "S16", "U16", "S32", "U32", "S64", "U64", "F32", "F64", "CHAR",
    "STRING", "LIST", "RECORD", "TUPLE", "VARIANT", "ENUM", "OPTION", "RESULT", "FLAGS",
    "RESOURCE")}
_SCALARS: dict[type, tuple[str, str]] = {
    wc.Bool: ("BOOL", "boolean"), wc.S8: ("S8", "s8"), wc.U8: ("U8", "u8"),
    wc.S16: ("S16", "s16"), wc.U16: ("U16", "u16"), wc.S32: ("S32", "s32"),
    wc.U32: ("U32", "u32"), wc.S64: ("S64", "s64"), wc.U64: ("U64", "u64"),
    wc.F32: ("F32", "f32"), wc.F64: ("F64", "f64"),
}
Ctx = Any  # ctypes pointer to wasmtime_context_t
Lift = Callable[[Any, Ctx], Any]
Lower = Callable[[Any, Any, Ctx], None]

WINCH = 2  # wasmtime_strategy_enum.WASMTIME_STRATEGY_WINCH


def use_winch(cfg: wasmtime.Config) -> None:
    """Compile with Winch (baseline compiler: ~5x faster compiles, slower code)."""
    B.wasmtime_config_strategy_set(cfg.ptr(), WINCH)


# -- resources -----------------------------------------------------------------------

def _rep_of(ctx: Ctx, any_ptr: Any) -> int:
    host = ctypes.POINTER(B.wasmtime_component_resource_host_t)()
    err = B.wasmtime_component_resource_any_to_host(ctx, any_ptr, ctypes.byref(host))
    if err:
        raise wasmtime.WasmtimeError._from_ptr(err)
    rep = int(B.wasmtime_component_resource_host_rep(host))
    B.wasmtime_component_resource_host_delete(host)
    return rep


def _drop_any(ctx: Ctx, any_ptr: Any) -> None:
    err = B.wasmtime_component_resource_any_drop(ctx, any_ptr)
    if err:
        raise wasmtime.WasmtimeError._from_ptr(err)


def _lift_own(v: Any, ctx: Ctx) -> Any:
    # resource_any_to_host on an owned handle takes it out of wasmtime's table (a second
    # drop fails with "unknown handle index"): the object leaves ours too.
    return session().objects.pop(_rep_of(ctx, v.of.resource), None)


def _lift_borrow(v: Any, ctx: Ctx) -> Any:
    # to_host on a borrow releases it too (an explicit resource_any_drop afterwards fails
    # with "unknown handle index").
    return session().objects.get(_rep_of(ctx, v.of.resource))


def _lower_own(x: Any, v: Any, ctx: Ctx) -> None:
    rep = session().add(x)
    host = B.wasmtime_component_resource_host_new(True, rep, x.RESOURCE_ID)
    out = ctypes.POINTER(B.wasmtime_component_resource_any_t)()
    err = B.wasmtime_component_resource_host_to_any(ctx, host, ctypes.byref(out))
    B.wasmtime_component_resource_host_delete(host)
    if err:
        raise wasmtime.WasmtimeError._from_ptr(err)
    v.kind = _K["RESOURCE"]
    v.of.resource = out


@B.wasmtime_component_resource_destructor_t
def _dtor(env: Any, ctx: Any, rep: int) -> int:
    s: Session | None = current()
    if s is not None:
        obj = s.objects.pop(rep, None)
        close = getattr(obj, "on_drop", None)
        if close is not None:
            try:
                close()
            except Exception as e:  # noqa: BLE001 - reported by the run, never raised in C
                s.failure = e
    return 0


@ctypes.CFUNCTYPE(None, ctypes.c_void_p)
def _no_finalize(env: Any) -> None:
    return None


def define_resource(li: wc.LinkerInstance, name: str, type_id: int) -> None:
    raw = name.encode()
    rtype = wc.ResourceType.host(type_id)  # keep alive across the call (it is copied)
    err = B.wasmtime_component_linker_instance_add_resource(
        li.ptr(), ctypes.create_string_buffer(raw), len(raw), rtype.ptr(), _dtor, None,
        _no_finalize)
    if err:
        raise wasmtime.WasmtimeError._from_ptr(err)


# -- value conversion ----------------------------------------------------------------

def _to_str(vec: Any) -> str:
    return ctypes.string_at(vec.data, vec.size).decode("utf-8")


def _bytes_vec(data: bytes) -> Any:
    vec = B.wasm_byte_vec_t()
    B.wasm_byte_vec_new_uninitialized(ctypes.byref(vec), len(data))
    if data:
        ctypes.memmove(vec.data, data, len(data))
    return vec


def lifter(ty: Any) -> Lift:
    """A function reading a C value of type `ty` into Python (it frees nothing)."""
    if type(ty) in _SCALARS:
        field = _SCALARS[type(ty)][1]
        return lambda v, ctx: getattr(v.of, field)
    if isinstance(ty, wc.Char):
        return lambda v, ctx: chr(v.of.character)
    if isinstance(ty, wc.String):
        return lambda v, ctx: _to_str(v.of.string)
    if isinstance(ty, wc.EnumType):
        return lambda v, ctx: _to_str(v.of.enumeration)
    if isinstance(ty, wc.ListType):
        el = ty.element
        if isinstance(el, wc.U8):
            def lift_bytes(v: Any, ctx: Ctx) -> bytes:
                n = v.of.list.size
                if not n:
                    return b""
                raw = ctypes.string_at(v.of.list.data, n * _STRIDE)
                return raw[_OF::_STRIDE]
            return lift_bytes
        elift = lifter(el)
        return lambda v, ctx: [elift(v.of.list.data[i], ctx) for i in range(v.of.list.size)]
    if isinstance(ty, wc.RecordType):
        fields = [(n, lifter(t)) for n, t in ty.fields]
        return lambda v, ctx: {n: f(v.of.record.data[i].val, ctx)
                               for i, (n, f) in enumerate(fields)}
    if isinstance(ty, wc.TupleType):
        items = [lifter(t) for t in ty.elements]
        return lambda v, ctx: tuple(f(v.of.tuple.data[i], ctx) for i, f in enumerate(items))
    if isinstance(ty, wc.OptionType):
        inner = lifter(ty.payload)
        return lambda v, ctx: inner(v.of.option.contents, ctx) if v.of.option else None
    if isinstance(ty, wc.ResultType):
        ok = lifter(ty.ok) if ty.ok is not None else None
        er = lifter(ty.err) if ty.err is not None else None

        def lift_result(v: Any, ctx: Ctx) -> tuple[str, Any]:
            r = v.of.result
            f = ok if r.is_ok else er
            payload = f(r.val.contents, ctx) if f is not None and r.val else None
            return ("ok" if r.is_ok else "err", payload)
        return lift_result
    if isinstance(ty, wc.VariantType):
        cases = {n: (lifter(t) if t is not None else None) for n, t in ty.cases}

        def lift_variant(v: Any, ctx: Ctx) -> tuple[str, Any]:
            tag = _to_str(v.of.variant.discriminant)
            f = cases[tag]
            return (tag, f(v.of.variant.val.contents, ctx) if f is not None else None)
        return lift_variant
    if isinstance(ty, wc.OwnType):
        return _lift_own
    if isinstance(ty, wc.BorrowType):
        return _lift_borrow
    raise NotImplementedError(f"component value type {type(ty).__name__}")


def lowerer(ty: Any) -> Lower:
    """A function writing Python value `x` of type `ty` into C value `v` (owned by C)."""
    if type(ty) in _SCALARS:
        kname, field = _SCALARS[type(ty)]
        kind = _K[kname]

        def lower_scalar(x: Any, v: Any, ctx: Ctx) -> None:
            v.kind = kind
            setattr(v.of, field, x)
        return lower_scalar
    if isinstance(ty, wc.Char):
        def lower_char(x: Any, v: Any, ctx: Ctx) -> None:
            v.kind = _K["CHAR"]
            v.of.character = ord(x)
        return lower_char
    if isinstance(ty, wc.String | wc.EnumType):
        kind, field = ((_K["STRING"], "string") if isinstance(ty, wc.String)
                       else (_K["ENUM"], "enumeration"))

        def lower_str(x: Any, v: Any, ctx: Ctx) -> None:
            v.kind = kind
            setattr(v.of, field, _bytes_vec(x.encode("utf-8")))
        return lower_str
    if isinstance(ty, wc.ListType):
        el = ty.element
        if isinstance(el, wc.U8):
            def lower_bytes(x: Any, v: Any, ctx: Ctx) -> None:
                n = len(x)
                lst = B.wasmtime_component_vallist_t()
                B.wasmtime_component_vallist_new_uninit(ctypes.byref(lst), n)
                if n:
                    buf = bytearray(n * _STRIDE)
                    buf[0::_STRIDE] = bytes([_K["U8"]]) * n
                    buf[_OF::_STRIDE] = x
                    ctypes.memmove(lst.data, bytes(buf), len(buf))
                v.kind = _K["LIST"]
                v.of.list = lst
            return lower_bytes
        elow = lowerer(el)

        def lower_list(x: Any, v: Any, ctx: Ctx) -> None:
            lst = B.wasmtime_component_vallist_t()
            B.wasmtime_component_vallist_new_uninit(ctypes.byref(lst), len(x))
            for i, item in enumerate(x):
                elow(item, lst.data[i], ctx)
            v.kind = _K["LIST"]
            v.of.list = lst
        return lower_list
    if isinstance(ty, wc.RecordType):
        fields = [(n, lowerer(t)) for n, t in ty.fields]

        def lower_record(x: Any, v: Any, ctx: Ctx) -> None:
            rec = B.wasmtime_component_valrecord_t()
            B.wasmtime_component_valrecord_new_uninit(ctypes.byref(rec), len(fields))
            for i, (n, f) in enumerate(fields):
                rec.data[i].name = _bytes_vec(n.encode())
                f(x[n], rec.data[i].val, ctx)
            v.kind = _K["RECORD"]
            v.of.record = rec
        return lower_record
    if isinstance(ty, wc.TupleType):
        items = [lowerer(t) for t in ty.elements]

        def lower_tuple(x: Any, v: Any, ctx: Ctx) -> None:
            tup = B.wasmtime_component_valtuple_t()
            B.wasmtime_component_valtuple_new_uninit(ctypes.byref(tup), len(items))
            for i, f in enumerate(items):
                f(x[i], tup.data[i], ctx)
            v.kind = _K["TUPLE"]
            v.of.tuple = tup
        return lower_tuple
    if isinstance(ty, wc.OptionType):
        inner = lowerer(ty.payload)

        def lower_option(x: Any, v: Any, ctx: Ctx) -> None:
            v.kind = _K["OPTION"]
            v.of.option = None if x is None else _boxed(inner, x, ctx)
        return lower_option
    if isinstance(ty, wc.ResultType):
        ok = lowerer(ty.ok) if ty.ok is not None else None
        er = lowerer(ty.err) if ty.err is not None else None

        def lower_result(x: Any, v: Any, ctx: Ctx) -> None:
            tag, payload = x
            f = ok if tag == "ok" else er
            if tag not in ("ok", "err"):
                raise ValueError(f"result tag must be ok or err, not {tag!r}")
            v.kind = _K["RESULT"]
            v.of.result.is_ok = tag == "ok"
            v.of.result.val = _boxed(f, payload, ctx) if f is not None else None
        return lower_result
    if isinstance(ty, wc.VariantType):
        cases = {n: (lowerer(t) if t is not None else None) for n, t in ty.cases}

        def lower_variant(x: Any, v: Any, ctx: Ctx) -> None:
            tag, payload = x
            f = cases[tag]
            v.kind = _K["VARIANT"]
            v.of.variant.discriminant = _bytes_vec(tag.encode())
            v.of.variant.val = _boxed(f, payload, ctx) if f is not None else None
        return lower_variant
    if isinstance(ty, wc.OwnType):
        return _lower_own
    raise NotImplementedError(f"component value type {type(ty).__name__}")


def _boxed(f: Lower, x: Any, ctx: Ctx) -> Any:
    tmp = Val()
    f(x, tmp, ctx)
    return B.wasmtime_component_val_new(ctypes.byref(tmp))


# -- host functions ------------------------------------------------------------------

HostFn = Callable[..., Any]


class _Entry:
    __slots__ = ("fn", "name", "lifts", "lower")

    def __init__(self, fn: HostFn, name: str):
        self.fn, self.name = fn, name
        self.lifts: list[Lift] | None = None
        self.lower: Lower | None = None


_ENTRIES: list[_Entry | None] = []  # index = the callback's env value
_FREE: list[int] = []  # slots whose linker wasmtime has dropped (see _release)
_entries_lock = threading.Lock()


@ctypes.CFUNCTYPE(None, ctypes.c_void_p)
def _release(env: Any) -> None:
    """wasmtime's finalizer: the function's last user (linker, instance) is gone."""
    with _entries_lock:
        _ENTRIES[env or 0] = None
        _FREE.append(env or 0)


def _error_ptr(msg: str) -> int:
    err = B.wasmtime_error_new(ctypes.create_string_buffer(msg.encode("utf-8", "replace")))
    return ctypes.cast(err, ctypes.c_void_p).value or 0


@B.wasmtime_component_func_callback_t
def _callback(env: Any, ctx: Any, ty: Any, args: Any, nargs: int, results: Any,
              nresults: int) -> int:
    entry = _ENTRIES[env or 0]
    assert entry is not None  # wasmtime finalizes a function only after its last call
    t0 = time.perf_counter_ns()
    try:
        if entry.lifts is None:
            fty = wc.FuncType._from_ptr(ty, owner=True)  # borrowed: not freed by us
            entry.lifts = [lifter(t) for _, t in fty.params]
            res = fty.result
            entry.lower = lowerer(res) if res is not None else None
        # `args` stay owned by wasmtime (freed after we return): read, never free.
        pyargs = [f(args[i], ctx) for i, f in enumerate(entry.lifts)]
        out = entry.fn(*pyargs)
        if entry.lower is not None:
            entry.lower(out, results[0], ctx)
        return 0
    except BaseException as e:  # noqa: BLE001 - never unwind through C; the run reports it
        s: Session | None = current()
        if s is not None:
            s.failure = e
        return _error_ptr(str(e) if type(e).__name__ == "Unavailable" else f"{entry.name}: {e}")
    finally:
        s2: Session | None = current()
        if s2 is not None:
            s2.host_ns += time.perf_counter_ns() - t0


def define_func(li: wc.LinkerInstance, name: str, fn: HostFn, label: str) -> None:
    """Define `name` on `li`; `fn(*args)` gets and returns Python values (see above)."""
    with _entries_lock:
        if _FREE:
            idx = _FREE.pop()
            _ENTRIES[idx] = _Entry(fn, label)
        else:
            _ENTRIES.append(_Entry(fn, label))
            idx = len(_ENTRIES) - 1
    raw = name.encode()
    err = B.wasmtime_component_linker_instance_add_func(
        li.ptr(), ctypes.create_string_buffer(raw), len(raw), _callback, idx, _release)
    if err:
        raise wasmtime.WasmtimeError._from_ptr(err)


# -- calling an export ---------------------------------------------------------------

class ExportFunc:
    """A component export called with Python values, its type read once."""

    def __init__(self, store: wasmtime.Store, func: wc.Func):
        self._func = func
        fty = func.type(store)
        self._lowers = [lowerer(t) for _, t in fty.params]
        res = fty.result
        self._lift = lifter(res) if res is not None else None

    def __call__(self, store: wasmtime.Store, *args: Any) -> Any:
        ctx = store._context()
        n = len(self._lowers)
        params = (Val * max(n, 1))()
        for i, f in enumerate(self._lowers):
            f(args[i], params[i], ctx)
        result = Val()
        err = B.wasmtime_component_func_call(
            ctypes.byref(self._func._func), ctx, params, n,
            ctypes.byref(result) if self._lift else None, 1 if self._lift else 0)
        if err:
            raise wasmtime.WasmtimeError._from_ptr(err)
        out = None
        if self._lift is not None:
            out = self._lift(result, ctx)
            B.wasmtime_component_val_delete(ctypes.byref(result))
        return out

    def post_return(self, store: wasmtime.Store) -> None:
        err = B.wasmtime_component_func_post_return(ctypes.byref(self._func._func),
                                                    store._context())
        if err:
            raise wasmtime.WasmtimeError._from_ptr(err)
