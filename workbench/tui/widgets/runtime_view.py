"""Runtime: edit a request, send it (ctrl+r), bench it (ctrl+b, ctrl+x cancels).

The editor is plain widgets; sending posts `RuntimeView.Send` / `Bench` to the app, whose
workers run the core harness and post results back (RunFinished / BenchProgress).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import (
    Checkbox,
    Input,
    Label,
    Select,
    TabbedContent,
    TabPane,
    TextArea,
)

from workbench.core.http import Request
from workbench.core.runtime.limits import MAX_FUEL
from workbench.tui.runtime_jobs import MODES, RunOptions
from workbench.tui.state import ModuleState
from workbench.tui.widgets.findbar import FindableText, FindBar
from workbench.tui.widgets.runtime_panels import BenchPanel, LogsPanel, ResponsePanel, TimingPanel
from workbench.tui.widgets.select import SafeSelect
from workbench.tui.widgets.view import View


def compact_count(n: int) -> str:
    """1,000,000,000 -> '1G', 2,500,000 -> '2.5M', 20,000 -> '20k', 950 -> '950'."""
    for div, unit in ((10**9, "G"), (10**6, "M"), (10**4, "k")):
        if n >= div:
            return f"{n / div:.3g}{unit}" if unit != "k" else f"{n / 1000:.3g}k"
    return str(n)


class RuntimeView(View):
    # shown in the footer while focus is in this view; the app binds the same keys
    # (hidden) so they work from anywhere
    BINDINGS = [
        Binding("ctrl+r", "app.send_request", "Send", priority=True),
        Binding("ctrl+b", "app.run_bench", "Bench", priority=True),
        Binding("B", "app.run_bench_all", "Bench all"),
        Binding("ctrl+x", "app.cancel_bench", "Stop bench", priority=True),
        Binding("y", "copy_body", "Copy body"),
        Binding("c", "copy_curl", "Copy as curl"),
        Binding("ctrl+s", "save_hurl", "Save as .hurl", priority=True),
    ]
    TITLE = "Runtime"
    HELP = """\
[b]Runtime[/b] — fire requests at the module in an in-process wasmtime.

