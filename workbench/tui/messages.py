"""Typed messages that thread workers post to the app.

Workers never touch widgets: they call a core function and post one of these with the
frozen result. The app updates `ModuleState` and refreshes the views on the UI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

from workbench.tui.state import ModuleState

if TYPE_CHECKING:
    from workbench.config.module import Workspace
    from workbench.core.abi.detect import AbiReport
    from workbench.core.build.builder import BuildResult
    from workbench.core.build.events import WatchEvent
    from workbench.core.http import Request
    from workbench.core.requests.replay import ReplayReport
    from workbench.core.runtime.result import RunResult
    from workbench.core.size.inspect import InspectReport
    from workbench.core.wasm.model import Module
    from workbench.tui.runtime_jobs import BenchSnapshot


class ModulesFound(Message):
    """The workspace was read: these modules exist (nothing built yet)."""

    def __init__(self, modules: list[ModuleState], workspace: Workspace | None,
                 problems: list[str]) -> None:
        super().__init__()
        self.modules = modules
        self.workspace = workspace
        self.problems = problems


class BuildStarted(Message):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class BuildFinished(Message):
    """A build (or a load of an existing .wasm) produced a module that was inspected."""

    def __init__(self, name: str, *, wasm: bytes, wasm_path: Path | None, module: Module,
                 report: InspectReport, abi: AbiReport, result: BuildResult | None,
                 trigger: str,
                 extras: dict[str, Any] | None = None, stale: bool = False,
                 latency_ms: float | None = None) -> None:
        super().__init__()
        self.name = name
        self.wasm = wasm
        self.wasm_path = wasm_path
        self.module = module
        self.report = report
        self.abi = abi
        self.result = result
        self.trigger = trigger  # "startup" | "manual" | "watch"
        self.extras = extras or {}
        self.stale = stale  # the build failed; this is the last good module
        self.latency_ms = latency_ms  # watch builds: first file event -> built


class BuildFailedMsg(Message):
    """A build failed; the last good module stays in service (marked stale)."""

    def __init__(self, name: str, error: Exception, trigger: str,
                 result: BuildResult | None = None) -> None:
        super().__init__()
        self.name = name
        self.error = error
        self.trigger = trigger
        self.result = result  # BuildResult with output + diagnostics, when the build ran
        self.stale_seen = False  # set when a BuildFinished(stale) already recorded it


class RunFinished(Message):
    def __init__(self, name: str, request: Request, result: RunResult,
                 hooks_p50: tuple[float, int] | None = None) -> None:
        super().__init__()
        self.name = name
        self.request = request
        self.result = result
        self.hooks_p50 = hooks_p50  # (p50 µs, samples): `runtime_jobs.hooks_p50`


class BenchProgress(Message):
    """Live bench figures (`runtime_jobs.BenchSnapshot`); `snapshot.final` on the last one."""

    def __init__(self, name: str, snapshot: BenchSnapshot) -> None:
        super().__init__()
        self.name = name
        self.snapshot = snapshot


class BenchStarting(Message):
    """A bench of `mode` begins (its first, unsampled request is running); mode None:
    the bench worker has ended."""

    def __init__(self, name: str, mode: str | None, n: int) -> None:
        super().__init__()
        self.name = name
        self.mode = mode
        self.n = n


class JobUpdate(Message):
    """A worker's long job (replay, purity, gzip) advanced (`done`/`total`) or ended."""

    def __init__(self, module: str, kind: str, done: int = 0, total: int = 0,
                 ended: bool = False) -> None:
        super().__init__()
        self.module = module
        self.kind = kind
        self.done = done
        self.total = total
        self.ended = ended


class ReplayFinished(Message):
    def __init__(self, name: str, result: ReplayReport | None, trigger: str) -> None:
        super().__init__()
        self.name = name
        self.result = result
        self.trigger = trigger


class SourceChanged(Message):
    """The watcher saw a source change for a module (a rebuild follows)."""

    def __init__(self, name: str, event: WatchEvent | None = None) -> None:
        super().__init__()
        self.name = name
        self.event = event


class CoreProblem(Message):
    """A user-facing error from a worker: rendered as a notification, never a traceback."""

    def __init__(self, text: str, name: str | None = None, title: str = "workbench") -> None:
        super().__init__()
        self.text = text
        self.name = name
        self.title = title
