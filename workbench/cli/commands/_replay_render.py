"""Human report for `workbench replay` (rich): per entry a line, per failed assertion its
file:line, expected and actual, then what changed since the last replay."""

from __future__ import annotations

import os
from collections.abc import Callable

from rich.markup import escape

from workbench.cli.render import console
from workbench.core.requests.replay import EntryResult, ReplayReport
from workbench.core.requests.store import ResponseDiff

MAX_DIFF_LINES = 40


def _short(where: str) -> str:
    """file:line relative to the current folder when it is below it."""
    try:
        return os.path.relpath(where) if os.path.isabs(where) and not os.path.relpath(
            where).startswith("..") else where
    except ValueError:
        return where


def render_reports(reports: list[ReplayReport]) -> None:
    for report in reports:
        render_report(report)


def render_report(report: ReplayReport) -> None:
    c = report.counts
    n = c["entries"]
    console.print(f"[bold]replay {escape(report.module)}[/] [dim]({n} "
                  f"{'entry' if n == 1 else 'entries'}, {report.elapsed_ms:.1f} ms)[/]")
    for e in report.entries:
        render_entry(e)
    style = "green" if report.passed else "red"
    summary = (f"{c['entries'] - c['entries_failed']}/{c['entries']} entries passed, "
               f"{c['assertions'] - c['assertions_failed']}/{c['assertions']} assertions")
    if c["run_errors"]:
        summary += f", {c['run_errors']} run errors"
    if c["changed"]:
        summary += f", {c['changed']} responses changed since the last replay"
    if report.cancelled:
        summary += " (cancelled)"
    console.print(f"[bold {style}]{summary}[/]")
    if report.warning:
        console.print(f"[yellow]warning:[/] {escape(report.warning)}")


def render_entry(e: EntryResult) -> None:
    mark = "[green]✓[/]" if e.passed else "[red]✗[/]"
    status = "—" if e.status is None else str(e.status)
    extra = f"  [magenta]hook {escape(e.hook_rule)}[/]" if e.hook_rule else ""
    console.print(f" {mark} {escape(e.entry.name)}  [dim]{escape(_short(e.entry.where))}[/]  "
                  f"{status}  [dim]{e.duration_ms:.2f} ms[/]{extra}")
    def show(text: str) -> str:  # captured `redact` values hidden, as in --json
        return escape(e.redacted(text))

    if e.error is not None:
        console.print(f"     [red]run failed ({escape(e.error['kind'])}):[/] "
                      f"{show(e.error['message'])}")
    for r in e.failures:
        where = escape(_short(r.assertion.where))
        console.print(f"     [red]{where}[/]  {show(r.assertion.text)}")
        note = f" [dim]({show(r.note)})[/]" if r.note else ""
        console.print(f"        expected {show(r.expected)}, got {show(r.actual_text)}"
                      f"{note}")
    if e.diff is not None:
        _diff(e.diff, e.redacted)


def _diff(d: ResponseDiff, hide: Callable[[str], str] = str) -> None:
    def esc(text: str) -> str:
        return escape(hide(text))

    console.print("     [yellow]changed since the last replay:[/]")
    if d.status:
        console.print(f"       status {d.status[0]} → {d.status[1]}")
    if d.error:
        console.print(f"       error {esc(str(d.error[0]))} → {esc(str(d.error[1]))}")
    for k, v in d.headers_added:
        console.print(f"       [green]+ {esc(k)}: {esc(v)}[/]")
    for k, v in d.headers_removed:
        console.print(f"       [red]- {esc(k)}: {esc(v)}[/]")
    for k, a, b in d.headers_changed:
        console.print(f"       ~ {esc(k)}: {esc(a)} → {esc(b)}")
    lines = d.body_diff[2:] if len(d.body_diff) > 2 else d.body_diff  # drop ---/+++ headers
    for line in lines[:MAX_DIFF_LINES]:
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
        console.print(f"       [{style}]{esc(line)}[/]")
    if len(lines) > MAX_DIFF_LINES:
        console.print(f"       [dim]… {len(lines) - MAX_DIFF_LINES} more diff lines[/]")
