"""Signatures of the edge host functions (import module "edge").

Kept apart from hostfns.py so ABI detection (used by `inspect`) does not import wasmtime.
"""

from __future__ import annotations

from workbench.core.wasm.model import FuncType

_I = "i32"
HOST_SIGNATURES: dict[str, FuncType] = {
    "log": FuncType((_I, _I, _I), ()),
    "kv_get": FuncType((_I, _I, _I, _I), (_I,)),
    "kv_put": FuncType((_I, _I, _I, _I), (_I,)),
    "kv_delete": FuncType((_I, _I), (_I,)),
    "secret_get": FuncType((_I, _I, _I, _I), (_I,)),
    "now_ms": FuncType((), ("i64",)),
    "random_fill": FuncType((_I, _I), (_I,)),
}
