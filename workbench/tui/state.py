"""What the app remembers about each module between core calls.

This is UI state only: which build is current, the previous one (for deltas and diffs),
the last run, bench and replay results. Every value in it is a frozen result returned by
a core function; the views render from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from workbench.core.units import human_bytes

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
    config: Any | None = None  # workbench.config.module.ModuleConfig
    variables: dict[str, Any] = field(default_factory=dict)  # workspace {{variables}}
    build: BuildState = "pending"
    wasm_path: Path | None = None
    wasm: bytes | None = None
    size: int | None = None
    prev_size: int | None = None
    module: Any | None = None  # workbench.core.wasm.model.Module
    prev_module: Any | None = None
    report: Any | None = None  # workbench.core.size.inspect report
    prev_report: Any | None = None
    abi: Any | None = None  # AbiReport
    extras: dict[str, Any] = field(default_factory=dict)  # sources/diff/strip/budget
    build_result: Any | None = None
    build_error: Any | None = None  # BuildFailed / ToolchainMissing
    last_run: Any | None = None  # RunResult
    last_request: Any | None = None  # the Request behind last_run
    bench: dict[str, Any] = field(default_factory=dict)  # mode -> live/final BenchSnapshot
    bench_mode: str | None = None  # the mode benched last (its progress is shown)
    replay: Any | None = None
    prev_replay: Any | None = None
    entry_results: dict[str, Any] = field(default_factory=dict)  # file:line -> EntryResult
    history: list[tuple[int, bool, float, int | None]] = field(default_factory=list)
    # ^ recent builds: (number, ok, duration ms, size), newest last
    changed: tuple[str, ...] = ()  # files whose save started the current watch build
    save_to_built_ms: float | None = None  # the watcher's latency for that build
    flash: bool = False  # highlight the size change in the module list for a moment
    harness: tuple[Any, Any] | None = None  # (options key, Harness) of the Runtime view
    replay_kv: Any | None = None  # the KV store replays share (kept across rebuilds)
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
