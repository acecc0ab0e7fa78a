"""State and UI helpers shared by the app and its mixins (handlers, workers, loop, runtime).

`WorkbenchApp` is assembled from mixins so each file stays about one concern; they all
derive from `AppBase`, which holds the per-module state and the helpers for reaching the
main screen's widgets (even while a modal such as help or the palette is on top).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from textual.app import App
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Static, TabbedContent

from workbench.tui.state import ModuleState
from workbench.tui.widgets.build_view import BuildView
from workbench.tui.widgets.hooks_view import HooksView
from workbench.tui.widgets.module_list import ModuleList
from workbench.tui.widgets.requests_view import RequestsView
from workbench.tui.widgets.runtime_view import RuntimeView
from workbench.tui.widgets.served_view import ServedView
from workbench.tui.widgets.signatures_view import SignaturesView
from workbench.tui.widgets.size_view import SizeView
from workbench.tui.widgets.view import View

W = TypeVar("W", bound=Widget)

VIEWS: list[tuple[str, str, type[View]]] = [
    ("size", "Size", SizeView), ("signatures", "Signatures", SignaturesView),
    ("runtime", "Runtime", RuntimeView), ("requests", "Requests", RequestsView),
    ("hooks", "Hooks", HooksView), ("build", "Build", BuildView),
    ("served", "Served", ServedView),
]



class AppBase(App[int]):
    """Per-module state, view refresh, and the cross-mixin entry points (declared here)."""

    # implemented by the mixins (declared so each mixin can call the others)
    build_worker: Callable[..., Any]
    serve_adopt: Callable[..., Any]
    replay_worker: Callable[..., Any]
    files_worker: Callable[..., Any]
    config_worker: Callable[..., Any]
    after_build: Callable[[str, str], None]
    start_watching: Callable[[], None]
    start_discovery: Callable[[], None]

    def __init__(self, paths: list[Path] | None = None, theme: str | None = None,
                 auto_replay: bool = True, watch: bool = True, show_timings: bool = True,
                 opened: str = "") -> None:
        super().__init__()
        self.paths = paths
        self.opened = opened  # what a path-less start opened, said once at start-up
        # Set when the app quits (q, SIGHUP, SIGTERM): running compilers are killed with
        # their process group and their build/.partial-* folders removed.
        self.quitting = threading.Event()
        self.requested_theme = theme
        self.auto_replay = auto_replay
        self.watch_sources = watch
        self.show_timings = show_timings  # False in snapshot tests: durations vary
        self.modules: dict[str, ModuleState] = {}
        self.workspace: object | None = None
        self.selected: str | None = None
        self._dirty: set[str] = set()
        self._theme_ready = False
        self.theme_problems: list[str] = []
        self.empty_reason: str | None = None  # why there are no modules, for the views
        self.served_log: deque[Any] = deque(maxlen=2000)  # dev server records and events
        self._served_pending = False
        self.replay_locks: dict[str, threading.Lock] = {}  # one replay per module at a time

    # ----- views -------------------------------------------------------------------
    @property
    def ui_alive(self) -> bool:
        """False while starting up or shutting down: results that arrive then are dropped."""
        return self.is_running and bool(self.screen_stack) and \
            bool(self.screen_stack[0].query(ModuleList))

    def main_screen_query(self, selector: str, expect: type[W]) -> W:  # type: ignore[misc]
        """Query the main screen even when a modal (help, palette) is on top of it."""
        return self.screen_stack[0].query_one(selector, expect)

    def module_list(self) -> ModuleList:
        return self.screen_stack[0].query_one(ModuleList)

    def view(self, vid: str) -> View:
        return self.main_screen_query(f"#view-{vid}", View)

    def active_view_id(self) -> str:
        active = self.main_screen_query("#views", TabbedContent).active or "tab-size"
        return active.removeprefix("tab-")

    def refresh_views(self, name: str | None = None) -> None:
        """Re-render the active view now and the others when they are next shown."""
        if (name is not None and name != self.selected) or not self.ui_alive:
            return
        self._dirty = {vid for vid, _, _ in VIEWS}
        self._show_dirty(self.active_view_id())

    def mark_all_dirty(self) -> None:
        self.refresh_views(self.selected)

    def _show_dirty(self, vid: str) -> None:
        if vid in self._dirty:
            try:
                view = self.view(vid)
            except NoMatches:  # a lazily mounted tab right after startup: render it later
                self.call_after_refresh(self._show_dirty, vid)
                return
            if not view.is_mounted or not view.children:  # mounted, children not composed yet
                self.call_after_refresh(self._show_dirty, vid)
                return
            self._dirty.discard(vid)
            view.show(self.modules.get(self.selected or ""))

    def _update_status(self) -> None:
        auto = "on" if self.auto_replay else "off"
        count = len(self.modules)
        variants = [f"{count} module{'s' if count != 1 else ''} · auto-replay {auto}"]
        now = time.monotonic()
        busy = [(m.name, now - m.build_started) for m in self.modules.values()
                if m.build == "building" and m.build_started is not None]
        if busy:  # every long job shows that it runs, and for how long (first ticks: 0.5 s)
            name, secs = max(busy, key=lambda b: b[1])
            more = f" +{len(busy) - 1}" if len(busy) > 1 else ""
            took = f" {secs:,.1f} s" if self.show_timings else ""
            variants = [f"◐ building {name}{more}…{took}", f"◐ {name}{more}…{took}"]
        else:
            job: list[str] = getattr(self, "job_status", lambda: [])()  # replay, purity, exact gzip
            variants = job or variants
        if self.ui_alive:
            status = self.main_screen_query("#status", Static)
            status.update(fit(variants, status.content_size.width or 80))

    def action_show_view(self, vid: str) -> None:
        self.main_screen_query("#views", TabbedContent).active = f"tab-{vid}"


def fit(variants: list[str], width: int) -> str:
    """The first (longest) wording that fits on one line, else the last cut with '…'."""
    for text in variants:
        if len(text) <= width:
            return text
    last = variants[-1]
    return last[:max(1, width - 1)] + "…"

    def action_show_view(self, vid: str) -> None:
        self.main_screen_query("#views", TabbedContent).active = f"tab-{vid}"
