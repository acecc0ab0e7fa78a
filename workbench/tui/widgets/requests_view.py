"""Requests: saved requests with their last result; replay one (enter) or all (r).

Entries come from `core.requests.load_requests`, results from `core.replay` (every
assertion with expected and actual, run errors, and the response diff against the
previous replay, i.e. the previous build).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from workbench.tui.replay_jobs import entry_key
from workbench.tui.state import ModuleState
from workbench.tui.widgets.replay_detail import rel, render_entry
from workbench.tui.widgets.table import Column, RowTable
from workbench.tui.widgets.view import View, extra_note


def _result_cell(value: Any) -> Text:
    return {"pass": Text("✓ pass", style="green"), "FAIL": Text("✗ FAIL", style="bold red"),
            "error": Text("✗ error", style="bold red")}.get(str(value), Text("—", style="dim"))


class RequestsView(View):
    TITLE = "Requests"
    HELP = """\
[b]Requests[/b] — the module's saved requests (requests/*.hurl, *.http) and the result
of their last replay. r replays all of them, enter replays the highlighted one; with
auto-replay on (a) every rebuild replays them too. The panel below shows each assertion
with what was expected and what came back (failures first, with file:line), a run error
if the handler failed, and what changed in the response since the previous replay
(status, headers, body diff) — i.e. what your last edit changed.
p runs the purity check on these requests (as `workbench purity`): each on a fresh and on
a reused instance in two orders, globals and memory compared; the verdict says whether
the handler is safe to reuse and snapshot, or which global, symbol or heap leaks.
"""

    BINDINGS = [Binding("enter", "replay_one", "Replay one"),
                Binding("p", "app.purity", "Purity check")]

    class ReplayOne(Message):
        def __init__(self, entry: Any) -> None:
            super().__init__()
            self.entry = entry

    def compose(self) -> ComposeResult:
        yield Static(id="requests-note")
        yield Static(id="purity-note")
        yield RowTable([
            # numbers first: they are never clipped; long text last, cut with an ellipsis
            Column("result", "result", fmt=_result_cell),
            Column("status", "status", numeric=True), Column("fuel", "fuel", numeric=True),
            Column("name", "request", max_width=36), Column("where", "file:line", max_width=28),
        ], id="entries-table")
        with VerticalScroll(id="entry-detail-box"):
            yield Static(id="entry-detail")

    def on_mount(self) -> None:
        self._entries: dict[str, Any] = {}
        self._state: ModuleState | None = None
        self._current: str | None = None

    def show(self, state: ModuleState | None) -> None:
        self._state = state
        saved: Any = state.extras.get("requests") if state else None
        note = self.query_one("#requests-note", Static)
        table = self.query_one("#entries-table", RowTable)
        if saved == "none" or (state is not None and saved is None and state.module):
            note.update(Text("No saved requests: add requests/*.hurl to the module.",
                             style="dim italic"))
            table.set_rows([])
            self._entries = {}
        elif (msg := extra_note(saved, "Saved requests")) is not None:
            note.update(msg)
            table.set_rows([])
            self._entries = {}
        else:
            assert state is not None
            root = state.root
            self._entries = {entry_key(e): e for e in saved}
            rows = []
            for e in saved:
                res = state.entry_results.get(entry_key(e))
                word = None if res is None else "pass" if res.passed else \
                    "error" if res.error else "FAIL"
                rows.append((word, None if res is None else res.status,
                             None if res is None else res.fuel, e.name,
                             f"{rel(e.file, root)}:{e.line}"))
            table.set_rows(rows)
            note.update(self._summary(state, len(saved)))
        self._show_detail(self._current or next(iter(self._entries), None))
        self._purity(state)

    def _purity(self, state: ModuleState | None) -> None:
        out = self.query_one("#purity-note", Static)
        report: Any = state.extras.get("purity") if state else None
        if report is None:
            out.update(Text("p: purity check — are responses the same on a fresh and a "
                            "reused instance, does state leak between requests?",
                            style="dim italic"))
            return
        if report == "running":
            job = self._job(state, "purity")
            out.update(Text(f"◐ {job.text()}" if job else "purity check running…",
                            style="yellow"))
            return
        if isinstance(report, Exception):
            out.update(Text(f"purity check: {report}", style="bold red"))
            return
        styles = {"ok": "bold green", "bad": "bold red", "warn": "yellow", "note": "dim"}
        text = Text()
        for n, (kind, line) in enumerate(report.lines()):
            text.append(("" if n == 0 else "\n  ") + line, style=styles.get(kind, ""))
        out.update(text)

    def show_progress(self, state: ModuleState) -> None:
        """Twice a second while a replay or a purity check runs: their progress lines."""
        saved: Any = state.extras.get("requests")
        if isinstance(saved, list) and state is self._state:
            self.query_one("#requests-note", Static).update(self._summary(state, len(saved)))
        self._purity(state)

    def _job(self, state: ModuleState | None, kind: str) -> Any:
        finder = getattr(self.app, "job", None)
        return finder(state.name, kind) if finder is not None and state is not None else None

    def _summary(self, state: ModuleState, count: int) -> Text:
        counts = state.replay_counts
        t = Text(f"{count} saved requests", style="bold")
        job = self._job(state, "replay")
        if job is not None:
            t.append(f"  · ◐ {job.text()}", style="yellow")
        if counts is None and job is None:
            t.append("  · not replayed yet (r replays all)", style="dim")
        elif counts is None:
            pass
        else:
            ok, bad = counts
            t.append(f"  · {ok} passed", style="green")
            t.append(f", {bad} failed", style="bold red" if bad else "dim")
        return t

    def _show_detail(self, key: str | None) -> None:
        self._current = key
        detail = self.query_one("#entry-detail", Static)
        entry = self._entries.get(key or "")
        if entry is None or self._state is None:
            detail.update("")
            return
        detail.update(render_entry(entry, self._state.entry_results.get(key or ""),
                                   self._state.root))

    def _key_at(self, row: int) -> str | None:
        table = self.query_one("#entries-table", RowTable)
        values = table.row_values(row)
        if values is None or self._state is None:
            return None
        where = str(values[4])
        for key, e in self._entries.items():
            if f"{rel(e.file, self._state.root)}:{e.line}" == where:
                return key
        return None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "entries-table":
            event.stop()
            self._show_detail(self._key_at(event.cursor_row))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "entries-table":
            event.stop()
            self.action_replay_one()

    def action_replay_one(self) -> None:
        entry = self._entries.get(self._current or "")
        if entry is not None:
            self.post_message(self.ReplayOne(entry))
