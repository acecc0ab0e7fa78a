"""The quarantined C-API layer (component/capi.py): the private wasmtime-py names it uses
exist, and values survive a lower -> lift round trip. Fails first on a wasmtime-py
upgrade that changes them (written against wasmtime-py 50.0.1)."""

from __future__ import annotations

import ctypes
from typing import Any

import pytest
import wasmtime
import wasmtime.component as wc

from tests.core.runtime.components import HI, proxy
from workbench.core.runtime.component import capi
from workbench.core.runtime.component import engine as CE  # noqa: N812


def test_private_names_exist() -> None:
    from wasmtime import _bindings as B  # noqa: N812

    for name in ("wasmtime_config_strategy_set", "wasmtime_component_func_callback_t",
                 "wasmtime_component_linker_instance_add_func",
                 "wasmtime_component_linker_instance_add_resource",
                 "wasmtime_component_resource_host_new",
                 "wasmtime_component_resource_any_to_host",
                 "wasmtime_component_func_call", "wasmtime_component_vallist_new_uninit"):
        assert hasattr(B, name), name
    assert ctypes.sizeof(capi.Val) == 32 and capi.Val.of.offset == 8


def import_types() -> dict[str, Any]:
    """name -> FuncType of every function the text component imports."""
    eng = CE.engine()
    comp = wc.Component(eng, proxy(HI))
    out = {}
    for _, ext in comp.type.imports(eng).items():
        for name, item in ext.ty.exports(eng).items():
            if isinstance(item.ty, wc.FuncType):
                out[name] = item.ty
    return out


def roundtrip(ty: Any, value: Any) -> Any:
    v = capi.Val()
    capi.lowerer(ty)(value, v, None)
    try:
        return capi.lifter(ty)(v, None)
    finally:
        from wasmtime import _bindings as B  # noqa: N812

        B.wasmtime_component_val_delete(ctypes.byref(v))


@pytest.fixture(scope="module")
def types() -> dict[str, Any]:
    return import_types()


def test_bytes_roundtrip(types) -> None:
    contents = dict(types["[method]output-stream.blocking-write-and-flush"].params)["contents"]
    for data in (b"", b"a", bytes(range(256)) * 3):
        assert roundtrip(contents, data) == data


def test_option_string_and_variants_roundtrip(types) -> None:
    opt = types["[method]incoming-request.path-with-query"].result
    assert roundtrip(opt, None) is None
    assert roundtrip(opt, "/héllo?x=1") == "/héllo?x=1"
    finish = types["[static]outgoing-body.finish"].result  # result<_, error-code>
    assert roundtrip(finish, ("ok", None)) == ("ok", None)
    assert roundtrip(finish, ("err", ("internal-error", "boom"))) == (
        "err", ("internal-error", "boom"))
    assert roundtrip(finish, ("err", ("internal-error", None))) == (
        "err", ("internal-error", None))
    with pytest.raises(ValueError):
        roundtrip(finish, ("maybe", None))


def test_winch_engine_compiles_and_runs(tmp_path) -> None:
    from workbench.core.http import Request
    from workbench.core.runtime.harness import Harness

    assert CE.compiler() in CE.COMPILERS
    eng = CE.engine("winch")
    assert isinstance(eng, wasmtime.Engine)
    h = Harness(proxy(HI), cache_dir=tmp_path)
    assert h.run(Request(), "cold").response is not None