Edit method, path, headers (one "Name: value" per line) and body, or load a saved
request from the list. ctrl+r sends; the response shows status, headers and the body
(JSON pretty-printed), Timing shows each phase in µs with fuel and peak memory, Logs the
guest's log lines. ctrl+b benches the request N times in the selected mode with live
p50/p90/p99/p99.9 and a histogram; B benches cold, fresh and warm in turn; ctrl+x
cancels. Mode: cold (compile or cache load +
instantiate + call), fresh (new instance per request, what edge platforms do), warm
(one reused instance). Checkboxes: hooks (evaluate hooks.toml first), chaos (the
configured fault injection, or when none is configured a preset: 25% of KV and secret
calls fail, +2 ms on kv_get/kv_put); timeout and fuel override the module's limits.
ctrl+f or / (outside a field) finds in the response, or in the guest log when the
Logs tab is open: enter / shift+enter or n / N move between matches, esc closes.
Outside the fields: y copies the response body, c the request as a curl command;
ctrl+s appends the request (with the last response's status as its expectation) to the
module's request file (requests/saved.hurl by default), where replay picks it up.
"""

    class Send(Message):
        def __init__(self, request: Request, options: RunOptions) -> None:
            super().__init__()
            self.request = request
            self.options = options

    class Bench(Message):
        def __init__(self, request: Request, options: RunOptions, n: int,
                     modes: tuple[str, ...]) -> None:
            super().__init__()
            self.request = request
            self.options = options
            self.n = n
            self.modes = modes

    class CancelBench(Message):
        pass

    def compose(self) -> ComposeResult:
        with Horizontal(id="request-line"):
            yield Input("GET", id="req-method", compact=True)
            yield Input("/", placeholder="/path?query", id="req-path", compact=True)
            yield SafeSelect([(m, m) for m in MODES], value="fresh", allow_blank=False,
                         id="req-mode", compact=True)
        with Horizontal(id="request-extra"):
            yield SafeSelect([], prompt="load a saved request…", id="req-saved",
                             compact=True)
            yield Checkbox("hooks: on", True, id="opt-hooks", compact=True,
                           tooltip="evaluate hooks.toml before the module")
            yield Checkbox("chaos: off", False, id="opt-chaos", compact=True,
                           tooltip="inject the module's chaos faults")
        with Horizontal(id="request-limits"):
            yield Label("timeout", classes="field-label")
            yield Input(placeholder="ms", id="opt-timeout", type="integer", compact=True)
            yield Label("fuel", classes="field-label")
            yield Input(placeholder="limit", id="opt-fuel", type="integer", compact=True)
            yield Label("bench n", classes="field-label")
            yield Input("20000", id="opt-n", type="integer", compact=True)
        with Horizontal(id="request-text"):
            yield TextArea(id="req-headers", soft_wrap=False, compact=True)
            yield TextArea(id="req-body", soft_wrap=True, compact=True)
        with TabbedContent(id="runtime-tabs"):
            with TabPane("Response", id="rt-response"):
                yield ResponsePanel()
            with TabPane("Timing", id="rt-timing"):
                yield TimingPanel()
            with TabPane("Logs", id="rt-logs"):
                yield LogsPanel()
            with TabPane("Bench", id="rt-bench"):
                yield BenchPanel()
        yield FindBar(id="runtime-find")

    def on_mount(self) -> None:
        self.query_one("#req-headers", TextArea).border_title = "headers"
        self.query_one("#req-body", TextArea).border_title = "body"
        self._saved: list[Any] = []
        self._shown_for: str | None = None

    def show(self, state: ModuleState | None) -> None:
        result = state.last_run if state else None
        self.query_one(ResponsePanel).show(result)
        self.query_one(TimingPanel).show(result)
        self.query_one(LogsPanel).show(result)
        self.query_one(FindBar).refresh_count()
        self.query_one(BenchPanel).show(state.bench if state else {},
                                        state.bench_mode if state else None,
                                        state.bench_starting if state else None)
        saved = state.extras.get("requests") if state else None
        if isinstance(saved, list) and saved is not getattr(self, "_saved_src", None):
            self._saved_src = saved
            self.set_saved([(f"{e.name}  ({Path(e.file).name}:{e.line})", e.request)
                            for e in saved])
        if state is not None and state.name != self._shown_for:
            self._shown_for = state.name
            limits = getattr(state.config, "limits", None)
            if limits is not None:
                self.query_one("#opt-timeout", Input).placeholder = f"{limits.timeout_ms} ms"
                fuel = self.query_one("#opt-fuel", Input)
                fuel.placeholder = compact_count(limits.fuel)  # 1G: never cut at 80 columns
                fuel.tooltip = f"the module's fuel limit: {limits.fuel:,} units"

    def open_find(self) -> None:
        """ctrl+f / `/`: find in the guest log when the Logs tab is open, else in the
        response (status line, headers and body)."""
        tabs = self.query_one("#runtime-tabs", TabbedContent)
        if tabs.active != "rt-logs":
            tabs.active = "rt-response"
        wid = "#logs-body" if tabs.active == "rt-logs" else "#response-body"
        self.query_one(FindBar).open(self.query_one(wid, FindableText))

    def set_saved(self, entries: list[tuple[str, Request]]) -> None:
        """Saved requests of the module (label, request) for the load list."""
        self._saved = [req for _, req in entries]
        select = self.query_one("#req-saved", Select)
        select.set_options([(label, i) for i, (label, _) in enumerate(entries)])

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        """The label says the state in words (the box's colour alone is easy to miss)."""
        name = str(event.checkbox.label).split(":")[0]
        event.checkbox.label = f"{name}: {'on' if event.value else 'off'}"

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "req-saved" and isinstance(event.value, int):
            self.load_request(self._saved[event.value])

    def load_request(self, req: Request) -> None:
        self.query_one("#req-method", Input).value = req.method
        self.query_one("#req-path", Input).value = req.target
        self.query_one("#req-headers", TextArea).text = "\n".join(
            f"{k}: {v}" for k, v in req.headers)
        self.query_one("#req-body", TextArea).text = req.body.decode("utf-8", "replace")

    def request(self) -> Request:
        headers = []
        for line in self.query_one("#req-headers", TextArea).text.splitlines():
            name, sep, value = line.partition(":")
            if sep and name.strip():
                headers.append((name.strip(), value.strip()))
            elif line.strip():
                self.notify(f"header line {line.strip()!r} has no 'name: value'; not sent",
                            severity="warning", timeout=4)
        method = self.query_one("#req-method", Input).value.strip().upper() or "GET"
        target = self.query_one("#req-path", Input).value.strip() or "/"
        body = self.query_one("#req-body", TextArea).text.encode()
        return Request(method, target if target.startswith("/") else "/" + target,
                       tuple(headers), body)

    def options(self) -> RunOptions:
        def num(wid: str) -> int | None:
            return self._positive(wid, "the module's limit")

        mode = self.query_one("#req-mode", Select).value
        return RunOptions(mode=str(mode), hooks=self.query_one("#opt-hooks", Checkbox).value,
                          chaos=self.query_one("#opt-chaos", Checkbox).value,
                          timeout_ms=num("#opt-timeout"), fuel=num("#opt-fuel"))

    def _positive(self, wid: str, fallback: str) -> int | None:
        """A positive whole number typed in `wid`; None (and a warning) when it is not."""
        text = self.query_one(wid, Input).value.strip()
        if not text:
            return None
        if text.isdecimal() and 0 < int(text) <= MAX_FUEL:  # int() accepts every such text
            return int(text)
        self.notify(f"{text!r} is not a whole number from 1 to {MAX_FUEL}: using {fallback}",
                    severity="warning", timeout=4)
        return None

    def action_send(self) -> None:
        self.query_one("#runtime-tabs", TabbedContent).active = "rt-response"
        self.post_message(self.Send(self.request(), self.options()))

    def action_bench(self, all_modes: bool = False) -> None:
        """Bench the request in the selected mode, or in cold, fresh and warm in turn."""
        n = self._positive("#opt-n", "20000") or 20000
        self.query_one("#runtime-tabs", TabbedContent).active = "rt-bench"
        opts = self.options()
        modes = MODES if all_modes else (opts.mode,)
        self.post_message(self.Bench(self.request(), opts, n, modes))

    def action_cancel_bench(self) -> None:
        self.post_message(self.CancelBench())

    def _state(self) -> ModuleState | None:
        return self.app.modules.get(self.app.selected or "")  # type: ignore[attr-defined]

    def action_copy_body(self) -> None:
        state = self._state()
        run = state.last_run if state else None
        if run is None or run.response is None:
            self.app.notify("No response yet: ctrl+r sends the request.", severity="warning")
            return
        self.app.copy_to_clipboard(run.response.body.decode("utf-8", "replace"))
        self.app.notify(f"Response body copied ({len(run.response.body):,} B).", timeout=2)

    def action_copy_curl(self) -> None:
        from workbench.core.requests.export import to_curl

        base = getattr(self.app, "server_url", None)
        self.app.copy_to_clipboard(to_curl(self.request(), base))
        self.app.notify("Request copied as a curl command.", timeout=2)

    def action_save_hurl(self) -> None:
        from workbench.core.requests.export import to_hurl_entry
        from workbench.tui.saving import append_entry, saved_requests_file

        state = self._state()
        if state is None:
            return
        run = state.last_run
        status = run.response.status if run is not None and run.response is not None \
            else None
        text = to_hurl_entry(self.request(), status=status, comment="saved from the app")
        try:
            target = saved_requests_file(state.root, getattr(state.config, "requests", None))
            path = append_entry(target, text)
        except OSError as err:
            self.app.notify(f"could not save: {err.strerror}", severity="error")
            return
        self.app.notify(f"Saved to {path}; it replays with the rest.", timeout=4)
