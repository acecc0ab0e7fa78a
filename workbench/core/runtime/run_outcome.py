"""The contract between the Harness (a facade) and its runners: `RunOutcome`, one
request's outcome from a runtime other than wasmtime core modules (components, Extism
plugins) before it becomes a `RunResult`, and `RunContext`, what a runner may ask of the
harness."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from workbench.core.http import Response
from workbench.core.runtime.result import RunError, RunResult

if TYPE_CHECKING:
    import wasmtime

    from workbench.core.runtime.hostfns import HostState
    from workbench.core.runtime.limits import Limits

LogFn = Callable[[str, str, str], None]  # (level, message, source)


@dataclass(frozen=True, slots=True)
class RunOutcome:
    response: Response | None
    error: RunError | None
    timing: dict[str, float]  # microseconds per phase (no `total`: the harness adds it)
    fuel: int = 0
    cache: str | None = None  # "hit" | "miss" | "bypass" | None

    def to_json(self) -> dict[str, Any]:
        return {"response": None if self.response is None else self.response.status,
                "error": None if self.error is None else self.error.to_json(),
                "timing": dict(self.timing), "fuel": self.fuel, "cache": self.cache}


class RunContext(Protocol):
    """What a runner needs from the harness it serves (the Harness is the one
    implementation): the current host state (a bench swaps in a scratch copy), stores with
    the module's limits, and `finish`, which turns an outcome into the `RunResult` every
    ABI returns (total time, redaction, log overflow line)."""

    name: str
    limits: Limits

    @property
    def host_state(self) -> HostState: ...

    def new_store(self, wasi: wasmtime.WasiConfig | None) -> wasmtime.Store: ...

    def touch_ticker(self, timeout_ms: float | None = None) -> None: ...

    def names(self) -> dict[int, str]: ...

    def finish(self, mode: str, timing: dict[str, float], t_start: int,
               response: Response | None, error: RunError | None,
               hook: dict[str, Any] | None, *, fuel: int = 0, memory: int = 0,
               abi: str = "edge", cache: str | None = None) -> RunResult: ...
