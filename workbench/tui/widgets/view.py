"""Base of the per-module views (one per tab): `show(state)` renders frozen results.

Views never compute: they read `ModuleState` (filled by workers from core results) and
lay it out. A result that is not there yet (no build, no output) appears as a note.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from workbench.tui.state import ModuleState
from workbench.tui.unavailable import Unavailable


class View(Vertical):
    """A tab's content. Subclasses set HELP and implement `show`."""

    HELP = "No help for this view."
    TITLE = "view"

    def show(self, state: ModuleState | None) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def var(self, name: str, fallback: str = "white") -> str:
        """A theme variable (section-code, size-growth, ...) as a rich colour."""
        try:
            return self.app.get_css_variables().get(name, fallback)
        except Exception:  # noqa: BLE001 - before the app is ready
            return fallback


def note(text: str, style: str = "dim italic") -> Text:
    return Text(text, style=style)


def extra_note(value: Any, what: str) -> Text | None:
    """A note when an extra is missing/failed; None when it is a usable result."""
    if value is None:
        return note(f"{what}: nothing yet (build the module first).")
    if isinstance(value, Unavailable):
        return note(f"{what}: {value}.")
    if isinstance(value, Exception):
        return Text(f"{what}: {value}", style="bold red")
    return None


class Note(Static):
    """A one-paragraph explanation shown in place of an empty view."""

    DEFAULT_CSS = "Note { color: $text-muted; padding: 1 2; height: auto; }"
