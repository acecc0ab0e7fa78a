"""Served: every request the dev server answered (l starts it), newest first.

One row per `ServeRecord` from `services.serve` (the same records `workbench serve
--json` prints): time, status, method, path, what answered (module build, hook rule or
the server itself), total ms, fuel and bytes. A filter narrows the rows; the highlighted
row shows its phases, error and guest logs; ctrl+s saves it as a .hurl entry.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, Static

from workbench.core.text import printable
from workbench.tui.state import ModuleState
from workbench.tui.widgets.table import Column, RowTable
from workbench.tui.widgets.view import View

MAX_ROWS = 2000


class ServedView(View):
    TITLE = "Served"
    BINDINGS = [Binding("ctrl+s", "save_hurl", "Save as .hurl", priority=True)]
    HELP = """\
[b]Served[/b] — the dev server's request log. l starts the server on 127.0.0.1:8787 (or
a free port when that one is taken; the URL is in the title bar) and stops it. Point a
browser, curl, hurl or a load tool at it: each request shows here with its status, what
answered it (the module and which build, a hook rule, or the server: 404 no route, 413
too large, 503 queue full), total time, fuel and bytes. Type in the filter to narrow the
rows; the highlighted row shows its phases (queue, hooks, instantiate, handler), error and
guest logs; ctrl+s appends it (method, path, status) to the module's saved requests.
Saving a source file rebuilds it and the server swaps the new build in.
"""

    def compose(self) -> ComposeResult:
        yield Static(id="served-note")
        yield Input(placeholder="filter (path, status, module…)", id="served-filter")
        yield RowTable([
            Column("time", "time"), Column("status", "status", numeric=True),
            Column("method", "method"), Column("ms", "ms", numeric=True,
                                                 fmt=lambda v: Text(f"{v:,.2f}",
                                                                    justify="right")),
            Column("fuel", "fuel", numeric=True), Column("out", "bytes", numeric=True),
            Column("by", "answered by", max_width=22), Column("path", "path", max_width=40),
        ], sort=None, id="served-table")
        with VerticalScroll(id="served-detail-box"):
            yield Static(id="served-detail")

    def on_mount(self) -> None:
        self._records: list[Any] = []

    def show(self, state: ModuleState | None) -> None:
        app: Any = self.app
        log: deque[Any] = getattr(app, "served_log", deque())
        url = getattr(app, "server_url", None)
        note = self.query_one("#served-note", Static)
        if url is None:
            note.update(Text("The dev server is off: press l to serve the workspace on a "
                             "local port.", style="dim italic"))
        else:
            note.update(Text.assemble(("serving ", "dim"), (url, "bold"),
                                      (f"  · {len(log):,} requests logged", "dim")))
        records = [r for r in reversed(log) if hasattr(r, "status")]
        self._records = records
        rows = [(time.strftime("%H:%M:%S", time.localtime(r.time)), r.status, r.method,
                 r.phases.total_us / 1000, r.fuel, r.bytes_out, _by(r), r.target)
                for r in records]
        styles = ["red" if r.status >= 500 else "yellow" if r.status >= 400 else ""
                  for r in records]
        self.query_one("#served-table", RowTable).set_rows(rows, styles)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "served-filter":
            event.stop()
            self.query_one("#served-table", RowTable).set_filter(event.value)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "served-table":
            return
        event.stop()
        record = self._record_at(event.cursor_row)
        self.query_one("#served-detail", Static).update(_detail(record) if record else "")

    def _record_at(self, row: int) -> Any:
        table = self.query_one("#served-table", RowTable)
        values = table.row_values(row)
        if values is None:
            return None
        for r in self._records:  # rows are matched on time, method and path
            if (time.strftime("%H:%M:%S", time.localtime(r.time)) == str(values[0])
                    and r.method == str(values[2]) and str(values[7]).startswith(
                        r.target[:38])):
                return r
        return None

    def action_save_hurl(self) -> None:
        from workbench.core.http import Request
        from workbench.core.requests.export import to_hurl_entry
        from workbench.tui.saving import append_entry, saved_requests_file

        table = self.query_one("#served-table", RowTable)
        record = self._record_at(table.cursor_row)
        app: Any = self.app
        state = app.modules.get(record.module) if record is not None else None
        if record is None or state is None:
            self.app.notify("Highlight a request a module answered to save it.",
                            severity="warning")
            return
        text = to_hurl_entry(Request(record.method, record.target), status=record.status,
                             comment="saved from the dev server log")
        path = append_entry(saved_requests_file(state.root, getattr(state.config, "requests",
                                                                     None)), text)
        self.app.notify(f"Saved to {path}.", timeout=4)


def _by(r: Any) -> str:
    if r.answered_by == "hook":
        return f"hook {r.hook_rule or ''}".strip()
    if r.answered_by == "module":
        return f"{r.module} #{r.build}" if r.build else str(r.module)
    return "server"


def _detail(r: Any) -> Text:
    t = Text.assemble((f"{r.method} {r.target}", "bold"), f"  →  {r.status}",
                      (f"   from {r.client}", "dim"))
    if r.route:
        t.append(f"\nroute {r.route} → {r.module} (build {r.build}, {r.mode})", style="dim")
    phases = r.phases.to_json()
    t.append("\n" + "  ".join(f"{k} {v:,.1f} µs" for k, v in phases.items()
                              if v is not None), style="dim")
    t.append(f"\nfuel {r.fuel if r.fuel is not None else '—'}  ·  in {r.bytes_in:,} B  ·  "
             f"out {r.bytes_out:,} B")
    if r.error_kind:
        t.append(f"\n{r.error_kind}: {printable(r.error or '')}", style="bold red")
    for line in r.logs:
        t.append(f"\n  {line.level:5} {printable(line.message)}",
                 style="red" if line.level == "error" else "")
    return t
