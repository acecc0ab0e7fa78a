"""Build a component Linker for whatever WASI 0.2 interfaces a component imports.

Every imported instance is defined under the exact name the component imports (so
0.2.0 ... 0.2.9 all link): resources it defines get one host resource type each
(aliases such as `headers` = `fields` or `io-error` = `error` are skipped, they are the
same type), functions we implement get the host function, every other function a named
trap "<interface>#<func> is not available in the workbench".
"""

from __future__ import annotations

from typing import Any

import wasmtime
import wasmtime.component as wc

from workbench.core.runtime.component import http, kv, wasi
from workbench.core.runtime.component.capi import define_func, define_resource
from workbench.core.runtime.component.state import Unavailable

IMPLS: dict[str, dict[str, Any]] = {**wasi.WASI, **http.HTTP, **kv.KV}
RESOURCES: dict[tuple[str, str], int] = {**wasi.RESOURCES, **http.RESOURCES, **kv.RESOURCES}
_OTHER_RESOURCE = 1000  # unknown resources: a fresh type each (only traps use them)


def unversioned(name: str) -> str:
    return name.split("@", 1)[0]


def build_linker(engine: wasmtime.Engine, component: wc.Component) -> wc.Linker:
    linker = wc.Linker(engine)
    seen: list[wc.ResourceType] = []
    other = _OTHER_RESOURCE
    with linker.root() as root:
        for iname, ext in component.type.imports(engine).items():
            ity = ext.ty
            if not isinstance(ity, wc.ComponentInstanceType):
                raise wasmtime.WasmtimeError(f"import `{iname}` is not an interface: "
                                             "a wasi:http/proxy component imports only "
                                             "interfaces")
            base = unversioned(iname)
            impls = IMPLS.get(base, {})
            with root.add_instance(iname) as inst:
                for name, item in ity.exports(engine).items():
                    t = item.ty
                    if isinstance(t, wc.ResourceType):
                        if any(t == s for s in seen):
                            continue  # `use`d from another interface: defined there
                        seen.append(t)
                        rid = RESOURCES.get((base, name))
                        if rid is None:
                            other += 1
                            rid = other
                        define_resource(inst, name, rid)
                    elif isinstance(t, wc.FuncType):
                        fn = impls.get(name) or _trap(f"{base}#{name}")
                        define_func(inst, name, fn, f"{base}#{name}")
    return linker


def _trap(label: str) -> Any:
    def unavailable(*args: Any) -> Any:
        raise Unavailable(f"{label} is not available in the workbench")
    return unavailable
