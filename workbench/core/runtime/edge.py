"""The edge ABI call: write the request at `alloc`'s pointer, call `handle`, read the reply.

Return value of `handle` (docs/handler-abi.md):
- `>= 0`: pointer to a u32 little-endian length N followed by N bytes of HTTP/1.1 response;
- `< 0`: the handler declares failure; `-N` is its own error code N (kind "handler").
Pointers and lengths are checked against linear memory; the response is parsed with
`workbench.core.http.parse_response`.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import wasmtime

from workbench.core.http import HttpParseError, Response, parse_response
from workbench.core.runtime.fastcall import FastFunc, MemView, StoreOps
from workbench.core.runtime.result import RunError

PREVIEW = 64
LAST_MAX = 4096  # responses up to this size are remembered per instance (see call_edge)


class EdgeInstance:
    """One instantiated edge module with its fast call handles, ready to serve requests."""

    __slots__ = ("store", "ops", "mem", "memory", "alloc", "handle", "poisoned", "funcs",
                 "exports", "last")

    def __init__(self, store: wasmtime.Store, instance: wasmtime.Instance):
        ex = instance.exports(store)
        self.store = store
        self.ops = StoreOps(store)
        memory = ex["memory"]
        assert isinstance(memory, wasmtime.Memory)
        alloc, handle = ex["alloc"], ex["handle"]
        assert isinstance(alloc, wasmtime.Func) and isinstance(handle, wasmtime.Func)
        self.memory = memory
        self.mem = MemView.of(store, memory)
        self.funcs = {"alloc": alloc, "handle": handle}  # public API objects (bench reference)
        self.exports = ex  # every export, by name (the purity check reads globals)
        self.alloc = FastFunc(store, alloc)
        self.handle = FastFunc(store, handle)
        self.poisoned = False
        # the latest small response and its bytes (None: nothing to reuse yet)
        self.last: tuple[bytes | None, Response | None] = (None, None)


class EdgeOutcome(NamedTuple):
    response: Response | None
    error: RunError | None
    handler_us: float


def call_edge(inst: EdgeInstance, req: bytes, max_response: int) -> EdgeOutcome:
    """One request. Guest traps propagate as exceptions (the harness classifies them)."""
    n = len(req)
    ptr = inst.alloc.call1(n)
    if not inst.mem.write(ptr, req):
        return EdgeOutcome(None, RunError(
            "abi", f"alloc({n}) returned {ptr}, which is outside linear memory "
                   f"({inst.mem.size():,} bytes)"), 0.0)
    t0 = time.perf_counter_ns()
    ret = inst.handle.call2(ptr, n)
    handler_us = (time.perf_counter_ns() - t0) / 1000.0
    if ret < 0:
        return EdgeOutcome(None, RunError(
            "handler", f"handle returned {ret}: the handler reported error code {-ret}"),
            handler_us)
    length, data = inst.mem.read_prefixed(ret, max_response)
    if length < 0:
        return EdgeOutcome(None, RunError(
            "abi", f"handle returned pointer {ret:#x}, outside linear memory "
                   f"({inst.mem.size():,} bytes)"), handler_us)
    if length > max_response:
        return EdgeOutcome(None, RunError(
            "response_too_large", f"response is {length:,} bytes, over the limit of "
                                  f"{max_response:,} (limits.max_response_bytes)"), handler_us)
    if data is None:
        return EdgeOutcome(None, RunError(
            "abi", f"response length {length:,} at {ret:#x} runs past the end of linear "
                   f"memory ({inst.mem.size():,} bytes)"), handler_us)
    last_data, last = inst.last
    if last is not None and data == last_data:  # a static answer (health check, 404,
        return EdgeOutcome(last, None, handler_us)  # JSON): parsed once; it never changes
    try:
        response = parse_response(data)
        if response.header("transfer-encoding") is not None:
            raise HttpParseError("a transfer-encoding header: an edge response is one "
                                 "whole message, its body sent as written (drop the "
                                 "header and any chunk framing)", 0)
        if len(data) <= LAST_MAX:
            inst.last = (data, response)
        return EdgeOutcome(response, None, handler_us)
    except HttpParseError as e:
        return EdgeOutcome(None, RunError("response", f"malformed HTTP response: {e}; "
                                                      f"starts with {preview(data)}"),
                           handler_us)


def preview(data: bytes) -> str:
    """First bytes as text when printable, else hex: enough to recognize the mistake."""
    head = data[:PREVIEW]
    text = head.decode("utf-8", "replace")
    if head and all(c.isprintable() or c in "\r\n\t" for c in text):
        return repr(text) + ("..." if len(data) > PREVIEW else "")
    return "hex " + head.hex(" ") + (" ..." if len(data) > PREVIEW else "")
