"""The harness: one module, run request by request in cold, fresh or warm mode.

- cold: compile (or load from the on-disk cache) + instantiate + call;
- fresh: new store and instance from the already-compiled module + call (what edge
  platforms do per request);
- warm: reuse one instance; it is thrown away after a trap, timeout, fuel or memory
  failure so the next request starts clean.

Limits are reset before every call (fuel, epoch deadline); handler failures come back as
`RunResult.error`, never as exceptions. One run at a time per harness (a lock).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import wasmtime

from workbench.core.errors import AbiMismatch, MalformedModule
from workbench.core.http import Request
from workbench.core.runtime import engine as E  # noqa: N812
from workbench.core.runtime.abi import AbiReport, ExportInfo, ImportInfo, detect_from
from workbench.core.runtime.chaos import ChaosState
from workbench.core.runtime.edge import EdgeInstance
from workbench.core.runtime.failures import classify, function_names, instantiate_error
from workbench.core.runtime.hostfns import HostState, define_host_functions
from workbench.core.runtime.kv import KvStore
from workbench.core.runtime.limits import Chaos, Limits
from workbench.core.runtime.result import BenchResult, RunError, RunResult
from workbench.core.runtime.runner import redact_response, run_once
from workbench.core.runtime.secrets import Secrets
from workbench.core.wasm.model import FuncType

if TYPE_CHECKING:
    from workbench.core.runtime.bench import BenchProgress

MODES = ("cold", "fresh", "warm")
_POISON = frozenset({"trap", "timeout", "fuel", "memory", "host", "exit"})


class Harness:
    def __init__(self, wasm: bytes | Path, *, limits: Limits | None = None,
                 chaos: Chaos | None = None, kv: KvStore | None = None,
                 secrets: Secrets | None = None, cache_dir: Path | None = None,
                 name: str | None = None):
        self.path: Path | None = None
        if isinstance(wasm, Path | str):
            path = self.path = Path(wasm)
            try:
                wasm = path.read_bytes()
            except OSError as e:
                raise MalformedModule(f"cannot read module: {e.strerror}", 0,
                                      file=str(path)) from None
            name = name or path.stem
        self.wasm: bytes = bytes(wasm)
        self.name = name or "module"
        self.limits = limits or Limits()
        self.chaos = ChaosState(chaos or Chaos())
        self.kv = kv if kv is not None else KvStore(None)
        self.secrets = secrets if secrets is not None else Secrets()
        self.cache_dir = Path(cache_dir) if cache_dir else E.default_cache_dir()
        self.key = E.cache_key(self.wasm)
        self._engine = E.engine()
        self._ticker = E.ticker()
        self._lock = threading.Lock()
        self._state = HostState(self.kv, self.secrets, self.chaos)
        self._module: wasmtime.Module | None = None
        self._abi: AbiReport | None = None
        self._linker: wasmtime.Linker | None = None
        self._pre: Any = None
        self._warm: EdgeInstance | None = None
        self._names: dict[int, str] | None = None
        self._req_cache: tuple[Request | None, bytes] = (None, b"")
        self._host_callbacks: list[Any] = []  # raw ctypes callbacks the linker points to

    # -- compile, cache, detect -------------------------------------------------------

    def _compile(self, use_cache: bool) -> tuple[wasmtime.Module, str, str, float]:
        """(module, phase name, cache outcome, microseconds)."""
        t0 = time.perf_counter_ns()
        if use_cache:
            mod = E.load_cached(self.cache_dir, self.key)
            if mod is not None:
                return mod, "cache_load", "hit", (time.perf_counter_ns() - t0) / 1000
        not_wasm = _not_wasm(self.wasm)
        if not_wasm:
            raise MalformedModule(not_wasm, 0, file=self._where,
                                  hint="pass the built .wasm file (or a .wat text module)")
        try:
            mod = wasmtime.Module(self._engine, self.wasm)
        except wasmtime.WasmtimeError as e:
            text = str(e)
            m = re.search(r"offset 0x([0-9a-f]+)", text)
            lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
            msg = re.sub(r"\s+", " ", ": ".join(ln for ln in lines if ln != "Caused by:"))
            raise MalformedModule(msg, int(m.group(1), 16) if m else 0,
                                  file=self._where,
                                  hint="rebuild the module; is it a wasm32 core module?"
                                  ) from None
        us = (time.perf_counter_ns() - t0) / 1000
        if use_cache:
            E.store_cached(self.cache_dir, self.key, mod)
        return mod, "compile", ("miss" if use_cache else "bypass"), us

    @property
    def _where(self) -> str:
        return str(self.path) if self.path is not None else self.name

    def _ensure(self, compiled: wasmtime.Module | None = None) -> wasmtime.Module:
        """The module for fresh/warm runs (adopting a cold run's `compiled` if first)."""
        if self._module is None:
            self._module = compiled or self._compile(not self.chaos.chaos.force_cache_miss)[0]
            self._abi = _detect(self._module)
            if self._abi.ok:
                self._linker = self._make_linker()
                self._pre = self._linker.instantiate_pre(self._module)
        return self._module

    @property
    def abi(self) -> AbiReport:
        """The module's ABI (compiles on first use; raises MalformedModule)."""
        self._ensure()
        assert self._abi is not None
        return self._abi

    def check(self) -> AbiReport:
        """For the CLI: raise a typed error when the module cannot be run at all."""
        rep = self.abi
        if not rep.ok:
            raise AbiMismatch("; ".join(rep.problems), where=self._where,
                              hint="see docs/handler-abi.md for the edge and WAGI ABIs")
        return rep

    def _make_linker(self) -> wasmtime.Linker:
        linker = wasmtime.Linker(self._engine)
        assert self._abi is not None
        if self._abi.wasi or self._abi.name == "wagi":
            linker.define_wasi()
        if self._abi.name == "edge":
            self._host_callbacks = define_host_functions(linker, lambda: self._state)
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
            return run_once(self, request, mode, timing, t_start, hook_json)

    def bench(self, request: Request, n: int, mode: str = "warm",
              progress: Callable[[int, int], None] | None = None,
              cancel: threading.Event | None = None, hooks: Any = None, *,
              live: Callable[[BenchProgress], None] | None = None, live_every_s: float = 0.1,
              yield_every_ms: float | None = None) -> BenchResult:
        """`n` requests; percentiles per phase and the harness overhead (see bench.py).

        `live` receives a `BenchProgress` (per-phase stats, errors, faults, a histogram of
        `total`) every `live_every_s` seconds and once at the end of the loop;
        `yield_every_ms` pauses 1 ms that often so a UI thread keeps the GIL moving."""
        from workbench.core.runtime.bench import run_bench

        return run_bench(self, request, n, mode, progress, cancel, hooks, live=live,
                         live_every_s=live_every_s, yield_every_ms=yield_every_ms)

    def request_bytes(self, request: Request) -> bytes:
        """Request.to_http(), memoized for the last request object (bench loops)."""
        last, data = self._req_cache
        if last is not request:
            data = request.to_http()
            self._req_cache = (request, data)
        return data


def _not_wasm(data: bytes) -> str | None:
    """Why `data` is neither a wasm binary nor WAT text, or None (wasmtime takes both)."""
    if not data:
        return "the file is empty (0 bytes): expected a WebAssembly module"
    if data[:4] == b"\0asm":
        return None
    text = data[:256].lstrip()
    if text.startswith((b"(", b";;")):
        return None  # WAT text: wasmtime compiles it and names the line of any mistake
    return ("not a WebAssembly module: expected the magic bytes 00 61 73 6d (\"\\0asm\") "
            f"at offset 0, found {data[:4].hex(' ')} ({data[:4]!r})")


def _detect(mod: wasmtime.Module) -> AbiReport:
    exports = [ExportInfo(e.name, _kind(e.type), _ft(e.type)) for e in mod.exports]
    imports = [ImportInfo(i.module, i.name or "", _kind(i.type), _ft(i.type))
               for i in mod.imports]
    return detect_from(exports, imports)


def _kind(t: Any) -> str:
    return {wasmtime.FuncType: "func", wasmtime.MemoryType: "memory",
            wasmtime.TableType: "table", wasmtime.GlobalType: "global"}.get(type(t), "other")


def _ft(t: Any) -> FuncType | None:
    if not isinstance(t, wasmtime.FuncType):
        return None
    return FuncType(tuple(str(p) for p in t.params), tuple(str(r) for r in t.results))


__all__ = ["Harness", "MODES", "RunError", "RunResult", "BenchResult", "classify",
           "instantiate_error"]
