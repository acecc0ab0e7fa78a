"""Build view (placeholder while its core part lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from workbench.tui.state import ModuleState
from workbench.tui.widgets.view import View


class BuildView(View):
    TITLE = "Build"
    HELP = "Build: not available yet."

    def compose(self) -> ComposeResult:
        yield Static("Build: not available yet.", id="build-note")

    def show(self, state: ModuleState | None) -> None:
        pass
