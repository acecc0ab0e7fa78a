"""Size: where every byte goes — sections with bars, functions, data, sources, diff, strip.

The section, function and data figures are the reader's records (`core.wasm.model`);
sources, diff, strip preview and budget are the size core's results computed by the build
worker (`ModuleState.extras`). Tables sort (`s`, header click) and filter (`/`).
"""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.widgets import Input, Static, TabbedContent, TabPane

from workbench.tui.state import ModuleState, short_label, signed, size_text
from workbench.tui.widgets.bars import BAR_WIDTH, NARROW_BAR_WIDTH, bar, pct, section_kind
from workbench.tui.widgets.size_extras import DiffPane, SourcesPane, StripPane
from workbench.tui.widgets.size_history import HistoryPane
from workbench.tui.widgets.table import Column, RowTable
from workbench.tui.widgets.view import View


class SizeView(View):
    TITLE = "Size"
    HELP = """\
[b]Size[/b] — where the bytes of the selected module go.

Sections: every section with its payload size, share of the file and a bar coloured by
kind (code, data, debug, custom, other). The rows add up to the file size (the bold
total): "(file header)" is the 8-byte magic + version, "(section headers)" the id byte
and size LEB in front of each section's payload. Functions and Data likewise add up to
their section's payload: "(body size LEBs)", "(count LEB)" and "(segment headers)"
(flags, memory, offset expression, size LEB) are the bytes that belong to no item.
Functions / Data: sortable (s, or click a header; S reverses) and filterable
(/ focuses the filter). Sources: DWARF attribution
as a tree (enter expands). Diff: this build against the previous one, growth in red.
Strip: what the file would weigh without debug/custom sections, and the budget.
Above 4 MiB the gzip -9 size is estimated (~); g computes the exact figure (progress in
the summary line and the status line).
"""

    BINDINGS = [Binding("slash", "focus_filter", "Filter", key_display="/"),
                Binding("g", "app.exact_gzip", "Exact gzip")]

    def compose(self) -> ComposeResult:
        yield Static(id="size-summary")
        with TabbedContent(id="size-tabs"):
            with TabPane("Sections", id="size-sections"):
                yield RowTable([
                    Column("name", "section"), Column("size", "size", numeric=True),
                    Column("count", "count", numeric=True),
                    Column("pct", "%", fmt=pct, numeric=True), Column("bar", "", width=BAR_WIDTH),
                ], sort="size", totals=("size", "pct"), id="sections-table")
            with TabPane("Functions", id="size-functions"):
                yield Input(placeholder="filter functions…", id="functions-filter")
                yield RowTable([
                    Column("index", "#", numeric=True), Column("name", "function"),
                    Column("size", "size", numeric=True),
                    Column("pct", "% code", fmt=pct, numeric=True),
                ], sort="size", totals=("size", "pct"), id="functions-table")
            with TabPane("Data", id="size-data"):
                yield Input(placeholder="filter data segments…", id="data-filter")
                yield RowTable([
                    Column("index", "#", numeric=True), Column("name", "segment"),
                    Column("size", "size", numeric=True),
                    Column("pct", "% data", fmt=pct, numeric=True),
                ], sort="size", totals=("size", "pct"), id="data-table")
            with TabPane("Sources", id="size-sources"):
                yield SourcesPane()
            with TabPane("Diff", id="size-diff"):
                yield DiffPane()
            with TabPane("Strip & budget", id="size-strip"):
                yield StripPane()
            with TabPane("History", id="size-history"):
                yield HistoryPane()

    def show(self, state: ModuleState | None) -> None:
        summary = self.query_one("#size-summary", Static)
        module = state.module if state else None
        if state is None or module is None:
            reason = getattr(self.app, "empty_reason", None)
            msg = (reason or "No module selected.") if state is None else _waiting(state)
            summary.update(Text(msg, style="dim italic"))
            for table in self.query(RowTable):
                table.set_rows([])
        else:
            summary.update(self._summary(state, module))
            self._sections(state, module)
            self._functions(state)
            self._data(state)
        self.query_one(SourcesPane).show(state)
        self.query_one(DiffPane).show(state)
        self.query_one(StripPane).show(state)
        self.query_one(HistoryPane).show(state)

    def _summary(self, state: ModuleState, module: Any) -> Text:
        t = Text.assemble((state.name, "bold"), "  ", (size_text(module.size), "bold"))
        gz = getattr(state.report, "gzip_size", None)
        exact = state.extras.get("gzip_exact")
        if isinstance(exact, int):
            t.append(f" · gzip {size_text(exact)} (exact)")
        elif gz is not None:
            approx = "" if getattr(state.report, "gzip_exact", True) else "~"
            t.append(f" · gzip {approx}{size_text(gz)}")
            job = getattr(self.app, "job", lambda *a: None)(state.name, "gzip")
            if job is not None:
                t.append(f" ◐ {job.text()}", style="yellow")
            elif approx:
                t.append(" (estimated; g: exact)", style="dim")
        t.append(f" · {len(module.sections)} sections · {len(module.functions):,} functions")
        delta = state.delta
        if delta:
            style = f"bold {self.var('size-growth')}" if delta > 0 else \
                f"bold {self.var('size-shrink')}"
            t.append(f"  {signed(delta)} B vs previous build", style=style)
        if state.build == "stale":
            t.append("  stale: last build failed, showing the previous module", style="magenta")
        return t

    def show_progress(self, state: ModuleState) -> None:
        """Twice a second while the exact gzip job or a first build runs: the summary line
        only (the tables stay as they are). Nothing when the view is not composed (yet, or
        any longer, while the app closes)."""
        try:
            summary = self.query_one("#size-summary", Static)
        except NoMatches:
            return
        if state.module is not None:
            summary.update(self._summary(state, state.module))
        else:
            summary.update(Text(_waiting(state), style="dim italic"))

    def on_resize(self) -> None:
        state = getattr(self, "_state", None)
        if state is not None and state.module is not None and self._bar_width() != getattr(
                self, "_shown_bar", None):
            self._sections(state, state.module)

    def _bar_width(self) -> int:
        return BAR_WIDTH if self.app.size.width >= 100 else NARROW_BAR_WIDTH

    def _sections(self, state: ModuleState, module: Any) -> None:
        """Rows of core.size.by_section: every section plus explicit overhead rows."""
        sview: Any = state.extras.get("sections")
        rows, styles = [], []
        self._state, self._shown_bar = state, self._bar_width()
        table = self.query_one("#sections-table", RowTable)
        table.columns["bar"].width = self._shown_bar  # type: ignore[index]
        if _usable(sview):
            total = max(1, sview.total)
            for r in sview.rows:
                sec = module.sections[r.index] if r.index is not None else None
                kind = section_kind(sec) if sec is not None else "meta"
                frac = r.size / total
                rows.append((short_label(r.name), r.size, sec.count if sec else None, frac * 100,
                             bar(frac, self.var(f"section-{kind}"), self._shown_bar)))
                styles.append("" if r.kind == "item" else "dim")
        table.set_rows(rows, styles)

    def _functions(self, state: ModuleState) -> None:
        """Rows of core.size.by_function (bodies plus LEB overhead = code payload)."""
        fview: Any = state.extras.get("functions")
        rows, styles = [], []
        if _usable(fview):
            total = max(1, fview.total)
            for r in fview.rows:
                rows.append((r.index, short_label(r.name), r.size, r.size / total * 100))
                styles.append("" if r.kind == "item" else "dim")
        table = self.query_one("#functions-table", RowTable)
        table.set_rows(rows, styles)
        self._placeholder("#functions-filter", f"{styles.count(''):,} functions", table)

    def _data(self, state: ModuleState) -> None:
        """Rows of core.size.by_data (segments plus headers = data payload)."""
        dview: Any = state.extras.get("data")
        rows, styles = [], []
        if _usable(dview):
            total = max(1, dview.total)
            for r in dview.rows:
                rows.append((r.index, short_label(r.name), r.size, r.size / total * 100))
                styles.append("" if r.kind == "item" else "dim")
        table = self.query_one("#data-table", RowTable)
        table.set_rows(rows, styles)
        self._placeholder("#data-filter", f"{styles.count(''):,} data segments", table)

    def _placeholder(self, input_id: str, what: str, table: RowTable) -> None:
        """Say how many rows exist and, for huge modules, that only the first are listed."""
        text = f"filter {what}…"
        if table.shown < table.matched:
            text += f" (listing the first {table.shown:,} in the current order)"
        self.query_one(input_id, Input).placeholder = text

    def on_input_changed(self, event: Input.Changed) -> None:
        target = {"functions-filter": "#functions-table", "data-filter": "#data-table"}
        if event.input.id in target:
            self.query_one(target[event.input.id], RowTable).set_filter(event.value)

    def action_focus_filter(self) -> None:
        tabs = self.query_one("#size-tabs", TabbedContent)
        if tabs.active == "size-data":
            self.query_one("#data-filter", Input).focus()
        else:
            tabs.active = "size-functions"
            self.query_one("#functions-filter", Input).focus()


def _usable(value: Any) -> bool:
    return value is not None and not isinstance(value, Exception)


def _waiting(state: ModuleState) -> str:
    if state.build == "building":
        secs = time.monotonic() - state.build_started if state.build_started else None
        return f"{state.name}: building…" + (f" {secs:,.1f} s" if secs is not None else "")
    if state.error:  # errors usually name the module already
        return state.error if state.error.startswith(state.name) else \
            f"{state.name}: {state.error}"
    return f"{state.name}: not built yet."
