"""Inline-WAT edge and WAGI handlers for the runtime tests.

`edge(body)` wraps handler code in a module with the edge exports and two helpers:
`$out (slot, i32)` stores a value in body slot N, `$finish (nslots) -> ptr` returns a
response "HTTP/1.1 200 OK\\r\\n\\r\\n" + 4 bytes LE per slot. `$echo` returns the request.
"""

from __future__ import annotations

from tests.wat import wat

IMPORTS = """
  (import "edge" "log" (func $log (param i32 i32 i32)))
  (import "edge" "kv_get" (func $kv_get (param i32 i32 i32 i32) (result i32)))
  (import "edge" "kv_put" (func $kv_put (param i32 i32 i32 i32) (result i32)))
  (import "edge" "kv_delete" (func $kv_delete (param i32 i32) (result i32)))
  (import "edge" "secret_get" (func $secret_get (param i32 i32 i32 i32) (result i32)))
  (import "edge" "now_ms" (func $now_ms (result i64)))
  (import "edge" "random_fill" (func $random_fill (param i32 i32) (result i32)))
"""

PREFIX = "HTTP/1.1 200 OK\\0d\\0a\\0d\\0a"  # 19 bytes, WAT string escapes


def edge(body: str, *, data: str = "", imports: bool = False, pages: int = 2,
         extra: str = "") -> bytes:
    return wat(f"""
(module
  {IMPORTS if imports else ""}
  (memory (export "memory") {pages})
  (data (i32.const 8196) "{PREFIX}")
  {data}
  (func (export "alloc") (param i32) (result i32) (i32.const 16384))
  (func $out (param $i i32) (param $v i32)
    (i32.store (i32.add (i32.const 8215) (i32.mul (local.get $i) (i32.const 4)))
               (local.get $v)))
  (func $finish (param $n i32) (result i32)
    (i32.store (i32.const 8192) (i32.add (i32.const 19) (i32.mul (local.get $n) (i32.const 4))))
    (i32.const 8192))
  (func $echo (param $p i32) (param $n i32) (result i32)
    (memory.copy (i32.const 8215) (local.get $p) (local.get $n))
    (i32.store (i32.const 8192) (i32.add (i32.const 19) (local.get $n)))
    (i32.const 8192))
  {extra}
  (func $handle (export "handle") (param $p i32) (param $n i32) (result i32)
    {body})
)""")


def static_response(text: bytes) -> str:
    """A data segment at 4096 holding u32 length + `text`; return (i32.const 4096)."""
    raw = len(text).to_bytes(4, "little") + text
    esc = "".join(f"\\{b:02x}" for b in raw)
    return f'(data (i32.const 4096) "{esc}")'


def slots(body: bytes) -> list[int]:
    """Decode the i32 slots of a `$finish` response body."""
    return [int.from_bytes(body[i:i + 4], "little", signed=True)
            for i in range(0, len(body), 4)]


WASI = """
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get"
    (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get"
    (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
"""


def wagi(start_body: str, *, data: str = "") -> bytes:
    """A WASI command. `$write (ptr, len)` writes to stdout; `$write_err` to stderr."""
    return wat(f"""
(module
  {WASI}
  (memory (export "memory") 2)
  {data}
  (func $write_fd (param $fd i32) (param $p i32) (param $n i32)
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $write (param $p i32) (param $n i32)
    (call $write_fd (i32.const 1) (local.get $p) (local.get $n)))
  (func $write_err (param $p i32) (param $n i32)
    (call $write_fd (i32.const 2) (local.get $p) (local.get $n)))
  (func (export "_start") {start_body})
)""")


def wdata(offset: int, text: bytes) -> str:
    esc = "".join(f"\\{b:02x}" for b in text)
    return f'(data (i32.const {offset}) "{esc}")'
