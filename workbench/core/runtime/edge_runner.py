"""The edge ABI's runner: instances of a compiled edge module and one request on them.

The harness compiles and links the module (and is the facade every front end calls);
`EdgeRunner` instantiates it (fresh and cold: per request; warm: one instance kept until
a trap, timeout, fuel, memory or host failure poisons it), sets fuel and the epoch
deadline before each call and turns the call's outcome into the `RunResult` through the
harness's `finish`, like the WAGI, component and Extism runners.

`run_inline` is the dev server's path (services/serve/inline.py): the warm instance
called on the caller's thread within a fuel budget and the inline watchdog's CPU-time
stop (watchdog.py), giving up (a string saying why) rather than waiting or writing.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import wasmtime

from workbench.core.http import Request, Response
from workbench.core.runtime import engine as E  # noqa: N812
from workbench.core.runtime.edge import EdgeInstance, call_edge
from workbench.core.runtime.failures import classify, deadline_error, instantiate_error
from workbench.core.runtime.result import RunError, RunResult
from workbench.core.runtime.runner import edge_wasi, fuel_left

if TYPE_CHECKING:
    from workbench.core.runtime.harness import Harness
    from workbench.core.runtime.hostfns import HostState
    from workbench.core.runtime.watchdog import InlineWatchdog


class EdgeRunner:
    def __init__(self, harness: Harness):
        self.h = harness
        self.warm: EdgeInstance | None = None  # the warm instance, None until one is made
        self._watchdog: InlineWatchdog | None = None  # made by the first inline run

    def instantiate(self, module: wasmtime.Module | None, st: HostState
                    ) -> EdgeInstance | RunError:
        """A new instance (`module` for cold: the freshly compiled one, linked like a
        platform would; else the harness's pre-linked module)."""
        h = self.h
        assert h._abi is not None and h._linker is not None
        store = h.new_store(edge_wasi(st) if h._abi.wasi else None)
        h.touch_ticker()
        try:
            if module is None:
                instance = h._pre.instantiate(store)
            else:
                instance = h._linker.instantiate(store, module)
            return EdgeInstance(store, instance)
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            st = h.host_state
            if st.interrupted:
                raise KeyboardInterrupt from None
            return (deadline_error(h.limits, st.waiting_in) if st.timed_out
                    else instantiate_error(e, h.limits))

    def run(self, request: Request, mode: str, module: wasmtime.Module,
            timing: dict[str, float], t_start: int, hook: dict[str, Any] | None,
            cache: str | None) -> RunResult:
        """One request in `mode` (the harness has compiled, linked and begun the state)."""
        inst = self.warm if mode == "warm" else None
        if inst is None:
            t0 = time.perf_counter_ns()
            created = self.instantiate(module if mode == "cold" else None, self.h.host_state)
            timing["instantiate"] = (time.perf_counter_ns() - t0) / 1000
            if isinstance(created, RunError):
                return self.h.finish(mode, timing, t_start, None, created, hook, cache=cache)
            inst = created
            if mode == "warm":
                self.warm = inst
        result = self.call(inst, request, mode, timing, t_start, hook, cache)
        assert result is not None  # only a fuel-budgeted (inline) call gives up
        return result

    def run_inline(self, request: Request, fuel_budget: int) -> RunResult | str:
        """The warm instance on the caller's thread (the harness holds its lock): see
        Harness.run_inline for the strings that say why not."""
        inst = self.warm
        h = self.h
        if inst is None or h.chaos.chaos.latency_ms:
            return "not warm"
        if self._watchdog is None:
            self._watchdog = E.inline_watchdog()
        result = self.call(inst, request, "warm", {}, time.perf_counter_ns(), None, None,
                           budget=min(fuel_budget, h.limits.fuel))
        if result is None:
            return h.host_state.needs_worker or "budget"
        return result

    def call(self, inst: EdgeInstance, request: Request, mode: str,
             timing: dict[str, float], t_start: int, hook: dict[str, Any] | None,
             cache: str | None, budget: int | None = None) -> RunResult | None:
        """One request on an edge instance. `budget`: an inline run (None when it gave up:
        the instance is dropped and `needs_worker` says why)."""
        h = self.h
        limits = h.limits
        st = h.host_state
        ops = inst.ops
        error: RunError | None = None
        response: Response | None = None
        fuel = limits.fuel if budget is None else budget
        inline = budget is not None
        if inline:
            st.begin()
            st.inline = True
        watchdog = self._watchdog if inline else None
        t_call = time.perf_counter_ns()
        try:
            ops.set_fuel(fuel)
            if watchdog is not None:  # inline: bounded by fuel and by the watchdog
                ops.set_deadline(watchdog.begin())
            else:
                ops.set_deadline(h._ticks)
                h.touch_ticker()
                st.arm(limits.timeout_ms)
            out = call_edge(inst, h.request_bytes(request), limits.max_response_bytes)
            timing["handler"] = out.handler_us
            response, error = out.response, out.error
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            timing["handler"] = (time.perf_counter_ns() - t_call) / 1000
            error = (deadline_error(limits, st.waiting_in) if st.timed_out
                     else classify(e, limits, inst.mem.size(), h.names))
            inst.poisoned = True
        finally:
            st.inline = False
            if watchdog is not None:
                watchdog.end()
        used = fuel - fuel_left(ops)
        if inline and error is not None and not st.needs_worker:
            if error.kind == "fuel" and fuel < limits.fuel:
                st.needs_worker = "budget"  # its own limit may still be far
            elif error.kind == "timeout":
                st.needs_worker = "time"  # the watchdog stopped it (watchdog.py)
        if inline and st.needs_worker:
            inst.poisoned = True  # stopped midway: its memory is no longer a clean start
            if self.warm is inst:
                self.warm = None
            return None
        if st.host_error and error is None:
            error = RunError("host", st.host_error)
        if error is not None and error.kind == "host":
            inst.poisoned = True
        if inst.poisoned and self.warm is inst:
            self.warm = None
        if st.interrupted:  # Ctrl-C inside a WASI sleep: the instance is already dropped
            raise KeyboardInterrupt
        return h.finish(mode, timing, t_start, response, error, hook, fuel=used,
                        memory=inst.mem.size(), cache=cache)
