"""Runtime view (placeholder while its core part lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from workbench.tui.state import ModuleState
from workbench.tui.widgets.view import View


class RuntimeView(View):
    TITLE = "Runtime"
    HELP = "Runtime: not available yet."

    def compose(self) -> ComposeResult:
        yield Static("Runtime: not available yet.", id="runtime-note")

    def show(self, state: ModuleState | None) -> None:
        pass
