"""Export every mutable defined global, so the check can read it between requests.

wasmtime reads only exported globals. The purity check runs a copy of the module with
one extra export per mutable global, `__wb_global_N` (N its index); nothing else changes,
and the copy is never written to disk.
"""

from __future__ import annotations

from workbench.core.wasm.leb import encode_u, u32
from workbench.core.wasm.model import Module

PREFIX = "__wb_global_"
_AFTER_EXPORT = {8, 9, 12, 10, 11}  # start, element, datacount, code, data


def _sections(data: bytes) -> list[tuple[int, bytes]]:
    out, p = [], 8
    while p < len(data):
        size, q = u32(data, p + 1)
        out.append((data[p], data[q:q + size]))
        p = q + size
    return out


def export_globals(data: bytes, module: Module, indices: list[int]) -> bytes:
    if not indices:
        return data
    extra = b""
    for i in indices:
        name = f"{PREFIX}{i}".encode()
        extra += encode_u(len(name)) + name + b"\x03" + encode_u(i)
    secs = _sections(data)
    out = bytearray(data[:8])
    done = False
    for sid, payload in secs:
        if sid == 7:
            n, p = u32(payload, 0)
            payload = encode_u(n + len(indices)) + payload[p:] + extra
            done = True
        elif sid in _AFTER_EXPORT and not done:
            body = encode_u(len(indices)) + extra
            out += b"\x07" + encode_u(len(body)) + body
            done = True
        out += bytes([sid]) + encode_u(len(payload)) + payload
    if not done:
        body = encode_u(len(indices)) + extra
        out += b"\x07" + encode_u(len(body)) + body
    return bytes(out)
