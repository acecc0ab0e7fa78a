"""The Runtime view's Bench tab: live p50/p90/p99/p99.9 per mode, progress with an ETA,
errors by kind with their first message, and a log-scale histogram per mode.

It renders `runtime_jobs.BenchSnapshot`s (the core's live `BenchProgress`) and, between
ctrl+b and the first snapshot, a "sending…" line: the first request of a bench compiles
or instantiates (not a sample) and can take a while on a big module.
"""

from __future__ import annotations

import time
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import ProgressBar, Sparkline, Static

from workbench.core.text import printable
from workbench.tui.runtime_jobs import MODES
from workbench.tui.widgets.histogram import log_axis, log_bins

BINS = 64  # the sparkline spreads them over its width, so the axis lines up with it
STARTING = "(the first request compiles and instantiates; it is not a sample)"


class BenchPanel(VerticalScroll):
    """Live p50/p90/p99/p99.9 per mode (cold, fresh, warm), each with its histogram."""

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=1, show_eta=False, id="bench-progress")
        yield Static(id="bench-note")
        yield Static(id="bench-table")
        yield Static(id="bench-errors")
        for mode in MODES:
            yield Static(id=f"hist-label-{mode}", classes="hist-label")
            yield Sparkline([], id=f"hist-{mode}", classes="hist")
            yield LogAxis(id=f"hist-axis-{mode}", classes="hist-axis")

    def show(self, benches: dict[str, Any], latest_mode: str | None = None,
             starting: tuple[str, int, float] | None = None) -> None:
        """`starting`: (mode, n, monotonic start) of a bench that has no snapshot yet."""
        self._shown = (benches, latest_mode, starting)
        narrow = 0 < self.size.width < 72  # 80 columns: no p99.9 / max, short figures
        cols = ("mode", "n", "p50", "p90", "p99") + (("p99.9", "max") if not narrow else ())
        table = Table(box=None, header_style="bold", pad_edge=False)
        for col in (*cols, "errors"):
            table.add_column(col, justify="left" if col == "mode" else "right", no_wrap=True)
        fmt = short_us if narrow else (lambda v: f"{v:,.1f}")
        for mode in MODES:
            snap = benches.get(mode)
            stats = snap.phases.get("total") if snap is not None else None
            blanks = [""] * (len(cols) - 2)
            if snap is None:
                table.add_row(mode, "—", *blanks, "")
                self._histogram(mode, snap)
                continue
            errors = Text(f"{snap.errors:,}", style="bold red" if snap.errors else "")
            if stats is None:
                table.add_row(mode, f"{snap.done:,}", *blanks, errors)
            else:
                values = (stats.p50, stats.p90, stats.p99, stats.p999, stats.max)
                table.add_row(mode, f"{snap.done:,}", *(fmt(v) for v in values[:len(cols) - 2]),
                              errors)
            self._histogram(mode, snap)
        self.query_one("#bench-table", Static).update(
            Group(Text("total time per request, µs" + (" (ms, s where marked; p99.9 and max "
                       "at 100+ columns)" if narrow else ""), style="dim"), table))
        latest = benches.get(latest_mode or "")
        self.query_one("#bench-errors", Static).update(errors_text(latest))
        note = self.query_one("#bench-note", Static)
        if starting is not None:
            mode, n, since = starting
            self.query_one("#bench-progress", ProgressBar).update(total=max(1, n), progress=0)
            note.update(Text(f"{mode}: sending… {time.monotonic() - since:,.1f} s  "
                             f"{STARTING}", style="yellow"))
            return
        if latest is None:
            note.update(Text("ctrl+b benches the request in the selected mode, B in all three "
                             "modes; ctrl+x cancels.", style="dim italic"))
            return
        self.query_one("#bench-progress", ProgressBar).update(
            total=max(1, latest.total), progress=latest.done)
        note.update(progress_text(latest))

    def on_resize(self) -> None:
        """The table's columns depend on the width (shown first while the tab was hidden)."""
        shown = getattr(self, "_shown", None)
        if shown is not None:
            self.show(*shown)

    def _histogram(self, mode: str, snap: Any | None) -> None:
        """The mode's log-scale histogram; hidden until the mode has samples."""
        label = self.query_one(f"#hist-label-{mode}", Static)
        spark = self.query_one(f"#hist-{mode}", Sparkline)
        axis = self.query_one(f"#hist-axis-{mode}", LogAxis)
        buckets = getattr(getattr(snap, "progress", None), "buckets_us", ()) if snap else ()
        counts, lo, hi = log_bins(buckets, n=BINS)
        for widget in (label, spark, axis):
            widget.display = bool(counts)
        if not counts:
            return
        label.update(Text.assemble((mode, "bold"), ("  total µs, log scale", "dim")))
        spark.data = [float(c) for c in counts]
        axis.span = (lo, hi)
        axis.refresh()


class LogAxis(Static):
    """The axis under a log histogram, laid out for its own width when drawn."""

    span: tuple[float, float] = (0.0, 0.0)

    def render(self) -> Text:
        lo, hi = self.span
        if hi <= 0:
            return Text()
        return Text(log_axis(lo, hi, max(8, self.size.width)), style="dim")


def short_us(us: float) -> str:
    """Figures for the narrow table: 8.4 / 291 / 8,712 µs, then 12.3ms and 1.25s."""
    if us < 100:
        return f"{us:.1f}"
    if us < 10_000:
        return f"{us:,.0f}"
    if us < 1_000_000:
        return f"{us / 1000:.1f}ms"
    return f"{us / 1_000_000:.2f}s"


def progress_text(snap: Any) -> Text:
    """'fresh: running, 4,200/20,000 requests · 1.2 s · ETA 4.5 s' and the reference."""
    prog = snap.progress
    elapsed = float(getattr(prog, "elapsed_s", 0.0) or 0.0)
    state = "cancelled" if snap.cancelled else "done" if snap.final else "running"
    text = Text(f"{snap.mode}: {state}, {snap.done:,}/{snap.total:,} requests · "
                f"{elapsed:,.1f} s", style="dim" if snap.final else "")
    if not snap.final and snap.done:
        eta = elapsed * (snap.total - snap.done) / snap.done
        text.append(f" · ETA {eta:,.1f} s · {snap.done / max(elapsed, 1e-9):,.0f} req/s")
    handler = snap.phases.get("handler")
    if snap.reference_us is not None and handler is not None:
        text.append(f"\nhandler p50 {handler.p50:,.1f} µs; the same call through plain "
                    f"wasmtime p50 {snap.reference_us:,.1f} µs", style="dim")
    if snap.around_us is not None:
        text.append(f"\naround the guest p50 {snap.around_us:,.1f} µs (total − hooks − "
                    "compile − instantiate − handler: the harness's own work, as "
                    "`workbench bench` reports it)", style="dim")
    return text


def errors_text(snap: Any | None) -> Text:
    """One line per error kind: count, share and the first message of that kind."""
    prog = getattr(snap, "progress", None)
    errors: dict[str, int] = dict(getattr(prog, "errors", {}) or {})
    if snap is None or not errors:
        return Text()
    first: dict[str, str] = dict(getattr(prog, "first_errors", {}) or {})
    out = Text(f"errors in {snap.mode} ({sum(errors.values()):,} of {snap.done:,} "
               "requests), by kind:", style="bold red")
    for kind, count in sorted(errors.items(), key=lambda kv: -kv[1]):
        out.append(f"\n  {count:>7,}  {kind}", style="red")
        message = printable(first.get(kind, "")).replace("\n", " ")
        if message:
            out.append(f"  first: {message[:160]}", style="")
    return out
