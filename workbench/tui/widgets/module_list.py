"""The left-hand module list: build state, size, size delta, budget and replay counts.

A DataTable in row mode: arrow keys or the mouse pick a module, and the app is told via
`ModuleList.Selected`. Rows are updated in place so the cursor never jumps on rebuilds.

Two layouts (`cells.columns`): below 100 terminal columns (the narrow sidebar) a row is
the mark, the name (shortened with an ellipsis), the size and the replay count; wide
adds the size change and the budget use (the tightest limit, in %). Every cell is
sized to its content, so no number is ever cut.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from workbench.tui.state import ModuleState
from workbench.tui.widgets.module_cells import WIDE_AT, cells, columns


class ModuleList(DataTable[Text]):
    """One row per module; the cursor row is the selected module."""

    BINDINGS = [
        Binding("enter", "open", "Open", show=False),
    ]

    class Selected(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, **kwargs: object) -> None:
        # no cell padding: the cells carry their own one-space gaps
        super().__init__(cursor_type="row", zebra_stripes=False, cell_padding=0,
                         **kwargs)  # type: ignore[arg-type]
        self._names: list[str] = []
        self._modules: dict[str, ModuleState] = {}
        self._wide: bool | None = None

    def on_mount(self) -> None:
        self._layout(self.app.size.width >= WIDE_AT)

    def on_resize(self, _: events.Resize) -> None:
        wide = self.app.size.width >= WIDE_AT
        if wide != self._wide:
            self._layout(wide)

    @property
    def wide(self) -> bool:
        return bool(self._wide)

    def _layout(self, wide: bool) -> None:
        """(Re)create the columns for this width and refill the rows."""
        cursor = self.cursor_row
        self._wide = wide
        self.clear(columns=True)
        for key, label in columns(wide):
            self.add_column(label, key=key)
        for name in self._names:
            self.add_row(*cells(self._modules[name], wide), key=name)
        if self._names:
            self.move_cursor(row=max(0, min(cursor, len(self._names) - 1)))

    def set_modules(self, modules: list[ModuleState]) -> None:
        """Replace all rows (called once per workspace load)."""
        self._names = [m.name for m in modules]
        self._modules = {m.name: m for m in modules}
        self._layout(self.app.size.width >= WIDE_AT)

    def update_module(self, m: ModuleState) -> None:
        """Refresh one row in place after a build/replay."""
        if m.name not in self._names:
            return
        self._modules[m.name] = m
        for (key, _), cell in zip(columns(self.wide), cells(m, self.wide), strict=True):
            self.update_cell(m.name, key, cell, update_width=True)

    @property
    def selected_name(self) -> str | None:
        if not self._names or self.cursor_row < 0 or self.cursor_row >= len(self._names):
            return None
        return self._names[self.cursor_row]

    def select_name(self, name: str) -> None:
        if name in self._names:
            self.move_cursor(row=self._names.index(name))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Selected(str(event.row_key.value)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Selected(str(event.row_key.value)))
