"""Rendering of one replayed entry: assertions (expected vs actual), error, response diff."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text

from workbench.core.text import printable


def render_entry(entry: Any, result: Any | None, root: Path | None = None) -> Text:
    """One saved request and its last replay; paths shown relative to the module root."""
    req = entry.request
    out = Text.assemble((f"{req.method} {req.target}", "bold"),
                        (f"   {rel(entry.file, root)}:{entry.line}\n", "dim"))
    if result is None:
        out.append(f"{len(entry.asserts)} assertions; not replayed yet (enter replays it).\n",
                   style="dim italic")
        for a in entry.asserts:
            out.append(f"  · {a.text}\n", style="dim")
        return out
    if result.hook_rule:
        out.append(f"answered by hook rule {result.hook_rule!r}\n", style="cyan")
    if result.error:
        out.append(f"run error: {result.error['kind']}: {result.error['message']}\n",
                   style="bold red")
    failures = [r for r in result.results if not r.passed]
    passes = [r for r in result.results if r.passed]
    for r in failures:
        a = r.assertion
        out.append("✗ ", style="bold red")
        out.append(f"{a.text}", style="bold")
        out.append(f"   {rel(a.file, root)}:{a.line}\n", style="dim")
        out.append("    expected: ", style="dim")
        out.append(f"{r.expected}\n", style="green")
        out.append("    actual:   ", style="dim")
        out.append(f"{printable(r.actual_text)}\n", style="red")  # JSON null vs <none: why>
        if r.message:
            out.append(f"    {r.message}\n", style="dim")
    for r in passes:
        out.append(f"✓ {r.assertion.text}\n", style="green")
    out.append_text(render_diff(result.diff))
    return out


def render_diff(diff: Any | None) -> Text:
    out = Text()
    if diff is None:
        out.append("\nresponse unchanged since the previous replay (or first replay)\n",
                   style="dim italic")
        return out
    out.append("\nchanged since the previous replay:\n", style="bold yellow")
    if diff.status:
        out.append(f"  status {diff.status[0]} → {diff.status[1]}\n", style="yellow")
    if diff.error:
        out.append(f"  error {diff.error[0]} → {diff.error[1]}\n", style="yellow")
    for name, value in diff.headers_added:
        out.append(f"  + {name}: {printable(value)}\n", style="green")
    for name, value in diff.headers_removed:
        out.append(f"  - {name}: {printable(value)}\n", style="red")
    for name, before, after in diff.headers_changed:
        out.append(f"  ~ {name}: {printable(before)} → {printable(after)}\n", style="yellow")
    for line in diff.body_diff:
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
        out.append(f"  {printable(line.rstrip())}\n", style=style)
    return out


def rel(file: str, root: Path | None) -> str:
    """`file` relative to the module root when inside it, else its name."""
    if root is None:
        return file
    try:
        return str(Path(file).resolve().relative_to(root.resolve()))
    except ValueError:
        return Path(file).name
