"""The app's side of the Runtime view: run/bench workers and their result handlers."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work

from workbench.tui import runtime_jobs
from workbench.tui.base import AppBase
from workbench.tui.messages import BenchProgress, BenchStarting, RunFinished
from workbench.tui.runtime_jobs import RunOptions
from workbench.tui.widgets.bench_panel import BenchPanel
from workbench.tui.widgets.runtime_view import RuntimeView

if TYPE_CHECKING:
    from workbench.core.http import Request


class RuntimeMixin(AppBase):
    """Send and bench the Runtime view's request for the selected module."""

    _bench_cancel: threading.Event | None = None

    def _runnable(self) -> str | None:
        state = self.modules.get(self.selected or "")
        if state is None or state.wasm is None:
            self.notify("Nothing to run yet: the module has not been built.",
                        severity="warning")
            return None
        return state.name

    def on_runtime_view_send(self, msg: RuntimeView.Send) -> None:
        if not self.ui_alive:
            return
        name = self._runnable()
        if name is not None:
            self.run_worker_request(name, msg.request, msg.options)

    def on_runtime_view_bench(self, msg: RuntimeView.Bench) -> None:
        if not self.ui_alive:
            return
        name = self._runnable()
        if name is None:
            return
        if self._bench_cancel is not None:
            self._bench_cancel.set()
        self._bench_cancel = threading.Event()
        # "sending…" at once: the first (unsampled) request may compile for a while
        self._bench_starting(name, msg.modes[0], msg.n)
        # the worker starts after that frame is drawn: its first steps (imports, compile)
        # compete with the UI thread for the GIL
        self.call_after_refresh(self.bench_worker, name, msg.request, msg.options, msg.n,
                                msg.modes, self._bench_cancel)

    def on_runtime_view_cancel_bench(self, _: RuntimeView.CancelBench) -> None:
        if not self.ui_alive:
            return
        self.action_cancel_bench()

    @work(thread=True, exclusive=True, group="run", exit_on_error=False)
    def run_worker_request(self, name: str, request: Request,
                           options: RunOptions) -> None:
        state = self.modules[name]
        result = runtime_jobs.run_request(state, request, options)
        hooks = runtime_jobs.hooks_p50(state, request, options) if result.hook else None
        self.post_message(RunFinished(name, request, result, hooks))

    @work(thread=True, exclusive=True, group="bench", exit_on_error=False)
    def bench_worker(self, name: str, request: Request, options: RunOptions,
                     n: int, modes: tuple[str, ...], cancel: threading.Event) -> None:
        try:
            for mode in modes:
                if cancel.is_set():
                    break
                self.post_message(BenchStarting(name, mode, n))
                runtime_jobs.bench_live(self.modules[name], request, n,
                                        replace(options, mode=mode), cancel,
                                        lambda snap: self._post_bench(name, snap))
        finally:  # a harness that failed to start must not leave "sending…" behind
            self.post_message(BenchStarting(name, None, 0))

    def _post_bench(self, name: str, snap: runtime_jobs.BenchSnapshot) -> None:
        self.post_message(BenchProgress(name, snap))

    def on_run_finished(self, msg: RunFinished) -> None:
        if not self.ui_alive:
            return
        state = self.modules.get(msg.name)
        if state is None:
            return
        state.last_run, state.last_request = msg.result, msg.request
        state.hooks_p50 = msg.hooks_p50
        self.refresh_views(msg.name)

    def on_bench_starting(self, msg: BenchStarting) -> None:
        if self.ui_alive:
            self._bench_starting(msg.name, msg.mode, msg.n)

    def _bench_starting(self, name: str, mode: str | None, n: int) -> None:
        state = self.modules.get(name)
        if state is None:
            return
        started = state.bench_starting
        if mode is None:  # the worker ended
            state.bench_starting = None
        elif started is None or started[0] != mode:
            state.bench_starting = (mode, n, time.monotonic())
        self.show_bench(name)

    def show_bench(self, name: str) -> None:
        """Re-render the bench panel (also twice a second while a bench is starting)."""
        state = self.modules.get(name)
        if state is None or name != self.selected:
            return
        panel = self.main_screen_query("BenchPanel", BenchPanel)
        panel.show(state.bench, state.bench_mode, state.bench_starting)

    def on_bench_progress(self, msg: BenchProgress) -> None:
        if not self.ui_alive:
            return
        state = self.modules.get(msg.name)
        if state is None:
            return
        state.bench[msg.snapshot.mode] = msg.snapshot
        state.bench_mode = msg.snapshot.mode
        state.bench_starting = None
        self.show_bench(msg.name)
        if msg.snapshot.final:
            word = "cancelled" if msg.snapshot.cancelled else "finished"
            self.notify(f"{msg.name}: bench {word} after {msg.snapshot.done:,} requests",
                        timeout=4)

    # palette / footer entries
    def action_send_request(self) -> None:
        self.action_show_view("runtime")
        self.main_screen_query("RuntimeView", RuntimeView).action_send()

    def action_run_bench(self) -> None:
        self.action_show_view("runtime")
        self.main_screen_query("RuntimeView", RuntimeView).action_bench()

    def action_run_bench_all(self) -> None:
        self.action_show_view("runtime")
        self.main_screen_query("RuntimeView", RuntimeView).action_bench(all_modes=True)

    def action_cancel_bench(self) -> None:
        if self._bench_cancel is not None and not self._bench_cancel.is_set():
            self._bench_cancel.set()
        else:
            self.notify("No bench is running.")
