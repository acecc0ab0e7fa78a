"""WAGI: a WASI command run per request with the request as CGI environment + stdin and the
response as CGI headers + body on stdout (docs/handler-abi.md, "WAGI").

Every request gets a new instance (a command runs `_start` once): `warm` runs as `fresh`.
The harness compiles and links the module; `WagiRunner` runs one request on it.
"""

from __future__ import annotations

import time
from typing import Any

import wasmtime

from workbench.core.http import Request
from workbench.core.runtime.failures import classify, deadline_error, instantiate_error
from workbench.core.runtime.fastcall import FastFunc, StoreOps
from workbench.core.runtime.hostfns import add_output
from workbench.core.runtime.result import RunError, RunResult
from workbench.core.runtime.run_outcome import RunContext
from workbench.core.runtime.runner import deadline_ticks, fuel_left
from workbench.core.runtime.wagi import WagiIO, parse_cgi


class WagiRunner:
    def __init__(self, ctx: RunContext):
        self.ctx = ctx

    def run(self, request: Request, mode: str, module: wasmtime.Module, pre: Any,
            linker: wasmtime.Linker, timing: dict[str, float], t_start: int,
            hook: dict[str, Any] | None, cache: str | None) -> RunResult:
        """One request: `pre` (InstancePre) for fresh runs, `linker` + `module` for cold."""
        ctx = self.ctx
        st = ctx.host_state
        limits = ctx.limits
        io = WagiIO(request, limits.max_response_bytes,
                    lambda data: add_output(st, data, "error", "stderr"))
        try:
            t0 = time.perf_counter_ns()
            store = ctx.new_store(io.configure(request, ctx.name))
            ctx.touch_ticker()
            try:
                instance = (pre.instantiate(store) if mode != "cold"
                            else linker.instantiate(store, module))
            except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
                timing["instantiate"] = (time.perf_counter_ns() - t0) / 1000
                return ctx.finish(mode, timing, t_start, None, instantiate_error(e, limits),
                                  hook, abi="wagi", cache=cache)
            start = instance.exports(store)["_start"]
            assert isinstance(start, wasmtime.Func)
            fast = FastFunc(store, start)
            ops = StoreOps(store)
            memory = instance.exports(store).get("memory")
            timing["instantiate"] = (time.perf_counter_ns() - t0) / 1000
            ops.set_fuel(limits.fuel)
            ops.set_deadline(deadline_ticks(limits.timeout_ms))
            st.arm(limits.timeout_ms)
            error: RunError | None = None
            t1 = time.perf_counter_ns()
            try:
                fast()
            except wasmtime.ExitTrap as e:
                if e.code != 0:
                    error = RunError("exit", f"the command exited with status {e.code}")
            except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
                mem = memory.data_len(store) if isinstance(memory, wasmtime.Memory) else 0
                error = (deadline_error(limits, st.waiting_in) if st.timed_out
                         else classify(e, limits, mem, ctx.names))
            if st.interrupted:
                raise KeyboardInterrupt
            timing["handler"] = (time.perf_counter_ns() - t1) / 1000
            fuel = limits.fuel - fuel_left(ops)
            mem_bytes = memory.data_len(store) if isinstance(memory, wasmtime.Memory) else 0
            response = None
            if io.overflow:  # the cause, even when the command then trapped or timed out
                error = RunError("response_too_large", f"stdout exceeded "
                                 f"{limits.max_response_bytes:,} bytes "
                                 "(limits.max_response_bytes)")
            elif error is None:
                try:
                    response = parse_cgi(bytes(io.stdout))
                except ValueError as e:
                    error = RunError("response", f"malformed CGI output: {e}")
            return ctx.finish(mode, timing, t_start, response, error, hook, fuel=fuel,
                              memory=mem_bytes, abi="wagi", cache=cache)
        finally:
            io.close()
