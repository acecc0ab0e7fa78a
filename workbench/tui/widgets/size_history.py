"""The Size view's History tab: raw and gzip size across builds, with the budget line."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static

from workbench.tui.state import ModuleState, signed


class HistoryPane(Vertical):
    DEFAULT_CSS = """
    HistoryPane { height: auto; }
    HistoryPane Sparkline { height: 3; margin: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="history-note")
        yield Static(Text("raw size", style="dim"), id="history-raw-label")
        yield Sparkline([], id="history-raw")
        yield Static(Text("gzip -9", style="dim"), id="history-gzip-label")
        yield Sparkline([], id="history-gzip")

    def show(self, state: ModuleState | None) -> None:
        note = self.query_one("#history-note", Static)
        points: Any = state.extras.get("history") if state else None
        raw = self.query_one("#history-raw", Sparkline)
        gz = self.query_one("#history-gzip", Sparkline)
        if not points:
            note.update(Text("No builds recorded yet for this module (kept in "
                             ".workbench/size_history.jsonl across restarts).",
                             style="dim italic"))
            raw.data, gz.data = [], []
            return
        sizes = [p.size for p in points]
        gzips = [p.gzip_size for p in points if p.gzip_size is not None]
        first, last = points[0], points[-1]
        head = Text.assemble(
            (f"{len(points)} builds with a size change", "bold"),
            f" since {time.strftime('%Y-%m-%d %H:%M', time.localtime(first.time))}\n",
            "raw ", (f"{first.size:,} → {last.size:,} B", "bold"),
            f" ({signed(last.size - first.size)} B), min {min(sizes):,}, max {max(sizes):,}")
        if gzips:
            head.append(f"\ngzip {gzips[0]:,} → {gzips[-1]:,} B "
                        f"({signed(gzips[-1] - gzips[0])} B)")
        budget = getattr(getattr(state, "config", None), "budget", None)
        limit = getattr(budget, "max_bytes", None)
        if limit:
            over = last.size > limit
            head.append(f"\nbudget max_bytes {limit:,} B: ", style="dim")
            head.append("over" if over else f"{limit - last.size:,} B headroom",
                        style="bold red" if over else "green")
            crossed = [p for p in points if p.size > limit]
            if crossed:
                head.append(f" ({len(crossed)} of {len(points)} builds over)", style="dim")
        note.update(head)
        raw.data = [float(s) for s in sizes]
        gz.data = [float(s) for s in gzips]
