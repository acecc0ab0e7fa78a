"""A wasi:http/proxy component run request by request in cold, fresh or warm mode.

The harness owns one `ComponentRuntime` per component; it mirrors what the harness does
for core modules (docs/handler-abi.md, "Modes and timing"):

- cold: load the component (compile, or the compiled cache) + link (first time) +
  instantiate + call;
- fresh: a new store and instance from the compiled component + call;
- warm: reuse one instance; thrown away after a trap, timeout, fuel, exit or host failure.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import wasmtime
import wasmtime.component as wc

from workbench.core.abi.detect import AbiReport
from workbench.core.errors import AbiMismatch, MalformedModule
from workbench.core.http import Request
from workbench.core.runtime.component import engine as CE  # noqa: N812
from workbench.core.runtime.component.failures import cause
from workbench.core.runtime.component.linker import build_linker
from workbench.core.runtime.component.outbound import Outbound
from workbench.core.runtime.component.proxy import ProxyInstance, handler_export
from workbench.core.runtime.component.state import ComponentState, LogFn
from workbench.core.runtime.limits import Limits
from workbench.core.runtime.result import RunError
from workbench.core.runtime.run_outcome import RunOutcome

MODES = ("cold", "fresh", "warm")


ComponentRun = RunOutcome  # one request's outcome (run_outcome.py)


class ComponentRuntime:
    def __init__(self, wasm: bytes, limits: Limits, log: LogFn, *,
                 cache_dir: Path | None, outbound: Outbound | None = None,
                 strategy: str | None = None, where: str = "component",
                 host_state: Callable[[], Any] | None = None):
        self.where = where
        self.host_state = host_state  # the harness's HostState: KV, secrets, chaos
        self.wasm = wasm if wasm[:4] == b"\0asm" else self._from_text(wasm)
        self.limits, self.log = limits, log
        self.cache_dir = cache_dir
        self.outbound = outbound or Outbound()
        self.strategy = strategy or CE.compiler()
        self.engine = CE.engine(self.strategy)
        self.ticker = CE.ticker(self.strategy)
        self.key = CE.cache_key(self.wasm, self.strategy)
        self.component: wc.Component | None = None
        self.linker: wc.Linker | None = None
        self.export: str | None = None
        self.warm: ProxyInstance | None = None

    def _state(self) -> ComponentState:
        return ComponentState(self.log, self.outbound, self.limits.max_response_bytes,
                              self.host_state)

    def _from_text(self, text: bytes) -> bytes:
        try:
            return bytes(wasmtime.wat2wasm(text.decode("utf-8", "replace")))
        except wasmtime.WasmtimeError as e:
            raise MalformedModule(cause(str(e)), 0, file=self.where) from None

    def _load(self, use_cache: bool) -> tuple[wc.Component, str, str, float]:
        try:
            return CE.load(self.wasm, self.key, self.cache_dir if use_cache else None,
                           self.strategy)
        except wasmtime.WasmtimeError as e:
            text = str(e)
            m = re.search(r"offset 0x([0-9a-f]+)", text)
            raise MalformedModule(cause(text), int(m.group(1), 16) if m else 0,
                                  file=self.where, hint="rebuild the component") from None

    def prepare(self, use_cache: bool = True) -> None:
        """Load and link once. Raises MalformedModule (cannot be compiled) or AbiMismatch
        (not a wasi:http/proxy component)."""
        if self.component is None:
            self._adopt(self._load(use_cache)[0])

    def report(self, use_cache: bool = True) -> AbiReport:
        """The ABI verdict for the harness: "wasi-http", or what is wrong."""
        try:
            self.prepare(use_cache)
        except AbiMismatch as e:
            return AbiReport("unknown", (e.message,))
        return AbiReport("wasi-http")

    def _adopt(self, comp: wc.Component) -> None:
        if self.component is None:
            export = handler_export(comp, self.engine)
            if export is None:
                names = ", ".join(f"`{n}`" for n in comp.type.exports(self.engine)) or "none"
                raise AbiMismatch("expected a wasi:http/proxy component (exports "
                                  "wasi:http/incoming-handler@0.2.x); found exports: "
                                  + names, where=self.where)
            try:
                self.linker = build_linker(self.engine, comp)
            except wasmtime.WasmtimeError as e:
                raise AbiMismatch(cause(str(e)), where=self.where) from None
            self.component, self.export = comp, export

    def run(self, request: Request, mode: str, use_cache: bool = True) -> ComponentRun:
        timing: dict[str, float] = {}
        cache = None
        comp = self.component
        if mode == "cold":
            comp, phase, cache, us = self._load(use_cache)
            timing[phase] = us
            if self.component is None:
                t0 = time.perf_counter_ns()
                self._adopt(comp)
                timing["link"] = (time.perf_counter_ns() - t0) / 1000
        elif comp is None:
            t0 = time.perf_counter_ns()
            self.prepare(use_cache)
            timing["prepare"] = (time.perf_counter_ns() - t0) / 1000
            comp = self.component
        assert comp is not None and self.linker is not None and self.export is not None
        inst = self.warm if mode == "warm" else None
        if inst is None:
            t0 = time.perf_counter_ns()
            try:
                inst = ProxyInstance(self.engine, self.linker, comp, self.export,
                                     self.limits, self._state(), self.ticker)
            except wasmtime.WasmtimeError as e:
                timing["instantiate"] = (time.perf_counter_ns() - t0) / 1000
                return ComponentRun(None, _instantiate_error(e, self.limits), timing,
                                    cache=cache)
            timing["instantiate"] = (time.perf_counter_ns() - t0) / 1000
            if mode == "warm":
                self.warm = inst
        out = inst.serve(request)
        timing["handler"] = out.handler_us
        timing["host"] = out.host_us
        if inst.poisoned and self.warm is inst:
            self.warm = None
        return ComponentRun(out.response, out.error, timing, out.fuel, cache)


def _instantiate_error(e: Exception, limits: Limits) -> RunError:
    text = cause(str(e))
    low = text.lower()
    if "fuel" in low:
        return RunError("fuel", f"fuel exhausted while instantiating: {text}")
    if "memory" in low and ("limit" in low or "minimum" in low):
        return RunError("memory", f"the component's initial memory does not fit the limit "
                                  f"of {limits.memory_bytes:,} bytes "
                                  f"(limits.memory_bytes): {text}")
    return RunError("instantiate", text)
