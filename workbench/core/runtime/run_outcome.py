"""One request's outcome from a runtime other than the core-module harness (components,
Extism plugins), before the harness wraps it in a `RunResult`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.core.http import Response
from workbench.core.runtime.result import RunError

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
