"""Inline WAT for every platform `detect_platform` names, and where real modules live.

Real third-party modules are not committed: tests using them skip when the file is not
under $WORKBENCH_PLATFORM_SAMPLES (default /work/scratch/platforms).
`tests/core/platforms/fetch_samples.sh` downloads and builds them: `@fastly/js-compute`'s
fastly.wasm, `@resvg/resvg-wasm`'s wasm-bindgen output, `esbuild-wasm` (Go js/wasm), a
componentize-py wasi:http 0.2 component (py.wasm), a spin-sdk 5 wasi:http 0.3 one
(spin5/app.wasm) and a componentize-js wasi:http 0.2 one (cjs/app.wasm).
"""

from __future__ import annotations

import os
from pathlib import Path

SAMPLES = Path(os.environ.get("WORKBENCH_PLATFORM_SAMPLES", "/work/scratch/platforms"))
FD_WRITE = ('(import "wasi_snapshot_preview1" "fd_write" '
            '(func (param i32 i32 i32 i32) (result i32)))')

CORE: dict[str, str] = {
    "edge": '''(module (memory (export "memory") 1)
        (func (export "alloc") (param i32) (result i32) i32.const 0)
        (func (export "handle") (param i32 i32) (result i32) i32.const 0))''',
    "wagi": f'''(module {FD_WRITE} (memory (export "memory") 1) (func (export "_start")))''',
    "wasi-command": '''(module (import "env" "host_thing" (func))
        (func (export "_start")))''',
    "wasi-reactor": f'''(module {FD_WRITE} (func (export "_initialize")))''',
    "fastly-compute": f'''(module
        (import "fastly_http_req" "body_downstream_get" (func (param i32 i32) (result i32)))
        (import "fastly_http_resp" "send_downstream" (func (param i32 i32 i32) (result i32)))
        {FD_WRITE} (memory (export "memory") 1) (func (export "_start")))''',
    "extism": '''(module (import "extism:host/env" "input_length" (func (result i64)))
        (memory (export "memory") 1) (func (export "greet") (result i32) i32.const 0))''',
    "proxy-wasm": f'''(module {FD_WRITE}
        (func (export "proxy_abi_version_0_2_0"))
        (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) i32.const 0)
        (func (export "_start")))''',
    "wasm-bindgen": '''(module
        (import "__wbindgen_placeholder__" "__wbindgen_throw" (func (param i32 i32)))
        (memory (export "memory") 1)
        (func (export "__wbindgen_malloc") (param i32 i32) (result i32) i32.const 0))''',
    "go-js": '''(module (import "gojs" "runtime.wasmExit" (func (param i32)))
        (memory (export "mem") 1) (func (export "run") (param i32 i32)))''',
    "wizer": f'''(module {FD_WRITE}
        (func (export "wizer.initialize")) (func (export "_start")))''',
    "unknown": '''(module (func (export "foo")))''',
}

COMPONENTS: dict[str, str] = {
    "wasi-http-0.3": '''(component
        (import "x:y/z@1.0.0" (instance $i (export "handle" (func))))
        (export "wasi:http/handler@0.3.0" (instance $i)))''',
    "wasi-cli-component": '''(component
        (import "x:y/z@1.0.0" (instance $i (export "run" (func (result (result))))))
        (export "wasi:cli/run@0.2.0" (instance $i)))''',
    "component": '''(component
        (type $kv (instance
          (type $r (result (list u8) (error string)))
          (export "get" (func (param "key" string) (result $r)))
          (export "put" (func (param "key" string) (param "value" (list u8))))))
        (import "example:kv/store@1.0.0" (instance $i (type $kv)))
        (export "example:kv/store@1.0.0" (instance $i)))''',
}

CORE["component-core"] = '''(module
    (import "wasi:http/types@0.2.0" "[constructor]fields" (func (result i32)))
    (memory (export "memory") 1)
    (func (export "wasi:http/incoming-handler@0.2.0#handle") (param i32 i32)))'''
