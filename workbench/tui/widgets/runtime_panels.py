"""Result panels of the Runtime view: response, timing/fuel/memory, guest logs, bench.

Each renders one frozen core result (`RunResult`) and nothing else; the bench panel is
in `bench_panel.py`.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from workbench.core.text import printable  # guest text: no escape sequences reach the tty
from workbench.tui.state import size_text
from workbench.tui.widgets.findbar import FindableText

PHASES = ("hooks", "cache_load", "compile", "instantiate", "handler", "total")
LEVEL_STYLES = {"debug": "dim", "info": "", "warn": "yellow", "error": "bold red"}


def status_style(status: int) -> str:
    return "bold green" if status < 300 else "bold cyan" if status < 400 else "bold red"


def body_renderable(body: bytes, content_type: str | None) -> Text:
    """Pretty JSON when the body is JSON, else the text (binary bodies summarised); one
    `Text` either way, so the find bar can search and highlight it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Text(f"<{len(body)} bytes of binary body>", style="dim")
    if "json" in (content_type or "") or text.lstrip().startswith(("{", "[")):
        from rich.syntax import Syntax  # pygments: imported on first use, not at startup

        try:
            pretty = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
            syntax = Syntax(pretty, "json", theme="ansi_dark", background_color="default",
                            word_wrap=True)
            shown = syntax.highlight(pretty)
            shown.rstrip()
            return shown
        except ValueError:
            pass
    return Text(printable(text))


class ResponsePanel(VerticalScroll):
    def compose(self) -> ComposeResult:
        yield FindableText(Text("Press ctrl+r to send the request.", style="dim italic"),
                           id="response-body")

    def show(self, result: Any | None) -> None:
        body = self.query_one("#response-body", FindableText)
        if result is None:
            body.set_text(Text("Press ctrl+r to send the request.", style="dim italic"))
            return
        parts: list[Text] = []
        if result.error is not None:
            err = Text.assemble((f"{result.error.kind}: ", "bold red"),
                                printable(result.error.message))
            for frame in result.error.backtrace:
                err.append(f"\n  at {frame}", style="dim")
            parts.append(err)
        resp = result.response
        if resp is not None:
            line = Text.assemble((f"HTTP {resp.status}", status_style(resp.status)),
                                 f"  {printable(resp.to_json().get('reason') or '')}",
                                 (f"   via {result.abi}",
                                  "dim"))
            parts.append(line)
            heads = Text()
            for k, v in resp.headers:
                heads.append(printable(k), style="bold")
                heads.append(f": {printable(v)}\n")
            parts.append(heads)
            parts.append(body_renderable(resp.body, resp.header("content-type")))
        body.set_text(Text("\n").join(parts))


class TimingPanel(VerticalScroll):
    def compose(self) -> ComposeResult:
        yield Static(id="timing-body")

    def show(self, result: Any | None) -> None:
        out = self.query_one("#timing-body", Static)
        if result is None:
            out.update(Text("No run yet.", style="dim italic"))
            return
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        table.add_column("phase")
        table.add_column("µs", justify="right")
        timing = result.timing
        if "prepare" in timing:  # the first fresh/warm request after a build
            table.add_row(Text("prepare (once per build: compile + link, not in total)",
                               style="dim"), Text(f"{timing['prepare']:,.1f}", style="dim"))
        for phase in PHASES:
            if phase == "total":
                other = timing.get("total", 0.0) - sum(
                    v for k, v in timing.items() if k not in ("total", "prepare"))
                if "total" in timing and other >= 0.05:
                    table.add_row(Text("other (request in, response out, KV)", style="dim"),
                                  Text(f"{other:,.1f}", style="dim"))
            if phase in timing:
                style = "bold" if phase == "total" else ""
                table.add_row(Text(phase, style=style),
                              Text(f"{timing[phase]:,.1f}", style=style))
        for phase, value in timing.items():  # phases this list does not know (e.g. link)
            if phase not in PHASES and phase != "prepare":
                table.add_row(Text(phase, style="dim"), Text(f"{value:,.1f}", style="dim"))
        facts = Text.assemble(
            ("mode ", "dim"), result.mode, ("   abi ", "dim"), str(result.abi),
            ("   fuel ", "dim"), f"{result.fuel:,}" if result.fuel_measured else "n/a",
            ("   memory ", "dim"),
            size_text(result.memory_bytes) if result.memory_measured else "n/a")
        if result.cache:
            facts.append(f"   cache {result.cache}", style="dim")
        if result.faults:
            facts.append("\nchaos: " + ", ".join(result.faults), style="yellow")
        if result.hook:
            facts.append("\nhook: " + json.dumps(result.hook)[:300], style="cyan")
        out.update(Group(table, facts))


class LogsPanel(VerticalScroll):
    def compose(self) -> ComposeResult:
        yield FindableText(id="logs-body")

    def show(self, result: Any | None) -> None:
        out = self.query_one("#logs-body", FindableText)
        if result is None or not result.logs:
            out.set_text(Text("No guest log lines." if result else "No run yet.",
                            style="dim italic"))
            return
        text = Text()
        for line in result.logs:
            text.append(f"{line.t_us:>9.1f}µs ", style="dim")
            text.append(f"{line.level:<5} ", style=LEVEL_STYLES.get(line.level, ""))
            text.append(f"{printable(line.message)}\n")
        out.set_text(text)


from workbench.tui.widgets.bench_panel import BenchPanel  # noqa: E402  (its old home)

__all__ = ["BenchPanel", "LogsPanel", "ResponsePanel", "TimingPanel", "body_renderable"]
