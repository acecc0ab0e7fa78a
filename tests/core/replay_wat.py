"""Inline WAT edge handlers that answer a fixed HTTP response (for replay tests)."""

from __future__ import annotations

import struct

from tests.wat import wat


def _escape(data: bytes) -> str:
    return "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\{b:02x}"
                   for b in data)


def fixed_handler(response: bytes) -> bytes:
    """An edge module whose handle() always returns `response` (u32 LE length + bytes)."""
    blob = struct.pack("<I", len(response)) + response
    return wat(f"""
(module
  (memory (export "memory") 1)
  (data (i32.const 1024) "{_escape(blob)}")
  (global $next (mut i32) (i32.const 8192))
  (func (export "alloc") (param $n i32) (result i32)
    (local $p i32) (local.set $p (global.get $next))
    (global.set $next (i32.add (global.get $next) (local.get $n))) (local.get $p))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 1024)))
""")


TRAPPING = """
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 4096))
  (func (export "handle") (param i32 i32) (result i32) unreachable))
"""


def http(status: int, body: str, **headers: str) -> bytes:
    head = f"HTTP/1.1 {status} X\r\n" + "".join(f"{k.replace('_', '-')}: {v}\r\n"
                                                 for k, v in headers.items())
    return (head + f"content-length: {len(body.encode())}\r\n\r\n").encode() + body.encode()
