"""A DataTable that keeps raw rows and re-renders them sorted and filtered.

Sizes sort as numbers and display with thousands separators; a filter substring narrows
rows by their text. Clicking a header (or pressing `s`) sorts by that column, a second
click reverses. Very long tables show the first `limit` rows of the current order with a
note, so a 100k-function module never stalls the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from workbench.core.text import printable

Formatter = Callable[[Any], Text | str]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    fmt: Formatter | None = None
    numeric: bool = False
    width: int | None = None
    max_width: int | None = None  # longer text is cut with "…" (the full text is in detail)


def int_cell(value: Any) -> Text:
    return Text("" if value is None else f"{value:,}", justify="right")


class RowTable(DataTable[Any]):
    """Sortable, filterable table over raw row tuples."""

    BINDINGS = [
        Binding("s", "cycle_sort", "Sort", tooltip="Sort by the next column"),
        Binding("S", "reverse_sort", "Reverse", show=False),
        Binding("y", "copy_table", "Copy table"),
    ]

    def __init__(self, columns: Sequence[Column], *, limit: int = 2000, sort: str | None = None,
                 reverse: bool = True, totals: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.columns_spec = list(columns)
        self.limit = limit
        self.sort_key = sort
        self.sort_reverse = reverse
        self.filter_text = ""
        self._rows: list[tuple[Any, ...]] = []
        self._search: list[str] | None = None
        self._styles: list[str] = []
        self.shown = 0
        self.matched = 0
        # numeric columns summed in a bold closing row ("N more" for rows past the limit)
        self.totals = tuple(totals)

    def on_mount(self) -> None:
        for col in self.columns_spec:
            self.add_column(col.label, key=col.key, width=col.width)

    def set_rows(self, rows: Sequence[tuple[Any, ...]], styles: Sequence[str] | None = None
                 ) -> None:
        self._rows = list(rows)
        self._styles = list(styles) if styles is not None else [""] * len(self._rows)
        self._search = None  # search texts: built on the first filter, then reused
        self.render_rows()

    def set_filter(self, text: str) -> None:
        self.filter_text = text.strip().lower()
        self.render_rows()

    def render_rows(self) -> None:
        pairs = list(zip(self._rows, self._styles, strict=True))
        if self.filter_text:
            if self._search is None:
                self._search = ["\t".join(str(v).lower() for v in row if v is not None)
                                for row in self._rows]
            needle = self.filter_text
            pairs = [p for p, text in zip(pairs, self._search, strict=True) if needle in text]
        if self.sort_key is not None:
            idx = [c.key for c in self.columns_spec].index(self.sort_key)
            numeric = self.columns_spec[idx].numeric
            pairs.sort(key=lambda p: _sortable(p[0][idx], numeric), reverse=self.sort_reverse)
        self.matched = len(pairs)
        self._ordered = [row for row, _ in pairs]
        self.clear()
        for n, (row, style) in enumerate(pairs[: self.limit]):
            cells = [self._cell(col, value, style) for col, value in
                     zip(self.columns_spec, row, strict=True)]
            self.add_row(*cells, key=str(n))
        self.shown = min(len(pairs), self.limit)
        if self.totals and pairs:
            self._total_rows([row for row, _ in pairs])

    def _total_rows(self, rows: list[tuple[Any, ...]]) -> None:
        """`N more (X B)` for rows past the limit, then a bold `total` that adds up."""
        keys = [c.key for c in self.columns_spec]
        label = next((k for k in keys if k not in self.totals
                      and not self.columns_spec[keys.index(k)].numeric), keys[0])

        def summed(part: list[tuple[Any, ...]], name: str) -> list[Text | str]:
            cells: list[Text | str] = []
            for i, col in enumerate(self.columns_spec):
                if col.key == label:
                    cells.append(Text(name))
                elif col.key in self.totals:
                    cells.append(self._cell(col, sum(r[i] or 0 for r in part), ""))
                else:
                    cells.append("")
            return cells

        hidden = rows[self.limit:]
        if hidden:
            self.add_row(*summed(hidden, f"… {len(hidden):,} more"), key="more")
        name = "total (filtered)" if self.filter_text else "total"
        cells = summed(rows, name)
        for cell in cells:
            if isinstance(cell, Text):
                cell.stylize("bold")
        self.add_row(*cells, key="total")

    def _cell(self, col: Column, value: Any, style: str) -> Text | str:
        if col.fmt is not None:
            cell = col.fmt(value)
        elif col.numeric:
            cell = int_cell(value)
        else:
            cell = Text("" if value is None else printable(str(value)))  # names from modules
        if col.max_width is not None and isinstance(cell, Text) \
                and cell.cell_len > col.max_width:
            cell.truncate(col.max_width - 1)
            cell.append("…")
        if style and isinstance(cell, Text):
            cell.stylize(style)
        return cell

    def as_tsv(self) -> str:
        """Every matched row in the current order (not only the first `limit`), raw values
        (bytes without separators, names uncut), tab-separated under a header line;
        columns without a label (bars) are left out."""
        keep = [i for i, c in enumerate(self.columns_spec) if c.label]
        lines = ["\t".join(self.columns_spec[i].label for i in keep)]
        for row in getattr(self, "_ordered", []):
            lines.append("\t".join(tsv_value(row[i]) for i in keep))
        return "\n".join(lines) + "\n"

    def action_copy_table(self) -> None:
        self.app.copy_to_clipboard(self.as_tsv())
        rows = len(getattr(self, "_ordered", []))
        self.app.notify(f"Table copied: {rows:,} rows, tab-separated.", timeout=3)

    def row_values(self, row: int) -> tuple[Any, ...] | None:
        """Displayed cells of a row (after sort/filter), or None out of range."""
        if row < 0 or row >= self.row_count:
            return None
        return tuple(self.get_row_at(row))

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        key = str(event.column_key.value)
        if self.sort_key == key:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_key, self.sort_reverse = key, self._default_reverse(key)
        self.render_rows()

    def action_cycle_sort(self) -> None:
        keys = [c.key for c in self.columns_spec]
        pos = keys.index(self.sort_key) + 1 if self.sort_key in keys else 0
        nxt = keys[pos % len(keys)]
        self.sort_key, self.sort_reverse = nxt, self._default_reverse(nxt)
        self.render_rows()

    def action_reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.render_rows()

    def _default_reverse(self, key: str) -> bool:
        return next((c.numeric for c in self.columns_spec if c.key == key), False)


def tsv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    text = value.plain if isinstance(value, Text) else str(value)
    return text.replace("\t", " ").replace("\n", " ")


def _sortable(value: Any, numeric: bool) -> tuple[int, Any]:
    if value is None:
        return (0, 0 if numeric else "")
    if numeric:
        try:
            return (1, float(value))
        except (TypeError, ValueError):
            return (0, 0)
    return (1, str(value).lower())
