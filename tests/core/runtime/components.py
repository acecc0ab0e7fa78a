"""wasi:http/proxy components written in component-model text, for fast tests.

`proxy(body)` compiles `proxy_wat/proxy.component.wat` with the handler's core function
body replaced by `body` (core WAT; `$req` and `$out` are its parameters). The component
imports a slice of wasi:http@0.2.0 (`proxy_wat/wit`: the real interface, resource and
function names and shapes, with `error-code` cut to one case) and exports
`wasi:http/incoming-handler@0.2.0#handle`. `wasmtime.wat2wasm` compiles the text, so the
tests need neither wasm-tools nor componentize-py; `proxy_wat/regen.sh` rebuilds the text
from `proxy_wat/core.wat` + the WIT with wasm-tools.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import wasmtime

HERE = Path(__file__).parent / "proxy_wat"
HI = "local.get $req\nlocal.get $out\ncall $hi"  # 200 "hi\n"; stdout "said hi path=<path>"
LOOP = "loop $l\nbr $l\nend"
TRAP = "unreachable"
NO_RESPONSE = "local.get $req\ncall $drop_req"  # returns without response-outparam.set
UNAVAILABLE = "call $frobnicate"  # an import the workbench does not provide


@cache
def proxy(body: str) -> bytes:
    """The component binary whose handler runs `body`."""
    text = (HERE / "proxy.component.wat").read_text()
    return wasmtime.wat2wasm(text.replace("HANDLE_BODY", body))
