"""Host functions an edge handler may import from module `edge` (docs/handler-abi.md)."""

from __future__ import annotations

from workbench.core.wasm.model import FuncType

OK = 0
NOT_FOUND = -1
UNAVAILABLE = -2
BAD_POINTER = -3
TOO_LARGE = -4

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
