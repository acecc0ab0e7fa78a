"""The harness's runner for wasi:http/proxy components: creates the `ComponentRuntime` on
first use and turns its outcome into a `RunResult` like every other ABI's.

`prepare` (load + link before a first fresh/warm request) stays outside `total`, as for
core modules. The harness has already refused a non-wasi:http component (precheck).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.abi.detect import AbiReport
from workbench.core.errors import AbiMismatch, MalformedModule
from workbench.core.http import Request
from workbench.core.runtime.result import RunError, RunResult
from workbench.core.runtime.run_outcome import RunContext

if TYPE_CHECKING:
    from workbench.core.runtime.component.outbound import Outbound
    from workbench.core.runtime.component.runtime import ComponentRuntime


class ComponentRunner:
    def __init__(self, ctx: RunContext, wasm: bytes, *, cache_dir: Path | None,
                 outbound: Outbound | None, where: str):
        self.ctx, self.wasm, self.cache_dir = ctx, wasm, cache_dir
        self.outbound, self.where = outbound, where
        self._runtime: ComponentRuntime | None = None

    @property
    def loaded(self) -> bool:
        """Whether the runtime exists (it compiles the component on first use)."""
        return self._runtime is not None

    @property
    def runtime(self) -> ComponentRuntime:
        if self._runtime is None:
            from workbench.core.runtime.component.runtime import ComponentRuntime

            ctx = self.ctx
            self._runtime = ComponentRuntime(
                self.wasm, ctx.limits, lambda level, text, source:
                ctx.host_state.add_log(level, text, source), cache_dir=self.cache_dir,
                outbound=self.outbound, where=self.where,
                host_state=lambda: ctx.host_state)
        return self._runtime

    def report(self, use_cache: bool) -> AbiReport:
        return self.runtime.report(use_cache)

    def run(self, request: Request, mode: str, timing: dict[str, float], t_start: int,
            hook: dict[str, Any] | None, use_cache: bool) -> RunResult:
        ctx = self.ctx
        st = ctx.host_state
        st.begin()
        st.arm(ctx.limits.timeout_ms)  # KV writes wait at most half of it
        st.kv.refresh()
        try:
            run = self.runtime.run(request, mode, use_cache)
        except (MalformedModule, AbiMismatch) as e:
            kind = "malformed" if isinstance(e, MalformedModule) else "abi"
            return ctx.finish(mode, timing, t_start, None, RunError(kind, str(e)), hook,
                              abi="wasi-http" if kind == "malformed" else "unknown")
        timing.update(run.timing)
        t_start += int(run.timing.get("prepare", 0.0) * 1000)
        if run.cache == "bypass":
            st.chaos.faults.append("cache_miss:forced")
        return ctx.finish(mode, timing, t_start, run.response, run.error, hook,
                          fuel=run.fuel, abi="wasi-http", cache=run.cache)
