"""The private-API call path agrees with wasmtime-py's public one."""

from __future__ import annotations

import pytest
import wasmtime

from tests.wat import wat
from workbench.core.runtime.engine import engine
from workbench.core.runtime.fastcall import FastFunc, MemView, StoreOps

MOD = wat("""(module (memory (export "memory") 1)
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "neg") (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
  (func (export "wide") (param i64) (result i64) (local.get 0))
  (func $inner (unreachable))
  (func (export "boom") (param i32) (result i32) (call $inner) (i32.const 0)))""")


@pytest.fixture
def inst():
    store = wasmtime.Store(engine())
    store.set_fuel(10**9)
    store.set_epoch_deadline(10**9)
    instance = wasmtime.Instance(store, wasmtime.Module(engine(), MOD), [])
    return store, instance.exports(store)


@pytest.mark.parametrize("a,b", [(1, 2), (-5, 3), (2**31 - 1, 1), (0, 0)])
def test_same_results_as_public_call(inst, a: int, b: int) -> None:
    store, ex = inst
    assert FastFunc(store, ex["add"]).call2(a, b) == ex["add"](store, a, b)
    assert FastFunc(store, ex["add"])(a, b) == ex["add"](store, a, b)
    assert FastFunc(store, ex["neg"]).call1(a) == ex["neg"](store, a)


def test_trap_is_raised_with_code_and_frames_then_usable(inst) -> None:
    store, ex = inst
    f = FastFunc(store, ex["boom"])
    with pytest.raises(wasmtime.Trap) as info:
        f.call1(1)
    assert info.value.trap_code == wasmtime.TrapCode.UNREACHABLE
    assert info.value.frames[0].func_name == "inner"
    assert FastFunc(store, ex["add"]).call2(2, 3) == 5  # store still healthy


def test_rejects_non_integer_types() -> None:
    store = wasmtime.Store(engine())
    m = wasmtime.Module(engine(), wat('(module (func (export "f") (param f32)))'))
    f = wasmtime.Instance(store, m, []).exports(store)["f"]
    with pytest.raises(TypeError):
        FastFunc(store, f)


def test_store_ops_fuel(inst) -> None:
    store, ex = inst
    ops = StoreOps(store)
    ops.set_fuel(1000)
    FastFunc(store, ex["add"]).call2(1, 1)
    left = ops.get_fuel()
    assert 0 < left < 1000
    assert store.get_fuel() == left


def test_memview_bounds(inst) -> None:
    store, ex = inst
    mv = MemView.of(store, ex["memory"])
    assert mv.size() == 65536
    assert mv.write(65534, b"ab") and mv.read(65534, 2) == b"ab"
    assert not mv.write(65535, b"ab") and mv.read(65535, 2) is None
    assert mv.read(-1, 1) is None and mv.read(0, -1) is None
    assert ex["memory"].read(store, 65534, 65536) == b"ab"


def test_define_host_args_results_memory_and_trap() -> None:
    from workbench.core.runtime.fastcall import define_host

    seen: list[tuple[int, ...]] = []

    def add(mem, a: int, b: int) -> int:  # type: ignore[no-untyped-def]
        seen.append((a, b))
        view = mem()
        assert view is not None and view.write(0, b"ok")
        return a + b

    def wide(mem) -> int:  # type: ignore[no-untyped-def]
        return 2**40 + 1

    def bad(mem) -> int:  # type: ignore[no-untyped-def]
        raise ValueError("nope")

    linker = wasmtime.Linker(engine())
    keep = [define_host(linker, "t", "add", ("i32", "i32"), ("i32",), add),
            define_host(linker, "t", "wide", (), ("i64",), wide),
            define_host(linker, "t", "bad", (), ("i32",), bad)]
    mod = wasmtime.Module(engine(), wat("""(module
      (import "t" "add" (func $add (param i32 i32) (result i32)))
      (import "t" "wide" (func $wide (result i64)))
      (import "t" "bad" (func $bad (result i32)))
      (memory (export "memory") 1)
      (func (export "f") (result i32) (call $add (i32.const -2) (i32.const 5)))
      (func (export "w") (result i64) (call $wide))
      (func (export "b") (result i32) (call $bad)))"""))
    store = wasmtime.Store(engine())
    store.set_fuel(10**9)
    store.set_epoch_deadline(10**9)
    ex = linker.instantiate(store, mod).exports(store)
    assert ex["f"](store) == 3 and seen == [(-2, 5)]
    assert ex["memory"].read(store, 0, 2) == b"ok"
    assert ex["w"](store) == 2**40 + 1
    with pytest.raises((wasmtime.Trap, wasmtime.WasmtimeError),
                       match="host function t.bad failed: ValueError: nope"):
        ex["b"](store)
    assert ex["f"](store) == 3
    del keep
