"""The save → rebuild → replay loop: the watcher worker, replay workers, summaries.

`core.watch.Watcher` runs in a thread worker and rebuilds on save; its events arrive on
watcher threads, where this mixin inspects the new module (off the UI thread) and posts
the same messages a manual build does. After each build the saved requests are replayed
(when auto-replay is on) and one notification sums up size change and replay result.
"""

from __future__ import annotations

import threading
from typing import Any

from textual import work

from workbench.core.build import events
from workbench.core.build.events import WatchEvent
from workbench.core.build.watch import Watcher
from workbench.core.errors import WorkbenchError
from workbench.services.folder_trust import builder as trust_builder
from workbench.services.loop import reload_module
from workbench.tui import jobs, replay_jobs
from workbench.tui.base import AppBase
from workbench.tui.messages import (
    BuildFailedMsg,
    BuildFinished,
    BuildStarted,
    CoreProblem,
    JobUpdate,
    ReplayFinished,
    SourceChanged,
)
from workbench.tui.state import ModuleState, signed, size_text
from workbench.tui.widgets.requests_view import RequestsView

FLASH_S = 3.0


class LoopMixin(AppBase):
    _watch_stop: threading.Event | None = None
    _pending_note: dict[str, str]

    # ----- after a build ---------------------------------------------------------------
    def after_build(self, name: str, trigger: str) -> None:
        state = self.modules[name]
        note = ""
        if trigger != "startup":
            delta = state.delta
            what = ", ".join(state.changed) if trigger == "watch" and state.changed else ""
            took = state.save_to_built_ms if trigger == "watch" else None
            rebuilt = f"rebuilt in {took:,.0f} ms" if took is not None else "rebuilt"
            note = f"{name}: {what + ' saved, ' if what else ''}{rebuilt}, {size_text(state.size)}"
            if delta:
                note += f" ({signed(delta)} B)"
                state.flash = True
                self.set_timer(FLASH_S, lambda: self._unflash(name))
        has_requests = state.extras.get("requests") not in (None, "none")
        if self.auto_replay and has_requests:
            self._notes()[name] = note
            self.replay_worker(name, None, trigger)
        elif note:
            self.notify(note, title="Build ok", timeout=4)

    def _notes(self) -> dict[str, str]:
        if not hasattr(self, "_pending_note"):
            self._pending_note = {}
        return self._pending_note

    def _unflash(self, name: str) -> None:
        state = self.modules.get(name)
        if state is not None and self.ui_alive:  # (the timer may fire while closing)
            state.flash = False
            self.module_list().update_module(state)

    # ----- replay ----------------------------------------------------------------------
    def action_replay_all(self) -> None:
        """Replay every saved request of the selected module."""
        state = self.modules.get(self.selected or "")
        if state is None or state.wasm is None:
            self.notify("Nothing to replay yet: the module has not been built.",
                        severity="warning")
            return
        self.replay_worker(state.name, None, "manual")

    def on_requests_view_replay_one(self, msg: RequestsView.ReplayOne) -> None:
        if not self.ui_alive:
            return
        if self.selected in self.modules and self.modules[self.selected].wasm is not None:
            self.replay_worker(self.selected, [msg.entry], "one")

    def replay_worker(self, name: str, entries: list[Any] | None, trigger: str) -> None:
        """Replay in a worker; "replaying 3/12… 0.8 s" shows from the start."""
        self.job_started(name, "replay", len(entries) if entries else 0)  # type: ignore[attr-defined]
        self.call_after_refresh(self._replay_thread, name, entries, trigger)  # after that frame

    @work(thread=True, exclusive=False, group="replay", exit_on_error=False)
    def _replay_thread(self, name: str, entries: list[Any] | None, trigger: str) -> None:
        def progress(done: int, total: int, _: Any) -> None:
            self.post_message(JobUpdate(name, "replay", done, total))

        # one replay of a module at a time: saved requests share the module's replay KV
        # store (a counter, a rate-limit window), so two interleaved runs (the replay after
        # a build and `r`, or two builds in a row) fail each other's expectations
        lock = self.replay_locks.setdefault(name, threading.Lock())
        try:
            with lock:
                report = replay_jobs.replay_module(self.modules[name], entries,
                                                   progress=progress)
        finally:
            self.post_message(JobUpdate(name, "replay", ended=True))
        self.post_message(ReplayFinished(name, report, trigger))

    def on_replay_finished(self, msg: ReplayFinished) -> None:
        if not self.ui_alive:
            return
        state = self.modules.get(msg.name)
        if state is None:
            return
        note = self._notes().pop(msg.name, "")
        report = msg.result
        if report is None:
            if note:
                self.notify(note, title="Build ok", timeout=4)
            return
        if msg.trigger != "one":
            state.prev_replay, state.replay = state.replay, report
            state.entry_results = {}
        for res in report.entries:
            state.entry_results[replay_jobs.entry_key(res.entry)] = res
        self.module_list().update_module(state)
        self.refresh_views(msg.name)
        counts = report.counts
        failed = counts["entries_failed"]
        summary = f"replay {counts['entries'] - failed} passed, {failed} failed"
        if msg.trigger == "startup" and not failed:
            return
        text = f"{note}; {summary}" if note else f"{msg.name}: {summary}"
        self.notify(text, title="Replay failed" if failed else "Replay ok",
                    severity="error" if failed else "information", timeout=6)

    # ----- purity -----------------------------------------------------------------------
    def action_purity(self) -> None:
        """The purity check of the selected module on its saved requests (services.purity)."""
        state = self.modules.get(self.selected or "")
        if state is None or state.wasm_path is None:
            self.notify("Build the module first: the check runs the built module.",
                        severity="warning")
            return
        state.extras["purity"] = "running"
        self.job_started(state.name, "purity")  # type: ignore[attr-defined]
        self.refresh_views(state.name)
        self.call_after_refresh(self.purity_worker, state.name)  # once "running" is drawn

    @work(thread=True, exclusive=True, group="purity", exit_on_error=False)
    def purity_worker(self, name: str) -> None:
        from workbench.core.errors import WorkbenchError
        from workbench.services.purity import purity_of

        state = self.modules[name]
        try:
            report: Any = purity_of(state.wasm_path, getattr(state.config, "requests", None))  # type: ignore[arg-type]
        except WorkbenchError as err:
            report = err
        finally:
            self.post_message(JobUpdate(name, "purity", ended=True))
        self.call_from_thread(self._purity_done, name, report)

    def _purity_done(self, name: str, report: Any) -> None:
        state = self.modules.get(name)
        if state is None:
            return
        state.extras["purity"] = report
        self.refresh_views(name)
        verdict = getattr(report, "verdict", None)
        if verdict:
            self.notify(f"{name}: {verdict}", title="Purity",
                        severity="information" if report.safe else "warning", timeout=6)

    # ----- watch -----------------------------------------------------------------------
    def start_watching(self) -> None:
        """Watch every module with a config (again: a restart takes in a module whose
        broken module.toml now reads)."""
        if not self.watch_sources or not self.modules:
            return
        if self._watch_stop is not None:
            self._watch_stop.set()
        self._watch_stop = threading.Event()
        self.watch_worker(self._watch_stop)

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def watch_worker(self, stop: threading.Event) -> None:
        configs = [m.config for m in self.modules.values() if m.config is not None]
        debounce = getattr(self.workspace, "debounce_ms", None) or 75
        # rebuilds on save go through the trust gate too (restricted mode, folder_trust)
        watcher = Watcher(configs, on_event=self._watch_event, debounce_ms=debounce,
                          inspect=None, after_build=None, reload=reload_module,
                          build=trust_builder(False))
        watcher.run(stop)

    def _watch_event(self, event: WatchEvent) -> None:
        """Runs on a watcher thread: inspect here, post results to the UI thread."""
        name: str = getattr(event, "module", "") or ""
        state = self.modules.get(name)
        if state is None:
            return
        match event:
            case events.BuildStarted():
                self.post_message(SourceChanged(name, event))
                self.post_message(BuildStarted(name))
            case events.BuildFinished():
                self._watch_built(name, state, event)
            case events.BuildFailed():
                result = event.result
                failure: Exception | None = None
                if result is not None:
                    try:
                        result.raise_for_status()
                    except WorkbenchError as raised:
                        failure = raised
                if failure is None:
                    message = (event.error or {}).get("message", "build failed")
                    failure = WorkbenchError(str(message), where=name)
                self.post_message(BuildFailedMsg(name, failure, "watch", result))
            case events.FilesChanged():
                self.post_message(SourceChanged(name, event))
            case _:
                pass  # after-build and other events: the app runs its own replays

    def _watch_built(self, name: str, state: ModuleState, event: events.BuildFinished) -> None:
        try:
            wasm_path = event.result.wasm_path
            if wasm_path is None:
                raise WorkbenchError("the build reported no output", where=name)
            built = jobs.inspect_bytes(wasm_path.read_bytes(), wasm_path, event.result)
            extras = jobs.size_extras(built, state)
        except (WorkbenchError, OSError) as problem:
            self.post_message(CoreProblem(str(problem), name, "inspect after build"))
            return
        self.post_message(BuildFinished(
            name, wasm=built.wasm, wasm_path=built.wasm_path, module=built.module,
            report=built.report, abi=built.abi, result=event.result, trigger="watch",
            extras=extras, latency_ms=event.latency_ms))

    def on_source_changed(self, msg: SourceChanged) -> None:
        if not self.ui_alive:
            return
        what = getattr(msg.event, "what", None)
        changed = getattr(msg.event, "changed", None)
        if changed is not None and msg.name in self.modules:  # a watch build started
            self.modules[msg.name].changed = tuple(changed)
        if what in ("hooks", "requests"):
            self.files_worker(msg.name)
        elif what == "config":
            error = getattr(msg.event, "error", None)
            if error:  # the watcher keeps the last good config: so does the app
                where = error.get("where") if isinstance(error, dict) else None
                text = (f"{where}: " if where else "") + str(
                    error.get("message", error) if isinstance(error, dict) else error)
                hint = error.get("hint") if isinstance(error, dict) else None
                if hint:
                    text += f"\n{hint}"
                if msg.name in self.modules:
                    self.modules[msg.name].config_error = text
                    self.refresh_views(msg.name)
                self.notify(f"{msg.name}: module.toml not applied: {text}",
                            severity="error", timeout=12)
            elif msg.name in self.modules:
                self.config_worker(msg.name)

    @work(thread=True, exclusive=False, group="files", exit_on_error=False)
    def files_worker(self, name: str) -> None:
        state = self.modules[name]
        files = jobs.module_files(state)
        self.call_from_thread(self._files_loaded, name, files)

    def _files_loaded(self, name: str, files: dict[str, Any]) -> None:
        """A saved hooks.toml or request file: results computed with the old one go.

        Results of entries that are gone are dropped (no phantom ✗), a broken file clears
        every result and the last response (they no longer describe what is on disk), and
        with auto-replay on the module replays at once against the new files."""
        state = self.modules[name]
        state.extras.update(files)
        requests, hooks = files.get("requests"), files.get("hooks")
        if isinstance(requests, Exception) or isinstance(hooks, Exception):
            state.entry_results = {}
            state.replay = state.prev_replay = None
            if isinstance(hooks, Exception):
                state.last_run = None
        elif isinstance(requests, list):
            keep = {replay_jobs.entry_key(e) for e in requests}
            if set(state.entry_results) - keep:  # entries went or moved: the old summary lies
                state.replay = None
            state.entry_results = {k: v for k, v in state.entry_results.items() if k in keep}
        elif requests == "none":
            state.entry_results = {}
        self.module_list().update_module(state)
        self.refresh_views(name)
        broken = isinstance(requests, Exception) or isinstance(hooks, Exception)
        if self.auto_replay and state.wasm is not None and isinstance(requests, list) \
                and requests and not broken:
            self.replay_worker(name, None, "files")

    def on_unmount(self) -> None:
        """Stop the watcher and any bench so quitting never waits for background work."""
        self.quitting.set()
        if self._watch_stop is not None:
            self._watch_stop.set()
        bench_cancel = getattr(self, "_bench_cancel", None)
        if bench_cancel is not None:
            bench_cancel.set()
