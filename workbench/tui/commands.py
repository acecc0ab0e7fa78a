"""Command palette entries: every app action, plus one entry per theme and view.

Posting-style provider: the palette lists the same actions the footer shows, so nothing
is reachable only by a key the user has to remember.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

ACTIONS: list[tuple[str, str, str]] = [
    ("Build selected module", "build", "Rebuild the selected module now (b)"),
    ("Replay saved requests", "replay_all", "Replay every saved request of the module (r)"),
    ("Toggle auto-replay", "toggle_auto_replay", "Replay after each rebuild on/off (a)"),
    ("Send request", "send_request", "Send the Runtime view's request (ctrl+r)"),
    ("Run bench", "run_bench", "Bench the Runtime view's request (ctrl+b)"),
    ("Bench all modes", "run_bench_all", "Bench it cold, fresh and warm in turn (B)"),
    ("Cancel bench", "cancel_bench", "Stop a running bench (ctrl+x)"),
    ("Focus module list", "focus_modules", "Move focus to the module list (m)"),
    ("Purity check", "purity", "Requests view: safe to reuse and snapshot? (p)"),
    ("Dev server: start / stop", "toggle_serve", "Serve the workspace on a local port (l)"),
    ("Replay highlighted request", "replay_one", "Requests view: replay one entry (enter)"),
    ("Find", "find", "Find in the Build output, Runtime response or log (ctrl+f or /)"),
    ("Find: next match", "find_step(1)", "The next match of the open find bar (n)"),
    ("Find: previous match", "find_step(-1)", "The previous match (N)"),
    ("Copy table", "copy_table", "The focused table as tab-separated text (y)"),
    ("Exact gzip size", "exact_gzip", "Size view: compute gzip -9 exactly when estimated (g)"),
    ("Filter functions / data", "filter_size", "Size view: focus the filter (/)"),
    ("Sort table by next column", "sort_table", "The focused table, or the Size view's (s)"),
    ("KV store: show / reset", "show_kv", "The workspace KV store the handlers use (k)"),
    ("Leave text field", "leave_field", "Leave the focused field: keys are commands again (esc)"),
    ("Help", "help", "Help for the current view (? or F1)"),
]
VIEW_NAMES = ["size", "signatures", "runtime", "requests", "hooks", "build", "served"]


class WorkbenchCommands(Provider):
    """Actions, views and themes of the workbench."""

    def _entries(self) -> list[tuple[str, str, partial[Any]]]:
        app: WorkbenchApp = self.app  # type: ignore[assignment]
        out: list[tuple[str, str, partial[Any]]] = []
        for title, action, help_text in ACTIONS:
            out.append((title, help_text, partial(app.run_action, action)))
        for n, vid in enumerate(VIEW_NAMES, 1):
            out.append((f"Show {vid.title()} view", f"Switch to the {vid} tab ({n})",
                        partial(app.run_action, f"show_view('{vid}')")))
        for name in sorted(app.available_themes):
            out.append((f"Theme: {name}", "Switch theme (saved in your config)",
                         partial(setattr, app, "theme", name)))
        return out

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
