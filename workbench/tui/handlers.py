"""Message handlers and actions of WorkbenchApp: update `ModuleState`, refresh, notify.

Everything here runs on the UI thread and is quick: it stores results that workers
computed and asks the views to re-render.
"""

from __future__ import annotations

import time
from pathlib import Path

from workbench.tui.base import AppBase
from workbench.tui.messages import (
    BuildFailedMsg,
    BuildFinished,
    BuildStarted,
    CoreProblem,
    ModulesFound,
)
from workbench.tui.state import ModuleState
from workbench.tui.widgets.requests_view import RequestsView
from workbench.tui.widgets.size_view import SizeView
from workbench.tui.widgets.table import RowTable
from workbench.tui.widgets.view import View


class HandlerMixin(AppBase):
    """Reactions to worker messages, and the app-wide actions."""

    def on_modules_found(self, msg: ModulesFound) -> None:
        if not self.ui_alive:
            return
        self.workspace = msg.workspace
        self.modules = {m.name: m for m in msg.modules}
        for m in msg.modules:
            m.kv_root = getattr(msg.workspace, "root", None) or m.root
        table = self.module_list()
        table.set_modules(msg.modules)
        for problem in msg.problems:
            self.notify(problem, title="Workspace", severity="error", timeout=12)
        if not msg.modules:
            self.empty_reason = "\n".join(msg.problems) or (
                "No modules here: pass a folder with a workbench.toml, or module folders "
                "(module.toml or one obvious source such as *.wat or main.c).")
            if not msg.problems:
                self.notify(self.empty_reason, title="Empty workspace", severity="warning",
                            timeout=10)
        elif self.selected is None:
            self.selected = msg.modules[0].name
            self.sub_title = self.selected
        self._update_status()
        self.refresh_views()
        for name, state in self.modules.items():
            if state.config is not None:  # a broken module.toml is in `problems` above
                self.build_worker(name, "startup")
        self.start_watching()
        self._ask_trust()

    def _ask_trust(self, only: str | None = None) -> bool:
        """Modules whose build runs the folder's own code: ask before it runs (restricted
        mode until then: the startup builds above were refused by the trust gate).
        `only`: that module alone (`b` on an untrusted module). True when a prompt opened."""
        from workbench.config.folder_trust import trust_status

        pending = []
        for state in self.modules.values():
            if state.config is None or (only is not None and state.name != only):
                continue
            try:
                status = trust_status(state.config)
            except Exception:  # noqa: BLE001 - an unreadable file: the build says why
                continue
            if not status.may_build:
                pending.append(status)
        if not pending:
            return False
        from workbench.tui.screens.trust import TrustScreen

        def answered(trusted: bool | None) -> None:
            if not trusted:
                self.notify("Restricted mode: " + ", ".join(s.module for s in pending)
                            + " not built (their build runs folder code). To trust one "
                            "later: select it and press b.", severity="warning", timeout=10)
                return
            from workbench.config.folder_trust import trust_modules

            names = {s.module for s in pending}
            trust_modules([m.config for m in self.modules.values()
                           if m.name in names and m.config is not None])
            for name in names:
                self.build_worker(name, "manual")

        self.push_screen(TrustScreen(pending), answered)
        return True

    def on_build_started(self, msg: BuildStarted) -> None:
        if not self.ui_alive:
            return
        state = self.modules.get(msg.name)
        if state is None:
            return
        if state.build != "building" or state.build_started is None:
            state.build_started = time.monotonic()  # not again for the worker's own
        state.build = "building"
        self._update_status()
        self.module_list().update_module(state)
        self.refresh_views(msg.name)

    def on_build_finished(self, msg: BuildFinished) -> None:
        if not self.ui_alive:
            return
        state = self.modules.get(msg.name)
        if state is None:
            return
        if state.module is not None:
            state.prev_module, state.prev_report, state.prev_size = (
                state.module, state.report, state.size)
        state.wasm, state.wasm_path, state.module = msg.wasm, msg.wasm_path, msg.module
        state.report, state.abi, state.build_result = msg.report, msg.abi, msg.result
        state.extras, state.size = msg.extras, len(msg.wasm)
        state.save_to_built_ms = msg.latency_ms
        state.build = "stale" if msg.stale else "ok"
        if not msg.stale:
            state.build_error, state.error = None, None
        state.builds += 1
        self._record_build(state, msg.result)
        self._update_status()  # the "building…" line ends with the build
        self.module_list().update_module(state)
        self.refresh_views(msg.name)
        if not msg.stale:
            self.after_build(msg.name, msg.trigger)
        self.serve_adopt(msg.name, msg.result)  # the dev server (if on) swaps the build in

    def on_build_failed_msg(self, msg: BuildFailedMsg) -> None:
        if not self.ui_alive:
            return
        state = self.modules.get(msg.name)
        if state is None:
            return
        state.build = "stale" if state.module is not None else "failed"
        state.build_error = msg.error
        if msg.result is not None:
            state.build_result = msg.result
            if not msg.stale_seen:
                self._record_build(state, msg.result)
        state.error = str(msg.error).splitlines()[0] if str(msg.error) else "build failed"
        self._update_status()
        self.module_list().update_module(state)
        self.refresh_views(msg.name)
        if not getattr(msg.result, "untrusted", False):  # the trust prompt says it (once)
            self.notify(str(msg.error), title=f"{msg.name}: build failed", severity="error",
                        timeout=8)
        self.serve_adopt(msg.name, msg.result)  # the dev server keeps the last good build

    def _record_build(self, state: ModuleState, result: object) -> None:
        duration = getattr(result, "duration_ms", None)
        if duration is None or getattr(result, "untrusted", False):  # nothing was built
            return
        ok = bool(getattr(result, "ok", True))
        state.history.append((len(state.history) + 1, ok, float(duration),
                              getattr(result, "size", None)))
        del state.history[:-8]

    def on_core_problem(self, msg: CoreProblem) -> None:
        if not self.ui_alive:
            return
        self.notify(msg.text, title=msg.title, severity="error", timeout=8)

    # ----- actions ---------------------------------------------------------------
    def action_build(self) -> None:
        """Rebuild the selected module now: "◐ building" is drawn first, then the worker
        starts (an in-process build holds the GIL and would delay that frame)."""
        if self.selected in self.modules:
            if self._ask_trust(only=self.selected):  # restricted: trust it first (or not)
                return
            self.post_message(BuildStarted(self.selected))
            self.call_after_refresh(self.build_worker, self.selected, "manual")

    def action_focus_modules(self) -> None:
        self.module_list().focus()

    def action_leave_field(self) -> None:
        """esc in a text field: leave it, so 1-6, b, r, ? are commands again."""
        from textual.widgets import Input, TextArea

        if isinstance(self.focused, Input | TextArea):
            self.set_focus(None)

    def action_toggle_auto_replay(self) -> None:
        self.auto_replay = not self.auto_replay
        self._update_status()
        self.notify(f"Auto-replay after each build: {'on' if self.auto_replay else 'off'}")

    def kv_root(self) -> Path | None:
        """Where the KV store lives: the workspace root, else the selected module's."""
        root = getattr(self.workspace, "root", None)
        if root is None and self.selected in self.modules:
            root = self.modules[self.selected].root
        return root

    def action_show_kv(self) -> None:
        from workbench.tui.screens.kv import KvScreen

        root = self.kv_root()
        if root is None:
            self.notify("No workspace or module yet.", severity="warning")
            return
        self.push_screen(KvScreen(root))

    def action_help(self) -> None:
        from workbench.tui.screens.help import HelpScreen

        view = self.view(self.active_view_id())
        self.push_screen(HelpScreen(view.TITLE, view.HELP))

    def action_replay_one(self) -> None:
        """Palette twin of `enter` in the Requests view."""
        self.action_show_view("requests")
        self.refresh_views()  # renders the (now active) Requests view with its entries
        self.main_screen_query("RequestsView", RequestsView).action_replay_one()

    def action_filter_size(self) -> None:
        """Palette twin of `/` in the Size view."""
        self.action_show_view("size")
        self.main_screen_query("SizeView", SizeView).action_focus_filter()

    def action_sort_table(self) -> None:
        """Palette twin of `s`: sort the focused table (or the Size view's visible one)."""
        focused = self.screen_stack[0].focused
        if isinstance(focused, RowTable):
            focused.action_cycle_sort()
            return
        for table in self.main_screen_query("#view-size", View).query(RowTable):
            if table.display and table.is_on_screen:
                table.action_cycle_sort()
                return
