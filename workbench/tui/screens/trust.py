"""Asked once when a workspace opens: may its own build code run?

The folder's `command` toolchain, cargo build scripts or npm scripts run with the user's
environment, so they run only after the user says so (as VS Code's Restricted Mode and
`direnv allow` ask first). Until then the app inspects and runs the modules already
built and says, per module, what it did not run. `t` trusts (recorded with a hash of
what runs, asked again when that changes), esc keeps the restricted mode.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class TrustScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("t", "trust", "Trust and build", key_display="t"),
        Binding("escape,n", "restricted", "Not now (restricted mode)", key_display="esc"),
    ]
    DEFAULT_CSS = """
    TrustScreen { align: center middle; }
    #trust-box { width: 90%; max-width: 110; height: auto; max-height: 80%;
                 border: thick $warning; background: $surface; padding: 1 2; }
    """

    def __init__(self, statuses: list[Any]) -> None:
        super().__init__()
        self.statuses = statuses

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="trust-box") as box:
            box.border_title = "Trust this workspace's build code?"
            yield Static(self._text(), id="trust-text")

    def _text(self) -> Text:
        t = Text("Building these modules runs code from their folders with your "
                 "environment:\n\n", style="bold")
        for s in self.statuses:
            head = "changed since you trusted it" if s.changed else "not trusted yet"
            t.append(f"{s.module}", style="bold")
            t.append(f"  ({s.root}, {head})\n", style="dim")
            for run in s.runs:
                t.append(f"  • {run.reason}\n")
        t.append("\nt  trust these folders and build them (recorded in your config, asked "
                 "again when what runs changes)\nesc  not now: already built modules still "
                 "open, inspect and run; nothing else is executed", style="dim")
        return t

    def action_trust(self) -> None:
        self.dismiss(True)

    def action_restricted(self) -> None:
        self.dismiss(False)
