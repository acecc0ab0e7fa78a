"""Served: every request the dev server answered (l starts it), newest first.

One row per `ServeRecord` from `services.serve` (the same records `workbench serve
--json` prints): time, status, method, path, what answered (module build, hook rule or
the server itself), total ms, fuel and bytes. A filter narrows the rows; the highlighted
row shows the whole exchange (request and response headers and bodies, phases, error,
guest logs; secrets redacted); ctrl+s appends it to the module's saved requests as a
complete .hurl entry (`services.serve.export.record_hurl`).
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
SHOWN_BODY = 16 * 1024  # bytes of a body shown in the detail pane


class ServedView(View):
    TITLE = "Served"
    BINDINGS = [Binding("ctrl+s", "save_hurl", "Save as .hurl", priority=True)]
    HELP = """\
[b]Served[/b] — the dev server's request log. l starts the server on 127.0.0.1:8787 (or
a free port when that one is taken; the URL is in the title bar) and stops it. Point a
browser, curl, hurl or a load tool at it: each request shows here with its status, what
answered it (the module and which build, a hook rule, or the server: 404 no route, 413
too large, 503 queue full), total time, fuel and bytes. Type in the filter to narrow the
rows; the highlighted row shows the full request and response (headers and body), its
phases (queue, hooks, instantiate, handler), error and guest logs; ctrl+s appends it
(method, URL, headers, body, expected status) to the module's saved requests.
Saving a source file rebuilds it and the server swaps the new build in.
"""

    def compose(self) -> ComposeResult:
        yield Static(id="served-note")
        yield Input(placeholder="filter (path, status, module…)", id="served-filter")
        yield RowTable([
            # the path right after the method: at 120 columns the last ones are clipped
            Column("time", "time"), Column("status", "status", numeric=True),
            Column("method", "method"), Column("path", "path", max_width=32),
            Column("ms", "ms", numeric=True, fmt=lambda v: Text(f"{v:,.2f}", justify="right")),
            Column("fuel", "fuel", numeric=True), Column("out", "bytes", numeric=True),
            Column("by", "answered by", max_width=22),
            Column("n", "#", numeric=True),  # the row's record (newest is 1)
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
        records = [r for r in reversed(log) if hasattr(r, "status")]  # not server events
        n = len(records)
        if url is None and getattr(app, "serve_starting", False):
            note.update(Text("The dev server is starting: loading the modules…",
                             style="dim italic"))
        elif url is None:
            note.update(Text("The dev server is off: press l to serve the workspace on a "
                             "local port.", style="dim italic"))
        else:
            note.update(Text.assemble(("serving ", "dim"), (url, "bold"),
                                      (f"  · {n:,} request{'' if n == 1 else 's'} logged",
                                       "dim")))
        self._records = records
        rows = [(time.strftime("%H:%M:%S", time.localtime(r.time)), r.status, r.method,
                 printable(r.redacted(r.target)), r.phases.total_us / 1000, r.fuel,
                 r.bytes_out, _by(r), n)
                for n, r in enumerate(records, 1)]
        styles = ["red" if r.status >= 500 else "yellow" if r.status >= 400 else ""
                  for r in records]
        self.query_one("#served-table", RowTable).set_rows(rows, styles)
        server = getattr(app, "dev_server", None)
        if not records and url is not None and server is not None:
            self.query_one("#served-detail", Static).update(_routes(url, server.table.lines()))

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
        values = self.query_one("#served-table", RowTable).row_values(row)
        try:
            return self._records[int(str(values[-1]).replace(",", "")) - 1] if values else None
        except (ValueError, IndexError):  # the "total" row, or a stale cursor
            return None

    def action_save_hurl(self) -> None:
        from workbench.services.serve.export import record_hurl
        from workbench.tui.saving import append_entry, saved_requests_file

        table = self.query_one("#served-table", RowTable)
        record = self._record_at(table.cursor_row)
        app: Any = self.app
        state = app.modules.get(record.module) if record is not None else None
        if record is None or state is None:
            self.app.notify("Highlight a request a module answered to save it.",
                            severity="warning")
            return
        path = append_entry(saved_requests_file(state.root, getattr(state.config, "requests",
                                                                     None)),
                            record_hurl(record))
        self.app.notify(f"Saved {record.method} {record.handler_target or record.target} "
                        f"(HTTP {record.status}) to {path}.", timeout=4)


def _routes(url: str, lines: list[tuple[str, str, str]]) -> Text:
    """What is served where (shown until the first request arrives)."""
    text = Text.assemble(("routes on ", "bold"), (url, "bold"),
                         (" (longest prefix wins)\n", "dim"))
    width = max((len(p) for p, _, _ in lines), default=0)
    for prefix, name, state in lines:
        if prefix.strip("/") == name and state.startswith(name + " "):
            state = state[len(name) + 1:]  # "/m  (build 1, edge, warm)": m said once
        text.append(f"  {prefix.ljust(width)}", style="bold")
        text.append(f"  {state}\n")
    return text


def _by(r: Any) -> str:
    if r.answered_by == "hook":
        return f"hook {r.hook_rule or ''}".strip()
    if r.answered_by == "module":
        return f"{r.module} #{r.build}" if r.build else str(r.module)
    return "server"


def _detail(r: Any) -> Text:
    """The full exchange: request, response (headers and body, secrets redacted), phases,
    error and guest logs."""
    red = r.redacted
    t = Text.assemble((f"{r.method} {printable(red(r.target))}", "bold"), f"  →  {r.status}",
                      (f"   from {r.client}", "dim"))
    if r.route:
        which = f"build {r.build}, {r.mode}" if r.build is not None else "no build served"
        t.append(f"\nroute {r.route} → {r.module} ({which})", style="dim")
    phases = r.phases.to_json()
    t.append("\n" + "  ".join(f"{k} {v:,.1f} µs" for k, v in phases.items()
                              if v is not None), style="dim")
    t.append(f"\nfuel {f'{r.fuel:,}' if r.fuel is not None else '—'}  ·  in {r.bytes_in:,} B  ·  "
             f"out {r.bytes_out:,} B")
    if r.error_kind:
        t.append(f"\n{r.error_kind}: {printable(red(r.error or ''))}", style="bold red")
    for title, headers, body in (("request", r.request_headers, r.request_body),
                                 ("response", r.response_headers, r.response_body)):
        t.append(f"\n\n{title}", style="bold")
        for k, v in headers:
            t.append(f"\n  {printable(k)}: ", style="cyan")
            t.append(printable(red(v)))
        t.append_text(_body(body, red))
    t.append("\n\nguest logs", style="bold")
    if not r.logs:
        t.append("  (none)", style="dim")
    for line in r.logs:
        t.append(f"\n  {line.level:5} {printable(red(line.message))}",
                 style="red" if line.level == "error" else "")
    return t


def _body(body: bytes, red: Any) -> Text:
    if not body:
        return Text("\n  (no body)", style="dim")
    shown = body[:SHOWN_BODY]
    try:
        text = shown.decode("utf-8")
    except UnicodeDecodeError:
        return Text(f"\n  {len(body):,} bytes, not UTF-8: {shown[:64].hex(' ')}…",
                    style="dim")
    out = Text("\n" + printable(red(text)))  # newlines and tabs kept, controls escaped
    if len(body) > SHOWN_BODY:
        out.append(f"\n  … {len(body) - SHOWN_BODY:,} more bytes (ctrl+s saves them all)",
                   style="dim")
    return out
