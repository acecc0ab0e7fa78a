"""Thread workers: each calls `jobs`/core off the UI thread and posts a typed message.

One error path: a worker that raises lands in `_worker_failed` (Worker.StateChanged),
which turns WorkbenchError / Unavailable into a notification and anything else into a
one-line "internal error" notification — never a traceback on screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.worker import Worker, WorkerState, get_current_worker

from workbench.config.shipped import samples_dir
from workbench.core.errors import BuildFailed, WorkbenchError
from workbench.tui import jobs
from workbench.tui.base import AppBase
from workbench.tui.messages import (
    BuildFailedMsg,
    BuildFinished,
    BuildStarted,
    CoreProblem,
    ModulesFound,
)
from workbench.tui.unavailable import Unavailable


class WorkerMixin(AppBase):
    """Worker methods of WorkbenchApp (kept apart so app.py stays about layout)."""

    def start_discovery(self) -> None:
        paths = self.paths
        if not paths:
            sample = samples_dir()
            if not sample.is_dir():
                self.post_message(ModulesFound([], None, []))
                return
            paths = [sample]
        self.discover_worker(list(paths))

    @work(thread=True, exclusive=True, group="discover", exit_on_error=False)
    def discover_worker(self, paths: list[Path]) -> None:
        try:
            modules, workspace, problems = jobs.discover(paths)
        except (WorkbenchError, Unavailable) as err:  # a broken workbench.toml / module.toml
            self.post_message(ModulesFound([], None, [str(err)]))
            return
        self.post_message(ModulesFound(modules, workspace, problems))

    @work(thread=True, exclusive=False, group="build", exit_on_error=False)
    def build_worker(self, name: str, trigger: str) -> None:
        """Build, inspect and size one module; failures become BuildFailedMsg."""
        state = self.modules[name]
        self.post_message(BuildStarted(name))
        try:
            if state.config is None:  # listed with a broken module.toml: read it again
                jobs.load_config(state, self.workspace)
                self.call_from_thread(self.start_watching)  # and watch it from now on
            built = jobs.build(state, cancel=self.quitting)
        except (WorkbenchError, Unavailable) as err:
            result = err.result if isinstance(err, BuildFailed) else None
            self.post_message(BuildFailedMsg(name, err, trigger, result))
            return
        result = built.result
        ok = bool(getattr(result, "ok", True))
        if ok or state.module is None:
            extras = jobs.size_extras(built, state)
            self.post_message(BuildFinished(
                name, wasm=built.wasm, wasm_path=built.wasm_path, module=built.module,
                report=built.report, abi=built.abi, result=result, trigger=trigger,
                extras=extras, stale=not ok))
        if not ok:
            try:
                result.raise_for_status()
            except WorkbenchError as err:
                failed = BuildFailedMsg(name, err, trigger, result)
                failed.stale_seen = state.module is None  # BuildFinished(stale) recorded it
                self.post_message(failed)

    @work(thread=True, exclusive=False, group="files", exit_on_error=False)
    def config_worker(self, name: str) -> None:
        """module.toml changed (the watcher rebuilds with it): reload it for the views and
        the Runtime harness, and re-read hooks and requests (their paths may have moved)."""
        config = jobs.reload_config(self.modules[name], self.workspace)
        self.call_from_thread(self._config_loaded, name, config)

    def _config_loaded(self, name: str, config: Any) -> None:
        state = self.modules[name]
        state.config, state.harness = config, None  # limits/chaos may have changed
        state.config_error = None
        self.notify(f"{name}: module.toml reloaded; rebuilding with it.", timeout=4)
        self.files_worker(name)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        err: Any = event.worker.error
        if isinstance(err, (WorkbenchError, Unavailable)):
            text = str(err)
        else:
            text = f"internal error in {event.worker.name}: {type(err).__name__}: {err}"
        self.post_message(CoreProblem(text, title=worker_title(event.worker.name)))


def worker_title(name: str | None) -> str:
    """A notification title from a worker's method name: "_replay_thread" -> "Replay"."""
    words = (name or "").strip("_").removesuffix("_worker").removesuffix("_thread")
    return words.replace("_", " ").strip().capitalize() or "Workbench"


def cancelled() -> bool:
    """True when the current worker was cancelled (checked between steps)."""
    try:
        return get_current_worker().is_cancelled
    except Exception:  # noqa: BLE001 - outside a worker
        return False
