"""One request through a harness, after hooks: the per-mode paths and their timings.

Split from harness.py to keep each file small; these functions are the harness's private
methods in all but name (they read its compiled module, linker, warm instance).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any

import wasmtime

from workbench.core.errors import MalformedModule
from workbench.core.http import Request, Response
from workbench.core.runtime import engine as E  # noqa: N812
from workbench.core.runtime.edge import EdgeInstance, call_edge
from workbench.core.runtime.failures import classify, instantiate_error
from workbench.core.runtime.fastcall import FastFunc, StoreOps
from workbench.core.runtime.hostfns import HostState
from workbench.core.runtime.result import RunError, RunResult
from workbench.core.runtime.secrets import Secrets
from workbench.core.runtime.wagi import WagiIO, parse_cgi

if TYPE_CHECKING:
    from workbench.core.runtime.harness import Harness


def deadline_ticks(timeout_ms: float) -> int:
    return max(1, math.ceil(timeout_ms / (E.TICK_S * 1000))) + 1


def run_once(h: Harness, request: Request, mode: str, timing: dict[str, float],
             t_start: int, hook: dict[str, Any] | None) -> RunResult:
    st = h._state
    st.begin()
    h.kv.refresh()  # picks up `workbench kv put/reset` from another process (throttled)
    cache = None
    try:
        if mode == "cold":
            module, phase, cache, us = h._compile(not h.chaos.chaos.force_cache_miss)
            timing[phase] = us
            if cache == "bypass":
                st.chaos.faults.append("cache_miss:forced")
            if h._module is None:  # first use of this harness: ABI check + linking
                t0 = time.perf_counter_ns()
                h._ensure(module)
                timing["link"] = (time.perf_counter_ns() - t0) / 1000
        elif h._module is None:
            # Once per harness, before the first fresh/warm request: compile (or load
            # from the cache) and link. Reported as `prepare`, outside `total`: fresh and
            # warm measure a request to an already compiled module.
            t0 = time.perf_counter_ns()
            module = h._ensure()
            prep = time.perf_counter_ns() - t0
            timing["prepare"] = prep / 1000
            t_start += prep
        else:
            module = h._module
    except MalformedModule as e:
        return _result(h, mode, timing, t_start, None,
                       RunError("malformed", str(e)), hook)
    rep = h._abi
    assert rep is not None
    if not rep.ok:
        return _result(h, mode, timing, t_start, None,
                       RunError("abi", "; ".join(rep.problems)), hook, abi=rep.name)
    if rep.name == "wagi":
        return _run_wagi(h, request, "fresh" if mode == "warm" else mode, module, timing,
                         t_start, hook, cache)
    inst: EdgeInstance | None = h._warm if mode == "warm" else None
    if inst is None:
        t0 = time.perf_counter_ns()
        created = _instantiate_edge(h, module if mode == "cold" else None, st)
        timing["instantiate"] = (time.perf_counter_ns() - t0) / 1000
        if isinstance(created, RunError):
            return _result(h, mode, timing, t_start, None, created, hook, cache=cache)
        inst = created
        if mode == "warm":
            h._warm = inst
    limits = h.limits
    ops = inst.ops
    error: RunError | None = None
    response: Response | None = None
    fuel = 0
    try:
        ops.set_fuel(limits.fuel)
        ops.set_deadline(deadline_ticks(limits.timeout_ms))
        h._ticker.touch(limits.timeout_ms / 1000)
        t_call = time.perf_counter_ns()
        out = call_edge(inst, h.request_bytes(request), limits.max_response_bytes)
        timing["handler"] = out.handler_us
        response, error = out.response, out.error
    except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
        timing["handler"] = (time.perf_counter_ns() - t_call) / 1000
        error = classify(e, limits, inst.mem.size(), h.names)
        inst.poisoned = True
    fuel = limits.fuel - _fuel_left(ops)
    if st.host_error and error is None:
        error = RunError("host", st.host_error)
    if error is not None and error.kind in ("host",):
        inst.poisoned = True
    if inst.poisoned and h._warm is inst:
        h._warm = None
    return _result(h, mode, timing, t_start, response, error, hook, fuel=fuel,
                   memory=inst.mem.size(), cache=cache)


def _fuel_left(ops: StoreOps) -> int:
    try:
        return ops.get_fuel()
    except wasmtime.WasmtimeError:
        return 0


def _new_store(h: Harness, wasi: wasmtime.WasiConfig | None) -> wasmtime.Store:
    store = wasmtime.Store(h._engine)
    store.set_limits(memory_size=h.limits.memory_bytes)
    if wasi is not None:
        store.set_wasi(wasi)
    store.set_fuel(h.limits.fuel)  # a start function runs at instantiation
    store.set_epoch_deadline(deadline_ticks(h.limits.timeout_ms))
    return store


def _edge_wasi(st: HostState) -> wasmtime.WasiConfig:
    """Edge modules built for wasm32-wasi: stdout/stderr become log lines, nothing else."""
    cfg = wasmtime.WasiConfig()
    cfg.stdout_custom = lambda b: _lines(st, b, "info", "stdout")
    cfg.stderr_custom = lambda b: _lines(st, b, "error", "stderr")
    return cfg


def _lines(st: HostState, data: bytes, level: str, source: str) -> int:
    for line in data.decode("utf-8", "replace").splitlines():
        if line.strip():
            st.add_log(level, line, source)
    return len(data)


def _instantiate_edge(h: Harness, module: wasmtime.Module | None, st: HostState
                      ) -> EdgeInstance | RunError:
    rep = h._abi
    assert rep is not None and h._linker is not None
    store = _new_store(h, _edge_wasi(st) if rep.wasi else None)
    h._ticker.touch(h.limits.timeout_ms / 1000)
    try:
        if module is None:
            instance = h._pre.instantiate(store)
        else:  # cold: the freshly compiled/loaded module, linked like a platform would
            instance = h._linker.instantiate(store, module)
        return EdgeInstance(store, instance)
    except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
        return instantiate_error(e, h.limits)


def _run_wagi(h: Harness, request: Request, mode: str, module: wasmtime.Module,
              timing: dict[str, float], t_start: int, hook: dict[str, Any] | None,
              cache: str | None) -> RunResult:
    st = h._state
    limits = h.limits
    io = WagiIO(request, limits.max_response_bytes, lambda line: st.add_log("error", line,
                                                                            "stderr"))
    try:
        t0 = time.perf_counter_ns()
        store = _new_store(h, io.configure(request, h.name))
        h._ticker.touch(limits.timeout_ms / 1000)
        try:
            instance = (h._pre.instantiate(store) if mode != "cold"
                        else h._linker.instantiate(store, module))  # type: ignore[union-attr]
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            timing["instantiate"] = (time.perf_counter_ns() - t0) / 1000
            return _result(h, mode, timing, t_start, None,
                           instantiate_error(e, limits), hook, abi="wagi", cache=cache)
        start = instance.exports(store)["_start"]
        assert isinstance(start, wasmtime.Func)
        fast = FastFunc(store, start)
        ops = StoreOps(store)
        memory = instance.exports(store).get("memory")
        timing["instantiate"] = (time.perf_counter_ns() - t0) / 1000
        ops.set_fuel(limits.fuel)
        ops.set_deadline(deadline_ticks(limits.timeout_ms))
        error: RunError | None = None
        t1 = time.perf_counter_ns()
        try:
            fast()
        except wasmtime.ExitTrap as e:
            if e.code != 0:
                error = RunError("exit", f"the command exited with status {e.code}")
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            mem = memory.data_len(store) if isinstance(memory, wasmtime.Memory) else 0
            error = classify(e, limits, mem, h.names)
        timing["handler"] = (time.perf_counter_ns() - t1) / 1000
        fuel = limits.fuel - _fuel_left(ops)
        mem_bytes = memory.data_len(store) if isinstance(memory, wasmtime.Memory) else 0
        response = None
        if error is None:
            if io.overflow:
                error = RunError("response_too_large", f"stdout exceeded "
                                 f"{limits.max_response_bytes:,} bytes "
                                 "(limits.max_response_bytes)")
            else:
                try:
                    response = parse_cgi(bytes(io.stdout))
                except ValueError as e:
                    error = RunError("response", f"malformed CGI output: {e}")
        return _result(h, mode, timing, t_start, response, error, hook, fuel=fuel,
                       memory=mem_bytes, abi="wagi", cache=cache)
    finally:
        io.close()


def _result(h: Harness, mode: str, timing: dict[str, float], t_start: int,
            response: Response | None, error: RunError | None, hook: dict[str, Any] | None,
            *, fuel: int = 0, memory: int = 0, abi: str = "edge",
            cache: str | None = None) -> RunResult:
    st = h._state
    timing["total"] = (time.perf_counter_ns() - t_start) / 1000
    secrets = h.secrets
    if secrets:
        response = redact_response(secrets, response)
        if error is not None:
            error = RunError(error.kind, secrets.redact(error.message), error.backtrace)
        if hook is not None:
            hook = secrets.redact_json(hook)
    if st.dropped_logs:
        st.logs.append(st.logs[-1]._replace(
            level="warn", message=f"[workbench] {st.dropped_logs} more log lines dropped",
            fields=None))
    try:
        h.kv.flush()  # after the timings: a disk write is not the handler's latency
    except OSError as e:
        st.add_log("error", f"[workbench] could not save the KV store: {e}")
    return RunResult(response, timing, mode, abi, fuel, memory, tuple(st.logs), error,
                     tuple(st.chaos.faults), hook, h.name, cache)


def redact_response(secrets: Secrets, response: Response | None) -> Response | None:
    """The response with every secret value replaced (headers, body, reason phrase)."""
    if response is None or not secrets:
        return response
    return Response(response.status,
                    tuple((k, secrets.redact(v)) for k, v in response.headers),
                    secrets.redact_bytes(response.body), secrets.redact(response.reason))
