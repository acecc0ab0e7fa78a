"""The app's find actions: ctrl+f / `/` opens the find bar of the view in front.

Build view: the compiler output; Runtime view: the response, or the guest log when its
Logs tab is open; the help screen has its own (its bindings). The Size view's `/` keeps
focusing its function/data filter.
"""

from __future__ import annotations

from workbench.tui.base import AppBase
from workbench.tui.widgets.findbar import FindBar

FINDABLE = {"build": "the compiler output", "runtime": "the response and the guest log"}


class FindMixin(AppBase):
    def action_find(self) -> None:
        vid = self.active_view_id()
        view = self.view(vid)
        if vid == "size":
            view.action_focus_filter()  # type: ignore[attr-defined]
        elif vid in FINDABLE:
            view.open_find()  # type: ignore[attr-defined]
        else:
            self.notify("Find works in the Build view (6: compiler output), the Runtime view "
                        "(3: response, guest log) and the help (?).", timeout=5)

    def action_find_step(self, by: int) -> None:
        """n / N: the next / previous match of the open find bar in the view in front."""
        vid = self.active_view_id()
        if vid not in FINDABLE:
            return
        bar = self.view(vid).query_one(FindBar)
        if bar.is_open:
            bar.action_step(by)

    def action_copy_table(self) -> None:
        """Palette twin of `y` on a focused table: copy it as tab-separated text."""
        from workbench.tui.widgets.table import RowTable

        if isinstance(self.focused, RowTable):
            self.focused.action_copy_table()
        else:
            self.notify("Move focus to a table first (tab, or click it), then y copies it.",
                        severity="warning", timeout=4)
