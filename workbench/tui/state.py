"""What the app remembers about each module between core calls.

This is UI state only: which build is current, the previous one (for deltas and diffs),
the last run, bench and replay results. Every value in it is a frozen result returned by
a core function; the views render from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from workbench.core.units import human_bytes

if TYPE_CHECKING:
    from workbench.config.module import ModuleConfig
    from workbench.core.abi.detect import AbiReport
    from workbench.core.build.builder import BuildResult
    from workbench.core.http import Request
    from workbench.core.requests.replay import EntryResult, ReplayReport
    from workbench.core.runtime.harness import Harness
    from workbench.core.runtime.kv import KvStore
    from workbench.core.runtime.result import RunResult
    from workbench.core.size.inspect import InspectReport
    from workbench.core.wasm.model import Module

BuildState = Literal["pending", "building", "ok", "failed", "stale"]

STATE_ICONS: dict[str, str] = {
    "pending": "·", "building": "◐", "ok": "●", "failed": "✖", "stale": "◌",
}


@dataclass
class ModuleState:
    """One module of the workspace, as the app currently knows it."""

    name: str
    root: Path
    kv_root: Path | None = None  # where .workbench/kv.sqlite lives (the workspace root)
    config: ModuleConfig | None = None
    variables: dict[str, Any] = field(default_factory=dict)  # workspace {{variables}}
    build: BuildState = "pending"
    build_started: float | None = None  # time.monotonic() when the running build began
    wasm_path: Path | None = None
    wasm: bytes | None = None
    size: int | None = None
    prev_size: int | None = None
    module: Module | None = None
    prev_module: Module | None = None
    report: InspectReport | None = None
    prev_report: InspectReport | None = None
    abi: AbiReport | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # sources/diff/strip/budget
    build_result: BuildResult | None = None
    build_error: Exception | None = None  # BuildFailed / ToolchainMissing / ConfigError
    config_error: str | None = None  # a saved module.toml that was not applied, and why
    last_run: RunResult | None = None
    last_request: Request | None = None  # the Request behind last_run
    hooks_p50: tuple[float, int] | None = None  # last_run's hooks: (p50 µs, evaluations)
    bench: dict[str, Any] = field(default_factory=dict)  # mode -> live/final BenchSnapshot
    bench_mode: str | None = None  # the mode benched last (its progress is shown)
    bench_starting: tuple[str, int, float] | None = None  # (mode, n, t0): no snapshot yet
    replay: ReplayReport | None = None
    prev_replay: ReplayReport | None = None
    entry_results: dict[str, EntryResult] = field(default_factory=dict)  # file:line -> result
    history: list[tuple[int, bool, float, int | None]] = field(default_factory=list)
    # ^ recent builds: (number, ok, duration ms, size), newest last
    changed: tuple[str, ...] = ()  # files whose save started the current watch build
    save_to_built_ms: float | None = None  # the watcher's latency for that build
    flash: bool = False  # highlight the size change in the module list for a moment
    harness: tuple[Any, Harness] | None = None  # (options key, Harness) of the Runtime view
    replay_kv: KvStore | None = None  # the KV store replays share (kept across rebuilds)
    error: str | None = None  # last user-facing error text for this module
    builds: int = 0

    @property
    def delta(self) -> int | None:
        """Size change against the previous build (the core BuildResult's own figure)."""
        core_delta = getattr(self.build_result, "size_delta", None)
        if isinstance(core_delta, int) and getattr(self.build_result, "ok", False):
            return core_delta
        if self.size is None or self.prev_size is None:
            return None
        return self.size - self.prev_size

    @property
    def budget_over(self) -> int | None:
        """How many budget limits the module in service is over (None: no budget yet)."""
        report = self.extras.get("budget")
        over = getattr(report, "over", None)
        return None if over is None else len(over)

    @property
    def replay_counts(self) -> tuple[int, int] | None:
        """(passed, failed) saved requests, from the latest result of each entry."""
        if not self.entry_results:
            return None
        failed = sum(1 for r in self.entry_results.values() if not r.passed)
        return len(self.entry_results) - failed, failed


def size_text(n: int | float | None) -> str:
    """Human size, the CLI's own formatting ('—' when unknown)."""
    return "—" if n is None else human_bytes(n)


def signed(n: int | None) -> str:
    """+1,234 / -56 / 0; '' when unknown."""
    if n is None:
        return ""
    return f"{n:+,d}" if n else "±0"


# the size core's overhead rows, shortened for the table (the help text explains them)
SHORT_LABELS = {
    "header (magic + version)": "(file header)",
    "section headers (id byte + size LEB)": "(section headers)",
    "body size LEBs": "(body size LEBs)",
    "function count LEB": "(count LEB)",
    "segment headers (flags, memory, offset expr, size LEB)": "(segment headers)",
    "segment count LEB": "(count LEB)",
}


def short_label(name: str) -> str:
    return SHORT_LABELS.get(name, name)
