"""The harness's runner for Extism plugins: creates the `ExtismRuntime` on first use (no
SDK needed until then) and turns its outcome into a `RunResult`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import wasmtime

from workbench.core.http import Request
from workbench.core.runtime.extism.sdk import ExtismMissing
from workbench.core.runtime.result import RunError, RunResult
from workbench.core.runtime.run_outcome import RunContext

if TYPE_CHECKING:
    from workbench.core.runtime.extism.runtime import ExtismRuntime


class ExtismRunner:
    def __init__(self, ctx: RunContext, wasm: bytes, *, function: str, where: str):
        self.ctx, self.wasm, self.function, self.where = ctx, wasm, function, where
        self._runtime: ExtismRuntime | None = None

    @property
    def runtime(self) -> ExtismRuntime:
        if self._runtime is None:
            from workbench.core.runtime.extism.runtime import ExtismRuntime

            ctx = self.ctx
            wasm = self.wasm if self.wasm[:4] == b"\0asm" else bytes(  # WAT text (tests)
                wasmtime.wat2wasm(self.wasm.decode("utf-8", "replace")))
            self._runtime = ExtismRuntime(
                wasm, ctx.limits, lambda level, text, source:
                ctx.host_state.add_log(level, text, source),
                function=self.function, where=self.where)
        return self._runtime

    def run(self, request: Request, mode: str, timing: dict[str, float], t_start: int,
            hook: dict[str, Any] | None) -> RunResult:
        ctx = self.ctx
        ctx.host_state.begin()
        try:
            out = self.runtime.run(request, mode)
        except ExtismMissing as e:
            return ctx.finish(mode, timing, t_start, None,
                              RunError("unavailable", f"{e.message}; {e.hint}"), hook,
                              abi="extism")
        timing.update(out.timing)
        t_start += int(out.timing.get("prepare", 0.0) * 1000)
        return ctx.finish(mode, timing, t_start, out.response, out.error, hook,
                          fuel=out.fuel, abi="extism", cache=out.cache)
