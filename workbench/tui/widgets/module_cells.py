"""The cells of one module list row, narrow or wide (pure functions, no widgets)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from workbench.tui.state import STATE_ICONS, ModuleState, signed

WIDE_AT = 100  # terminal columns: the app's -wide breakpoint
NAME_WIDTH = {False: 13, True: 12}  # longest name shown whole; longer ones end in "…"
STATE_STYLES = {"pending": "dim", "building": "yellow", "ok": "green", "failed": "red bold",
                "stale": "magenta"}


def columns(wide: bool) -> list[tuple[str, Text | str]]:
    cols: list[tuple[str, Text | str]] = [
        ("state", ""), ("name", "module"), ("size", Text(" size", justify="right"))]
    if wide:
        cols += [("delta", Text(" Δ", justify="right")),
                 ("budget", Text(" budget", justify="right"))]
    return cols + [("replay", Text(" reqs"))]  # " replay" was cut to "repla" at 80 columns


def cells(m: ModuleState, wide: bool) -> tuple[Text, ...]:
    style = STATE_STYLES.get(m.build, "")
    glyph = STATE_ICONS.get(m.build, "?")
    over = m.budget_over
    if over and m.build in ("ok", "stale"):  # built, but over its size budget
        glyph, style = "▲", "red bold"
    sig = m.extras.get("signature")
    if isinstance(sig, str) and sig.startswith("REFUSED"):  # [trust] refuses to run it
        glyph, style = "⊘", "red bold"
    if m.build == "failed" and getattr(m.build_result, "untrusted", False):
        glyph, style = "·", "yellow"  # not built because not trusted yet: no failure
    icon = Text(f" {glyph} ", style=style)
    name = Text(shorten(m.name, NAME_WIDTH[wide]),
                style="bold" if m.build == "failed" else "")
    size = Text(" " + compact_size(m.size), justify="right", style="red bold" if over else "")
    out = [icon, name, size]
    if wide:
        delta = m.delta
        dstyle = "red" if delta and delta > 0 else "green" if delta and delta < 0 else "dim"
        out.append(Text.assemble(" ", (compact_delta(delta),
                                       dstyle + (" reverse" if m.flash else "")),
                                 justify="right"))
        out.append(budget_cell(m.extras.get("budget")))
    out.append(replay_cell(m.replay_counts))
    return tuple(out)


def replay_cell(counts: tuple[int, int] | None) -> Text:
    """'12✓' when every saved request passes, '11✓1✗' otherwise, '—' before a replay."""
    if counts is None:
        return Text(" —", style="dim")
    ok, bad = counts
    cell = Text.assemble(" ", (f"{ok}✓", "green"))
    if bad:
        cell.append(f"{bad}✗", style="red bold")
    return cell


def budget_cell(report: Any) -> Text:
    """The tightest budget line as a share of its limit: ' 84%' (red over 100%)."""
    lines = getattr(report, "lines", None)
    usable = [ln for ln in lines or () if getattr(ln, "max", 0) > 0]
    if not usable:
        return Text(" —", style="dim", justify="right")
    worst = max(usable, key=lambda ln: ln.actual / ln.max)
    share = worst.actual / worst.max * 100
    style = "red bold" if share > 100 else "yellow" if share > 90 else ""
    return Text(f" {share:.0f}%", style=style, justify="right")


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def compact_size(n: int | None) -> str:
    """993B / 6.0K / 53.5K / 1.2M: the list is narrow, the Size view has exact bytes."""
    if n is None:
        return "—"
    if n < 1024:
        return f"{n}B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f}K"
    return f"{n / 1024 / 1024:.1f}M"


def compact_delta(n: int | None) -> str:
    """+12 / -3 / ±0, and +1.2K beyond four digits."""
    if n is None or abs(n) < 10000:
        return signed(n)
    return ("+" if n > 0 else "-") + compact_size(abs(n)).replace("B", "")
