"""Events the watcher emits, for the TUI (as messages) and `workbench watch --json` (lines).

Each is a frozen dataclass whose `to_json()` carries an `"event"` tag. Finished and
failed events keep the whole `BuildResult` for in-process consumers; the JSON form
flattens the figures a consumer renders (duration, size, delta, diagnostics).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.core.build.builder import BuildResult
from workbench.core.build.diagnostics import Diagnostic


@dataclass(frozen=True)
class WatchStarted:
    modules: tuple[str, ...]
    roots: tuple[str, ...]
    debounce_ms: int

    def to_json(self) -> dict[str, Any]:
        return {"event": "watching", "modules": list(self.modules), "roots": list(self.roots),
                "debounce_ms": self.debounce_ms}


@dataclass(frozen=True)
class BuildStarted:
    module: str
    changed: tuple[str, ...]  # module-relative paths, or a reason such as "start"

    def to_json(self) -> dict[str, Any]:
        return {"event": "started", "module": self.module, "changed": list(self.changed)}


@dataclass(frozen=True)
class BuildFinished:
    module: str
    result: BuildResult
    latency_ms: float  # from the first file event of the burst to this event
    inspect: dict[str, Any] | None = None  # what the post-build inspection found

    @property
    def size_delta(self) -> int | None:
        return self.result.size_delta

    def to_json(self) -> dict[str, Any]:
        r = self.result
        return {"event": "finished", "module": self.module, "duration_ms": round(r.duration_ms, 3),
                "latency_ms": round(self.latency_ms, 3), "size": r.size,
                "previous_size": r.previous_size, "size_delta": r.size_delta,
                "wasm_path": str(r.wasm_path) if r.wasm_path else None,
                "diagnostics": [d.to_json() for d in r.diagnostics], "inspect": self.inspect}


@dataclass(frozen=True)
class BuildFailed:
    """A compiler error (with `result`) or an error before compiling (toolchain, config)."""

    module: str
    diagnostics: tuple[Diagnostic, ...]
    latency_ms: float
    result: BuildResult | None = None
    error: dict[str, Any] | None = None  # WorkbenchError.to_json() when no build ran

    @property
    def stale(self) -> bool:
        """True when an older module keeps serving."""
        return bool(self.result and self.result.stale)

    def to_json(self) -> dict[str, Any]:
        r = self.result
        return {"event": "failed", "module": self.module,
                "latency_ms": round(self.latency_ms, 3),
                "diagnostics": [d.to_json() for d in self.diagnostics],
                "stale": self.stale, "wasm_path": str(r.wasm_path) if r and r.wasm_path else None,
                "duration_ms": round(r.duration_ms, 3) if r else None,
                "output": r.output if r else "", "error": self.error}


@dataclass(frozen=True)
class BuildCancelled:
    module: str
    reason: str = "superseded by a newer change"

    def to_json(self) -> dict[str, Any]:
        return {"event": "cancelled", "module": self.module, "reason": self.reason}


@dataclass(frozen=True)
class FilesChanged:
    """Non-source files a consumer may reload: hooks, saved requests, module.toml."""

    module: str
    what: str  # "hooks" | "requests" | "config"
    paths: tuple[str, ...]
    error: dict[str, Any] | None = None  # a ConfigError when module.toml became invalid

    def to_json(self) -> dict[str, Any]:
        return {"event": "changed", "module": self.module, "what": self.what,
                "paths": list(self.paths), "error": self.error}


@dataclass(frozen=True)
class AfterBuild:
    """Whatever the `after_build` hook reported (replay results once wired)."""

    module: str
    what: str
    data: Any

    def to_json(self) -> dict[str, Any]:
        data = self.data.to_json() if hasattr(self.data, "to_json") else self.data
        return {"event": self.what, "module": self.module, "data": data}


WatchEvent = (WatchStarted | BuildStarted | BuildFinished | BuildFailed | BuildCancelled
              | FilesChanged | AfterBuild)
