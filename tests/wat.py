"""Compile inline WAT to wasm bytes for tests (wasmtime-py's approach)."""

from __future__ import annotations

import wasmtime


def wat(text: str) -> bytes:
    return bytes(wasmtime.wat2wasm(text))
