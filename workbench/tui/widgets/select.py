"""A `Select` that survives Textual 8's mount/teardown race.

`Select._watch_value` updates the label of its `SelectCurrent` child. When the value is
set while that child is composed but its own `#label` is not (the Runtime view mounting
as the app quits under load), `NoMatches` escapes into the app and ends it with a
traceback. The value is already stored when that happens, and `Select` sets the label
again on mount, so the update can be skipped safely.
"""

from __future__ import annotations

from typing import Any

from textual.css.query import NoMatches
from textual.widgets import Select


class SafeSelect(Select[Any]):
    def _watch_value(self, value: Any) -> None:
        try:
            super()._watch_value(value)
        except NoMatches:
            pass
