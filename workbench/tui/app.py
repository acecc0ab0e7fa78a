"""The workbench app: a module list on the left, one tab per view on the right.

Startup paints first and works after: `on_mount` only registers themes and schedules the
workspace read; every parse, build, bench and replay runs in a thread worker
(`workers.WorkerMixin`) that posts a typed message (`messages.py`). Views render frozen
core results kept in `ModuleState`.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.lazy import Lazy
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from workbench.tui import themes
from workbench.tui.base import VIEWS, AppBase
from workbench.tui.commands import WorkbenchCommands
from workbench.tui.find_actions import FindMixin
from workbench.tui.gzip_actions import GzipMixin
from workbench.tui.handlers import HandlerMixin
from workbench.tui.loop import LoopMixin
from workbench.tui.progress import JobsMixin
from workbench.tui.runtime_actions import RuntimeMixin
from workbench.tui.serving import Served, ServeMixin
from workbench.tui.widgets.module_list import ModuleList
from workbench.tui.workers import WorkerMixin

SHORT = ["Size", "Sigs", "Run", "Reqs", "Hooks", "Build", "Served"]


class WorkbenchApp(JobsMixin, GzipMixin, FindMixin, ServeMixin, LoopMixin, RuntimeMixin,
                   HandlerMixin, WorkerMixin, AppBase):
    """The whole loop on one screen: save, see the size change, the replay, the latency."""

    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    TITLE = "workbench"
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    # The footer shows the few global keys; a view's own keys (Send, Bench, Filter, Sort,
    # Replay one) appear while focus is inside it (bindings on the view widgets). Every
    # key works anywhere and every action is in the command palette and the help.
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
        Binding("b", "build", "Build", id="build"),
        Binding("r", "replay_all", "Replay", id="replay"),
        Binding("a", "toggle_auto_replay", "Auto-replay", show=False, id="auto_replay"),
        Binding("m", "focus_modules", "Modules", id="modules"),
        Binding("escape", "leave_field", "Leave field", show=False, id="leave_field"),
        Binding("ctrl+r", "send_request", "Send", show=False, id="send"),
        Binding("ctrl+b", "run_bench", "Bench", show=False, id="bench"),
        Binding("B", "run_bench_all", "Bench all", show=False, id="bench_all"),
        Binding("ctrl+x", "cancel_bench", "Stop bench", show=False,
                id="cancel_bench"),
        Binding("t", "change_theme", "Theme", show=False, id="theme"),
        Binding("k", "show_kv", "KV store", show=False, id="kv"),
        Binding("l", "toggle_serve", "Serve", id="serve"),
        Binding("ctrl+f,slash", "find", "Find", key_display="^f", id="find"),
        Binding("p", "purity", "Purity check", show=False, id="purity"),
        Binding("g", "exact_gzip", "Exact gzip", show=False, id="exact_gzip"),
        Binding("n", "find_step(1)", "Next match", show=False, id="find_next"),
        Binding("N", "find_step(-1)", "Previous match", show=False, id="find_prev"),
        *[Binding(str(i + 1), f"show_view('{vid}')", "Views" if i == 0 else short,
                  show=i == 0, key_display="1-7" if i == 0 else None, id=f"view_{vid}")
          for i, ((vid, _, _), short) in enumerate(zip(VIEWS, SHORT, strict=True))],
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield ModuleList(id="modules")
                yield Static(id="status")
            with TabbedContent(id="views"):
                for n, (vid, title, cls) in enumerate(VIEWS):
                    with TabPane(title, id=f"tab-{vid}"):
                        view = cls(id=f"view-{vid}")
                        # hidden tabs mount after the first paint (Textual's Lazy)
                        yield view if n == 0 else Lazy(view)
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        """Below 100 columns the footer drops its padding so every global key fits."""
        for footer in self.screen_stack[0].query(Footer):
            footer.compact = event.size.width < 100

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(themes.APP_VARIABLES)

    def _tick_progress(self) -> None:
        """Twice a second while something builds: the elapsed time in the status line
        (and the Build view's summary, which says how long this build has run). Nothing
        while the app starts or closes: the views' children may not be there."""
        if not self.ui_alive:
            return
        if any(m.build == "building" for m in self.modules.values()):
            self._update_status()
            state = self.modules.get(self.selected or "")
            if state is not None and state.build == "building":
                vid = self.active_view_id()
                if vid == "build":
                    self.view("build").show(state)
                elif vid == "size" and state.module is None:
                    self.view("size").show_progress(state)  # type: ignore[attr-defined]
        elif getattr(self, "_was_building", False):
            self._update_status()
        self._was_building = any(m.build == "building" for m in self.modules.values())
        state = self.modules.get(self.selected or "")
        if state is not None and state.bench_starting is not None:
            self.show_bench(state.name)  # "sending… 1.5 s" until the first figures
        self._tick_jobs()

    async def action_quit(self) -> None:
        """Quit; a running dev server first finishes requests in flight (up to 1 s)."""
        if self.dev_server is not None:
            await self._stop_server()
        self.exit()

    def on_served(self, msg: Served) -> None:
        self.served_log.append(msg.item)
        kind = getattr(msg.item, "kind", None)
        if kind in ("build_failed", "load_failed", "swapped"):
            self.notify(str(getattr(msg.item, "message", "")), title="Dev server",
                        severity="warning" if kind != "swapped" else "information",
                        timeout=5)
        if not self._served_pending:  # re-render the log at most 4 times a second
            self._served_pending = True
            self.set_timer(0.25, self._render_served)

    def _render_served(self) -> None:
        self._served_pending = False
        if not self.ui_alive:  # the timer fired while the app was closing
            return
        if self.active_view_id() == "served":
            self.view("served").show(None)

    def on_mount(self) -> None:
        self._setup_themes()
        self.query_one(ModuleList).focus()
        self.query_one("#status", Static).update("reading the workspace…")
        self.call_after_refresh(self.start_discovery)
        self.set_interval(0.5, self._tick_progress)
        if self.opened:
            self.notify(self.opened, title="Workspace", timeout=6)

    def _setup_themes(self) -> None:
        loaded = themes.load_themes()
        for theme in loaded.themes:
            self.register_theme(theme)
        self.theme_problems = loaded.problems
        for problem in loaded.problems:
            self.notify(problem, title="Theme file skipped", severity="warning", timeout=8)
        wanted = self.requested_theme or themes.saved_theme() or themes.DEFAULT_THEME
        if wanted not in self.available_themes:
            self.notify(f"Unknown theme {wanted!r}; using {themes.DEFAULT_THEME}.",
                        severity="warning")
            wanted = themes.DEFAULT_THEME if themes.DEFAULT_THEME in self.available_themes \
                else "textual-dark"
        self.theme = wanted
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._theme_ready = True

    def _theme_changed(self, theme: object) -> None:
        if self._theme_ready:
            themes.save_theme(self.theme)
            self.mark_all_dirty()

    @on(TabbedContent.TabActivated, "#views")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._show_dirty(str(event.pane.id).removeprefix("tab-"))

    @on(ModuleList.Selected)
    def _module_selected(self, event: ModuleList.Selected) -> None:
        if event.name != self.selected:
            self.selected = event.name
            self.sub_title = event.name
            self._update_title()
            self.refresh_views()

def run_app(paths: list[str] | list[Path] | None = None, theme: str | None = None,
            auto_replay: bool = True, opened: str = "") -> int:
    """Entry point used by `workbench [PATH...]` (workbench.tui.launch)."""
    app = WorkbenchApp([Path(p) for p in paths] if paths else None, theme=theme,
                       auto_replay=auto_replay, opened=opened)
    previous = _quit_on_signals(app)
    try:
        result = app.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return int(result or 0)


def _quit_on_signals(app: WorkbenchApp) -> dict[signal.Signals, Any]:
    """Closing the terminal (SIGHUP) or SIGTERM quits like `q`: the watcher stops, running
    compilers' process groups are ended and build/.partial-* files removed (on_unmount)."""
    def handler(signum: int, frame: Any) -> None:
        try:
            app.call_later(app.exit)
        except Exception:  # noqa: BLE001 - not running yet / already gone
            raise SystemExit(128 + signum) from None

    previous = {}
    for sig in (signal.SIGHUP, signal.SIGTERM):
        previous[sig] = signal.signal(sig, handler)
    return previous
