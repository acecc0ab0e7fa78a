"""The harness: one module, run request by request in cold, fresh or warm mode.

- cold: compile (or load from the on-disk cache) + instantiate + call;
- fresh: new store and instance from the already-compiled module + call (what edge
  platforms do per request);
- warm: reuse one instance; it is thrown away after a trap, timeout, fuel or memory
  failure so the next request starts clean.

Limits are reset before every call (fuel, epoch deadline); handler failures come back as
`RunResult.error`, never as exceptions. One run at a time per harness (a lock).

The harness is the facade every front end calls (run, bench, check, precheck): it runs
hooks, refuses a non-handler from the parsed binary, compiles and links core modules,
and hands each request to its ABI's runner (edge_runner.EdgeRunner: instances, the call,
inline runs; wagi_runner.WagiRunner; component/runner.ComponentRunner;
extism/runner.ExtismRunner), which all return the same RunResult through `finish`.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import wasmtime

from workbench.core.abi.detect import AbiReport, detect_abi
from workbench.core.errors import AbiMismatch, CannotInstantiate, MalformedModule
from workbench.core.files import FileRefused, read_wasm
from workbench.core.http import Request, Response
from workbench.core.runtime import engine as E  # noqa: N812
from workbench.core.runtime.chaos import ChaosState
from workbench.core.runtime.compile import compile_module, detect_compiled
from workbench.core.runtime.component.detect import is_component
from workbench.core.runtime.edge import LAST_MAX, EdgeInstance
from workbench.core.runtime.edge_runner import EdgeRunner
from workbench.core.runtime.failures import (
    classify,
    first_line,
    function_names,
    instantiate_error,
)
from workbench.core.runtime.host_config import HostConfig
from workbench.core.runtime.hostfns import HostState, define_host_functions
from workbench.core.runtime.kv import KvStore
from workbench.core.runtime.limits import Chaos, Limits
from workbench.core.runtime.response_check import dropped_body_note, response_problem
from workbench.core.runtime.result import BenchResult, RunError, RunResult
from workbench.core.runtime.runner import (
    deadline_ticks,
    redact_response,
)
from workbench.core.runtime.secrets import Secrets
from workbench.core.runtime.wagi_runner import WagiRunner
from workbench.core.runtime.wasi_clock import define_wasi_clock
from workbench.core.wasm.reader import parse_module

if TYPE_CHECKING:
    from workbench.core.runtime.bench import BenchOptions
    from workbench.core.runtime.component.outbound import Outbound
    from workbench.core.runtime.component.runner import ComponentRunner
    from workbench.core.runtime.component.runtime import ComponentRuntime
    from workbench.core.runtime.extism.runner import ExtismRunner
    from workbench.core.runtime.extism.runtime import ExtismRuntime

MODES = ("cold", "fresh", "warm")


def read_module_file(path: Path) -> bytes:
    """The bytes of a module file, or a FileRefused saying why it cannot be read (not
    "malformed": the file may be a fine module that this user may not read)."""
    try:
        return read_wasm(path)
    except FileRefused as err:
        denied = "ermission" in err.message
        raise FileRefused(f"cannot read the module: {err.message.removeprefix('cannot read: ')}",
                          file=str(path),
                          hint=err.hint or ("give yourself read access (chmod u+r FILE), or "
                                            "run as the user who built it" if denied else
                                            "check the path and that the module was built")
                          ) from None


class Harness:
    def __init__(self, wasm: bytes | Path, *, limits: Limits | None = None,
                 chaos: Chaos | None = None, kv: KvStore | None = None,
                 secrets: Secrets | None = None, cache_dir: Path | None = None,
                 name: str | None = None, outbound: Outbound | None = None,
                 host: HostConfig | None = None):
        self.path: Path | None = None
        if isinstance(wasm, Path | str):
            path = self.path = Path(wasm)
            wasm = read_module_file(path)
            name = name or path.stem
        self.wasm: bytes = bytes(wasm)
        self.name = name or "module"
        self.limits = limits or Limits()
        self._ticks = deadline_ticks(self.limits.timeout_ms)  # the epoch deadline of a call
        self.chaos = ChaosState(chaos or Chaos())
        self.kv = kv if kv is not None else KvStore(None)
        self.secrets = secrets if secrets is not None else Secrets()
        self.cache_dir = Path(cache_dir) if cache_dir else E.default_cache_dir()
        self.key = E.cache_key(self.wasm)
        self._engine = E.engine()
        self._ticker = E.ticker()
        self._lock = threading.Lock()
        self._state = HostState(self.kv, self.secrets, self.chaos, self.limits)
        self._module: wasmtime.Module | None = None
        self._abi: AbiReport | None = None
        self._pre_abi: AbiReport | None = None  # from the parsed binary, before compiling
        self._linker: wasmtime.Linker | None = None
        self._pre: Any = None
        self._names: dict[int, str] | None = None
        self._req_cache: tuple[Request | None, bytes] = (None, b"")
        self._sendable: Response | None = None  # the latest response that passed the check
        self._host_callbacks: list[Any] = []  # raw ctypes callbacks the linker points to
        # A wasi:http/proxy component runs on its own runtime (runtime/component/);
        # `outbound` stubs answer its outgoing HTTP requests (never the network).
        # `host` carries module.toml's outbound stubs and Extism export (host_config.py);
        # an explicit `outbound` wins over host.outbound.
        self.is_component = is_component(self.wasm)
        self.host = host or HostConfig()
        self.outbound = outbound if outbound is not None else self.host.outbound
        # Runners of the other ABIs (created on first use; WAGI's once linked): the
        # harness compiles, links and runs edge modules itself and is their facade.
        self._components: ComponentRunner | None = None
        self._extism: ExtismRunner | None = None
        self._wagi: WagiRunner | None = None
        self.edge = EdgeRunner(self)  # edge modules: instances, the call, inline runs

    # -- compile, cache, detect -------------------------------------------------------

    def _compile(self, use_cache: bool) -> tuple[wasmtime.Module, str, str, float]:
        """(module, phase name, cache outcome, microseconds)."""
        return compile_module(self._engine, self.wasm, cache_dir=self.cache_dir, key=self.key,
                              use_cache=use_cache, where=self._where)

    @property
    def _where(self) -> str:
        return str(self.path) if self.path is not None else self.name

    def _ensure(self, compiled: wasmtime.Module | None = None) -> wasmtime.Module:
        """The module for fresh/warm runs (adopting a cold run's `compiled` if first)."""
        if self._module is None:
            self._module = compiled or self._compile(not self.chaos.chaos.force_cache_miss)[0]
            self._abi = detect_compiled(self._module)
            if self._abi.ok and self._abi.name != "extism":  # Extism links its own
                self._linker = self._make_linker()
                try:
                    self._pre = self._linker.instantiate_pre(self._module)
                except wasmtime.WasmtimeError as e:  # an import no host function defines
                    self._abi = dataclasses.replace(self._abi, problems=(
                        f"cannot be linked: {first_line(str(e))}",))
        return self._module

    def precheck(self) -> AbiReport | None:
        """The ABI decided from the parsed binary, before any compile (None for WAT text).

        A 15 MB module that is no handler is refused in the time `inspect` takes to read
        it, instead of compiling it for a minute and leaving a cache entry behind. A
        component that is not a wasi:http/proxy 0.2 handler (a WASI 0.3 handler, a
        command, another world) is refused the same way, with its platform named."""
        if self._pre_abi is None and self.wasm[:4] == b"\0asm":
            self._pre_abi = detect_abi(parse_module(self.wasm, file=self._where))
        return self._pre_abi

    def runs_as(self, mode: str) -> str:
        """The mode a request asked for in `mode` runs in: warm is fresh for a component
        that answers one request per instance (ComponentizeJS/StarlingMonkey)."""
        if mode != "warm" or not self.is_component:
            return mode
        early = self.precheck()
        platform = early.platform if early is not None else None
        return "fresh" if platform is not None and platform.fresh_only else mode

    @property
    def abi(self) -> AbiReport:
        """The module's ABI (compiles on first use; raises MalformedModule)."""
        if self.is_component:
            early = self.precheck()
            if early is not None and not early.ok:
                return early
            if self._abi is None:
                self._abi = self._component_runner().report(
                    not self.chaos.chaos.force_cache_miss)
            return self._abi
        early = self.precheck()
        if early is not None and (not early.ok or early.name == "extism"):
            return early
        self._ensure()
        assert self._abi is not None
        return self._abi

    def check(self) -> AbiReport:
        """For the CLI: raise a typed error when the module cannot be run at all."""
        rep = self.abi
        if not rep.ok:
            raise AbiMismatch("; ".join(rep.problems), where=self._where,
                              hint="see docs/handler-abi.md for the edge and WAGI ABIs "
                                   "and wasi:http/proxy components")
        if rep.name == "extism":
            self.extism_runtime().check()  # ExtismMissing names the extra to install
        return rep

    def check_instantiates(self) -> None:
        """After `check`: raise CannotInstantiate when no instance of this edge module can
        be made (one instance is made and dropped, host functions on a scratch state), so
        a server refuses it up front instead of answering every request with the error.
        Other ABIs make their instances elsewhere; they are not tried here."""
        if self.abi.name != "edge":
            return
        with self.scratch_host_state() as st:
            made = self.instantiate_edge(None, st)
        if isinstance(made, RunError):
            if made.kind == "trap" and not self._has_start():  # wasmtime says "start"
                made = RunError("trap", "an active data or element segment does not fit its "
                                "memory or table: " + made.message.split(": ", 1)[-1])
            hints = {"memory": "lower the module's initial memory, or raise "
                               "limits.memory_bytes in module.toml",
                     "trap": "fix the start function or the segment (`workbench run FILE` "
                             "shows where it traps)"}
            hint = hints.get(made.kind, "see docs/handler-abi.md for what the host provides")
            raise CannotInstantiate(f"no instance can be made: {made.message}",
                                    where=self._where, hint=hint)

    def _has_start(self) -> bool:
        try:
            return any(sec.id == 8 for sec in parse_module(self.wasm).sections)
        except MalformedModule:
            return True

    def component_runtime(self) -> ComponentRuntime:
        """The runtime of a component (created on first use; `is_component` only)."""
        return self._component_runner().runtime

    @property
    def component_loaded(self) -> bool:
        """Whether this component's runtime exists (it compiles on first use)."""
        return self._components is not None and self._components.loaded

    def extism_runtime(self) -> ExtismRuntime:
        """The runtime of an Extism plugin (created on first use; needs no SDK yet)."""
        return self._extism_runner().runtime

    def _component_runner(self) -> ComponentRunner:
        if self._components is None:  # lazily: `path` may be set after construction
            from workbench.core.runtime.component.runner import ComponentRunner

            self._components = ComponentRunner(self, self.wasm, cache_dir=self.cache_dir,
                                               outbound=self.outbound, where=self._where)
        return self._components

    def _extism_runner(self) -> ExtismRunner:
        if self._extism is None:
            from workbench.core.runtime.extism.runner import ExtismRunner

            self._extism = ExtismRunner(self, self.wasm, function=self.host.extism_function,
                                        where=self._where)
        return self._extism

    def _make_linker(self) -> wasmtime.Linker:
        linker = wasmtime.Linker(self._engine)
        assert self._abi is not None
        if self._abi.wasi or self._abi.name == "wagi":
            linker.define_wasi()
            self._host_callbacks += define_wasi_clock(linker, lambda: self._state)
        if self._abi.name == "edge":
            self._host_callbacks += define_host_functions(linker, lambda: self._state)
        return linker

    def names(self) -> dict[int, str]:
        if self._names is None:
            self._names = function_names(self.wasm)
        return self._names

    # -- running ----------------------------------------------------------------------

    def run(self, request: Request, mode: str = "fresh", hooks: Any = None) -> RunResult:
        """One request. Never raises for handler failures (see RunResult.error)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        with self._lock:
            try:  # once per harness (cached), outside the request's timing
                self.precheck()
            except MalformedModule:
                pass  # reported by the run below, as a `malformed` error
            t_start = time.perf_counter_ns()
            timing: dict[str, float] = {}
            hook_json = None
            if hooks is not None:
                outcome = hooks.evaluate(request)
                timing["hooks"] = float(getattr(outcome, "elapsed_us", 0.0) or
                                        (time.perf_counter_ns() - t_start) / 1000)
                hook_json = outcome.to_json()
                if outcome.response is not None:
                    timing["total"] = (time.perf_counter_ns() - t_start) / 1000
                    answer = outcome.response
                    if self.secrets:  # a hooks file may spell out a secret value
                        answer = redact_response(self.secrets, answer)
                        hook_json = self.secrets.redact_json(hook_json)
                    return RunResult(answer, timing, mode, "hook", hook=hook_json,
                                     module=self.name)
                request = outcome.request if outcome.request is not None else request
            return self._run_once(request, mode, timing, t_start, hook_json)

    def bench(self, request: Request, options: BenchOptions,
              cancel: threading.Event | None = None) -> BenchResult:
        """`options.n` requests; percentiles per phase and the harness overhead (bench.py)."""
        from workbench.core.runtime.bench import run_bench

        self._state.cancel = cancel  # a WASI sleep in flight ends when the bench is cancelled
        try:
            return run_bench(self, request, options, cancel)
        finally:
            self._state.cancel = None

    def _run_once(self, request: Request, mode: str, timing: dict[str, float],
                 t_start: int, hook: dict[str, Any] | None) -> RunResult:
        try:
            early = self.precheck()  # refuse a non-handler before compiling it
        except MalformedModule as e:
            return self.finish(mode, timing, t_start, None, RunError("malformed", str(e)),
                               hook, abi="unknown" if self.is_component else "edge")
        if early is not None and not early.ok:
            return self.finish(mode, timing, t_start, None,
                               RunError("abi", "; ".join(early.problems)), hook,
                               abi=early.name)
        if self.is_component:
            mode = self.runs_as(mode)
            return self._component_runner().run(request, mode, timing, t_start, hook,
                                                not self.chaos.chaos.force_cache_miss)
        if early is not None and early.name == "extism":
            return self._extism_runner().run(request, mode, timing, t_start, hook)
        st = self._state
        st.begin()
        cache = None
        try:
            if mode == "cold":
                module, phase, cache, us = self._compile(not self.chaos.chaos.force_cache_miss)
                timing[phase] = us
                if cache == "bypass":
                    st.chaos.faults.append("cache_miss:forced")
                if self._module is None:  # first use of this harness: ABI check + linking
                    t0 = time.perf_counter_ns()
                    self._ensure(module)
                    timing["link"] = (time.perf_counter_ns() - t0) / 1000
            elif self._module is None:
                # Once per harness, before the first fresh/warm request: compile (or load
                # from the cache) and link. Reported as `prepare`, outside `total`: fresh and
                # warm measure a request to an already compiled module.
                t0 = time.perf_counter_ns()
                module = self._ensure()
                prep = time.perf_counter_ns() - t0
                timing["prepare"] = prep / 1000
                t_start += prep
            else:
                module = self._module
        except MalformedModule as e:
            return self.finish(mode, timing, t_start, None,
                           RunError("malformed", str(e)), hook)
        rep = self._abi
        assert rep is not None
        if not rep.ok:
            return self.finish(mode, timing, t_start, None,
                           RunError("abi", "; ".join(rep.problems)), hook, abi=rep.name)
        if rep.name == "extism":  # WAT text: known only once compiled
            for phase in ("compile", "cache_load", "link", "prepare"):  # wasmtime's, not
                timing.pop(phase, None)                               # the plugin's
            return self._extism_runner().run(request, mode, timing, t_start, hook)
        if rep.name == "wagi":
            if self._wagi is None:
                self._wagi = WagiRunner(self)
            assert self._linker is not None
            return self._wagi.run(request, "fresh" if mode == "warm" else mode, module,
                                  self._pre, self._linker, timing, t_start, hook, cache)
        return self.edge.run(request, mode, module, timing, t_start, hook, cache)

    def run_inline(self, request: Request, fuel_budget: int) -> RunResult | str:
        """A warm edge request run on the caller's thread (the dev server's event loop;
        see services/serve/inline.py) instead of a worker thread, bounded by
        `fuel_budget` and by the inline watchdog's wall-clock stop (watchdog.py).

        A string says why not, and nothing happened that anyone can see: "busy" (another
        run holds the harness), "not warm" (no warm edge instance yet), "budget" (it ran
        out before the handler's own fuel limit), "time" (the watchdog or the ticker
        stopped it) or the host function that writes or waits (hostfns.WORKER_ONLY, a
        WASI sleep). After the last three the instance is dropped; the caller runs the
        request the usual way."""
        if not self._lock.acquire(blocking=False):
            return "busy"
        try:
            return self.edge.run_inline(request, fuel_budget)
        finally:
            self._lock.release()

    def new_store(self, wasi: wasmtime.WasiConfig | None) -> wasmtime.Store:
        lim = self.limits
        store = wasmtime.Store(self._engine)
        # Every store caps what a guest can make the host allocate outside linear memory
        # too: table.grow, and the count of instances, tables and memories.
        store.set_limits(memory_size=lim.memory_bytes, table_elements=lim.table_elements,
                         instances=lim.instances, tables=lim.tables, memories=lim.memories)
        if wasi is not None:
            store.set_wasi(wasi)
        store.set_fuel(lim.fuel)  # a start function runs at instantiation
        store.set_epoch_deadline(self._ticks)
        self._state.arm(lim.timeout_ms)
        return store

    def instantiate_edge(self, module: wasmtime.Module | None, st: HostState
                         ) -> EdgeInstance | RunError:
        """A new edge instance (see EdgeRunner.instantiate; a bench and the purity probe
        make their own)."""
        return self.edge.instantiate(module, st)

    @property
    def host_state(self) -> HostState:
        """What host functions see now (a bench swaps in a scratch copy)."""
        return self._state

    def finish(self, mode: str, timing: dict[str, float], t_start: int,
               response: Response | None, error: RunError | None,
               hook: dict[str, Any] | None, *, fuel: int = 0, memory: int = 0,
               abi: str = "edge", cache: str | None = None) -> RunResult:
        """The RunResult of one request: a response HTTP cannot carry made an error
        (response_check.py), `total` since `t_start`, secrets redacted from the response,
        error and hooks part, a line counting dropped log lines."""
        st = self._state
        st.flush_output()
        if response is not None:
            if response is not self._sendable:  # a static answer (the same object) once
                problem = response_problem(response)
                if problem is not None:
                    response, error = None, RunError("response", problem)
                elif len(response.body) <= LAST_MAX:  # only small answers are reused
                    self._sendable = response  # (a big one would stay in memory)
            if response is not None and response.body and response.status in (204, 304):
                st.add_log("warn", dropped_body_note(response), "workbench")
        timing["total"] = (time.perf_counter_ns() - t_start) / 1000
        secrets = self.secrets
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
        return RunResult(response, timing, mode, abi, fuel, memory, tuple(st.logs), error,
                         tuple(st.chaos.faults), hook, self.name, cache)

    @contextmanager
    def scratch_host_state(self) -> Iterator[HostState]:
        """Host functions see a scratch copy of the KV store and no chaos inside the block
        (reference calls must not write the workspace store or inject faults)."""
        saved = self._state
        scratch = self.kv.snapshot()
        self._state = HostState(scratch, self.secrets, ChaosState(Chaos()), self.limits)
        try:
            yield self._state
        finally:
            self._state = saved

    def touch_ticker(self, timeout_ms: float | None = None) -> None:
        """Keep the epoch ticker running for one more timeout window."""
        self._ticker.touch((timeout_ms or self.limits.timeout_ms) / 1000)

    def request_bytes(self, request: Request) -> bytes:
        """Request.to_http(), memoized for the last request object (bench loops)."""
        last, data = self._req_cache
        if last is not request:
            data = request.to_http()
            self._req_cache = (request, data)
        return data


__all__ = ["Harness", "MODES", "RunError", "RunResult", "BenchResult", "classify",
           "instantiate_error"]
