"""One wasi:http/proxy instance: a store, its host state, and `serve(request)`.

`serve` resets fuel and the epoch deadline, calls `wasi:http/incoming-handler#handle`
and turns what happened into a `ServeOutcome` value: the response, or a `RunError` for a
trap, timeout, fuel, exit, a missing response, a body over the limit. Never raises for
guest failures.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import wasmtime
import wasmtime.component as wc

from workbench.core.http import Request, Response
from workbench.core.runtime.component import capi
from workbench.core.runtime.component.convert import error_code_text, incoming, response
from workbench.core.runtime.component.failures import classify
from workbench.core.runtime.component.http import OutgoingResponse, ResponseOutparam
from workbench.core.runtime.component.session import set_session
from workbench.core.runtime.component.state import ComponentState
from workbench.core.runtime.engine import TICK_S, EpochTicker
from workbench.core.runtime.limits import Limits
from workbench.core.runtime.result import RunError

HANDLER = "wasi:http/incoming-handler"
# Host objects a warm instance may keep alive between requests. A guest that never drops
# its `incoming-request` (or fields, streams...) grows the store's table by ~600 bytes a
# request; past this many the instance is replaced (fresh and cold runs drop theirs).
MAX_LIVE_HANDLES = 1000


@dataclass(frozen=True, slots=True)
class ServeOutcome:
    response: Response | None
    error: RunError | None
    handler_us: float
    host_us: float  # inside host functions during the call (part of handler_us)
    fuel: int


def deadline_ticks(timeout_ms: float) -> int:
    return max(1, math.ceil(timeout_ms / (TICK_S * 1000))) + 1


def handler_export(component: wc.Component, engine: wasmtime.Engine) -> str | None:
    """The exported incoming-handler's full name (any 0.2.x version), or None."""
    for name in component.type.exports(engine):
        if name.split("@", 1)[0] == HANDLER and name.partition("@")[2].startswith("0.2"):
            return name
    return None


class ProxyInstance:
    def __init__(self, engine: wasmtime.Engine, linker: wc.Linker, component: wc.Component,
                 export: str, limits: Limits, state: ComponentState, ticker: EpochTicker):
        self.state, self.limits, self.ticker = state, limits, ticker
        self.poisoned = False
        store = self.store = wasmtime.Store(engine)
        # memory_bytes caps each linear memory, table_elements each table (as for core
        # modules); the counts of instances, tables and memories stay unlimited: a
        # component is many core instances by design (componentize-py: 14 modules).
        store.set_limits(memory_size=limits.memory_bytes,
                         table_elements=limits.table_elements)
        store.set_fuel(limits.fuel)
        store.set_epoch_deadline(deadline_ticks(limits.timeout_ms))
        ticker.touch(limits.timeout_ms / 1000)
        set_session(state)
        try:
            inst = linker.instantiate(store, component)
        finally:
            set_session(None)
        iface = inst.get_export_index(store, export)
        idx = inst.get_export_index(store, "handle", iface) if iface else None
        func = inst.get_func(store, idx) if idx else None
        if func is None:
            raise wasmtime.WasmtimeError(f"`{export}` exports no function `handle`")
        self.handle = capi.ExportFunc(store, func)

    def serve(self, request: Request) -> ServeOutcome:
        st, limits, store = self.state, self.limits, self.store
        st.begin(limits.timeout_ms / 1000)
        req = incoming(request)
        error: RunError | None = None
        store.set_fuel(limits.fuel)
        store.set_epoch_deadline(deadline_ticks(limits.timeout_ms))
        self.ticker.touch(limits.timeout_ms / 1000)
        set_session(st)
        t0 = time.perf_counter_ns()
        try:
            self.handle(store, req, ResponseOutparam())
            self.handle.post_return(store)
        except wasmtime.WasmtimeError as e:
            error = classify(e, st.failure, limits)
        finally:
            handler_us = (time.perf_counter_ns() - t0) / 1000
            set_session(None)
        st.flush_lines()
        fuel = limits.fuel - _fuel_left(store)
        live = len(st.objects)
        if live > MAX_LIVE_HANDLES:  # a warm store would keep them for ever
            self.poisoned = True
            st.log("warn", f"[workbench] the handler holds {live:,} resource handles it "
                   "never dropped (requests, fields, streams...): its warm instance is "
                   "replaced to free them", "log")
        if error is not None and self._overflowed():  # the cause, not the timeout after
            error = _too_large(self.limits)
        if error is not None:
            if error.kind != "exit" or "status 0" not in error.message:
                self.poisoned = True
                return ServeOutcome(None, error, handler_us, st.host_ns / 1000, fuel)
            error = None  # exit(ok) ends the handler; whatever it answered stands
        resp, error = self._response()
        return ServeOutcome(resp, error, handler_us, st.host_ns / 1000, fuel)

    def _overflowed(self) -> bool:
        """Whether the response set so far had its body cut at the limit."""
        out = self.state.response
        if out is None or out[0] != "ok" or not isinstance(out[1], OutgoingResponse):
            return False
        return out[1].body is not None and out[1].body.overflow

    def _response(self) -> tuple[Response | None, RunError | None]:
        out = self.state.response
        if out is None:
            return None, RunError("response", "the handler returned without calling "
                                  "response-outparam.set (no response)")
        tag, value = out
        if tag == "err":
            return None, RunError("handler", "the handler answered with error-code "
                                  + error_code_text(value))
        assert isinstance(value, OutgoingResponse)
        body = value.body
        if body is not None and body.overflow:
            return None, _too_large(self.limits)
        if body is not None and not body.finished:
            self.state.log("warn", "[workbench] outgoing-body.finish was not called: the "
                           "response body may be incomplete", "log")
        return response(value), None


def _too_large(limits: Limits) -> RunError:
    return RunError("response_too_large", f"response body exceeded "
                    f"{limits.max_response_bytes:,} bytes (limits.max_response_bytes)")


def _fuel_left(store: wasmtime.Store) -> int:
    try:
        return store.get_fuel()
    except wasmtime.WasmtimeError:
        return 0
