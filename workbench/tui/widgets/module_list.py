"""The left-hand module list: build state, size, size delta and replay counts per module.

A DataTable in row mode: arrow keys or the mouse pick a module, and the app is told via
`ModuleList.Selected`. Rows are updated in place so the cursor never jumps on rebuilds.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from workbench.tui.state import STATE_ICONS, ModuleState, signed

STATE_STYLES = {"pending": "dim", "building": "yellow", "ok": "green", "failed": "red bold",
                "stale": "magenta"}


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
        # no cell padding: the cells carry their own one-space gaps, so the list fits the
        # 31 columns of the narrow (80-column) sidebar without a horizontal scrollbar
        super().__init__(cursor_type="row", zebra_stripes=False, cell_padding=0,
                         **kwargs)  # type: ignore[arg-type]
        self._names: list[str] = []

    def on_mount(self) -> None:
        self.add_column("", key="state", width=3)
        self.add_column("module", key="name")
        self.add_column(Text(" size", justify="right"), key="size")
        self.add_column(Text(" Δ", justify="right"), key="delta")
        self.add_column(Text(" replay"), key="replay")

    def set_modules(self, modules: list[ModuleState]) -> None:
        """Replace all rows (called once per workspace load)."""
        self.clear()
        self._names = [m.name for m in modules]
        for m in modules:
            self.add_row(*self._cells(m), key=m.name)

    def update_module(self, m: ModuleState) -> None:
        """Refresh one row in place after a build/replay."""
        if m.name not in self._names:
            return
        for key, cell in zip(("state", "name", "size", "delta", "replay"), self._cells(m),
                             strict=True):
            self.update_cell(m.name, key, cell, update_width=True)

    def _cells(self, m: ModuleState) -> tuple[Text, ...]:
        style = STATE_STYLES.get(m.build, "")
        glyph = STATE_ICONS.get(m.build, "?")
        over = m.budget_over
        if over and m.build in ("ok", "stale"):  # built, but over its size budget
            glyph, style = "▲", "red bold"
        sig = m.extras.get("signature")
        if isinstance(sig, str) and sig.startswith("REFUSED"):  # [trust] refuses to run it
            glyph, style = "⊘", "red bold"
        icon = Text(f" {glyph} ", style=style)
        name = Text(m.name, style="bold" if m.build == "failed" else "")
        size = Text(" " + compact_size(m.size), justify="right",
                    style="red bold" if over else "")
        delta = m.delta
        dstyle = "red" if delta and delta > 0 else "green" if delta and delta < 0 else "dim"
        dtext = Text.assemble(" ", (signed(delta), dstyle + (" reverse" if m.flash else "")),
                              justify="right")
        counts = m.replay_counts
        if counts is None:
            replay = Text(" —", style="dim")
        else:
            ok, bad = counts
            replay = Text.assemble(" ", (f"{ok}✓", "green"), " ",
                                   (f"{bad}✗", "red" if bad else "dim"))
        return icon, name, size, dtext, replay

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


def compact_size(n: int | None) -> str:
    """993B / 6.0K / 53.5K / 1.2M: the list is narrow, the Size view has exact bytes."""
    if n is None:
        return "—"
    if n < 1024:
        return f"{n}B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f}K"
    return f"{n / 1024 / 1024:.1f}M"
