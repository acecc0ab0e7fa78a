"""An Extism plugin run request by request: the request body in, the output as the body.

Modes, as far as the SDK allows (docs/handler-abi.md, "Extism plugin"):
- cold: compile the plugin (the SDK has no on-disk cache: always `compile`, cache
  `bypass`) + instantiate + call;
- fresh: a new plugin instance from the compiled plugin + call;
- warm: reuse one instance; thrown away after a trap, timeout, fuel or memory failure.
Limits: `timeout_ms` (the manifest's timeout), `fuel` (per call), `memory_bytes` (the
manifest's max_pages). What the SDK does not give: fuel consumed, memory size, a
backtrace with names, WASI stdout/stderr (Extism discards them).
"""

from __future__ import annotations

import re
import time
from types import ModuleType
from typing import Any

from workbench.core.http import Request, Response
from workbench.core.runtime.extism import sdk
from workbench.core.runtime.host_config import DEFAULT_EXTISM_FUNCTION
from workbench.core.runtime.limits import Limits
from workbench.core.runtime.result import RunError
from workbench.core.runtime.run_outcome import LogFn, RunOutcome

_POISON = frozenset({"trap", "timeout", "fuel", "memory"})


class ExtismRuntime:
    def __init__(self, wasm: bytes, limits: Limits, log: LogFn, *,
                 function: str = DEFAULT_EXTISM_FUNCTION, where: str = "plugin"):
        self.wasm, self.limits, self.log = wasm, limits, log
        self.function, self.where = function, where
        self.ext: ModuleType | None = None
        self.compiled: Any = None
        self.warm: Any = None  # (plugin, its id as text) reused by warm runs
        self.exported: bool | None = None  # the function exists (same for every instance)

    def _sdk(self) -> ModuleType:
        if self.ext is None:
            self.ext = sdk.load()
            sdk.LogTap.get(self.ext)  # before the first call, or its lines are lost
        return self.ext

    def _compile(self) -> Any:
        lim = self.limits
        data = sdk.manifest(self.wasm, timeout_ms=lim.timeout_ms,
                            memory_bytes=lim.memory_bytes)
        return sdk.compile_plugin(self._sdk(), data, lim.fuel)

    def prepare(self) -> None:
        """Compile once, for fresh and warm runs (raises ExtismMissing, extism.Error)."""
        if self.compiled is None:
            self.compiled = self._compile()

    def check(self) -> None:
        """For `Harness.check`: the SDK is there and the plugin compiles."""
        ext = self._sdk()
        try:
            self.prepare()
        except ext.Error as e:
            from workbench.core.errors import AbiMismatch
            raise AbiMismatch(f"Extism could not load the plugin: {e}",
                              where=self.where) from None

    def run(self, request: Request, mode: str) -> RunOutcome:
        ext = self._sdk()
        timing: dict[str, float] = {}
        cache = None
        try:
            if mode == "cold":
                t0 = time.perf_counter_ns()
                compiled = self._compile()
                timing["compile"] = (time.perf_counter_ns() - t0) / 1000
                cache = "bypass"
            else:
                if self.compiled is None:
                    t0 = time.perf_counter_ns()
                    self.prepare()
                    timing["prepare"] = (time.perf_counter_ns() - t0) / 1000
                compiled = self.compiled
            pair = self.warm if mode == "warm" else None
            if pair is None:
                t0 = time.perf_counter_ns()
                created = ext.Plugin(compiled)
                pair = (created, str(created.id))
                timing["instantiate"] = (time.perf_counter_ns() - t0) / 1000
                if mode == "warm":
                    self.warm = pair
        except ext.Error as e:
            return RunOutcome(None, RunError("instantiate", str(e)), timing, cache=cache)
        plugin, plugin_id = pair
        if self.exported is None:
            self.exported = bool(plugin.function_exists(self.function))
        if not self.exported:
            return RunOutcome(None, RunError("abi", self._missing()), timing, cache=cache)
        error: RunError | None = None
        body = b""
        t0 = time.perf_counter_ns()
        try:
            body = plugin.call(self.function, request.body)
        except ext.Error as e:
            error = classify(str(e), self.function, self.limits)
            if error.backtrace:
                error = RunError(error.kind, error.message, self._named(error.backtrace))
        timing["handler"] = (time.perf_counter_ns() - t0) / 1000
        for level, text in sdk.LogTap.get(ext).drain(plugin_id):
            self.log(level, text, "log")
        if error is not None:
            if error.kind in _POISON and self.warm is pair:
                self.warm = None
            return RunOutcome(None, error, timing, cache=cache)
        if len(body) > self.limits.max_response_bytes:
            return RunOutcome(None, RunError(
                "response_too_large", f"plugin output is {len(body):,} bytes, over "
                f"{self.limits.max_response_bytes:,} (limits.max_response_bytes)"),
                timing, cache=cache)
        return RunOutcome(Response(200, (("content-length", str(len(body))),), body, "OK"),
                          None, timing, cache=cache)

    def _named(self, frames: tuple[str, ...]) -> tuple[str, ...]:
        """`<wasm function 11>` -> the function's name from the workbench reader."""
        from workbench.core.runtime.failures import function_names

        names = function_names(self.wasm)

        def name(m: re.Match[str]) -> str:
            return names.get(int(m.group(1)), m.group(0))
        return tuple(re.sub(r"<wasm function (\d+)>", name, f) for f in frames)

    def _missing(self) -> str:
        from workbench.core.wasm.reader import parse_module

        names = [e.name for e in parse_module(self.wasm).exports if e.kind == "func"]
        shown = ", ".join(f"`{n}`" for n in names[:8]) or "none"
        return (f"the plugin exports no function `{self.function}` (function exports: "
                f"{shown}); set [extism] function in module.toml")


def classify(message: str, function: str, limits: Limits) -> RunError:
    """An `extism.Error` message -> a typed RunError (the SDK gives text only)."""
    low = message.lower()
    if low == "timeout" or "timeout" in low and "wasm" not in low:
        return RunError("timeout", f"the plugin ran past limits.timeout_ms "
                                   f"({limits.timeout_ms:,} ms)")
    if "out of fuel" in low or "all fuel consumed" in low:
        return RunError("fuel", f"the plugin ran out of fuel (limits.fuel = {limits.fuel:,})")
    if low.startswith("function not found"):
        return RunError("abi", f"the plugin exports no function `{function}`")
    if "wasm backtrace" in low or "wasm trap" in low or low.startswith("error while executing"):
        frames = tuple(line.strip() for line in message.splitlines()[1:] if line.strip())
        first = message.splitlines()[0].rstrip(":")
        if first.startswith("error while executing"):  # Extism drops the trap reason
            first = f"`{function}` trapped (Extism reports no trap reason)"
        if "memory" in low and ("grow" in low or "limit" in low or "out of bounds" in low):
            return RunError("memory", first, frames)
        return RunError("trap", first, frames)
    m = re.fullmatch(r"error code: (-?\d+)", low)
    if m:
        return RunError("handler", f"`{function}` returned {m.group(1)} without an error "
                                   "message (extism error_set)")
    return RunError("handler", f"the plugin reported an error: {message}")
