"""Proportional bars, percentages and section colour kinds for the Size view's tables."""

from __future__ import annotations

from typing import Any

from rich.text import Text

BAR_WIDTH = 20
NARROW_BAR_WIDTH = 4  # below 100 columns: the table fits the pane, no horizontal scroll
BLOCKS = " ▏▎▍▌▋▊▉█"


def section_kind(section: Any) -> str:
    """Colour class of a section: code, data, debug, custom or meta (everything else)."""
    if section.id == 10:
        return "code"
    if section.id == 11:
        return "data"
    if section.id == 0:
        return "debug" if section.name.startswith((".debug", "external_debug")) else "custom"
    return "meta"


def bar(fraction: float, color: str, width: int = BAR_WIDTH) -> Text:
    """A proportional bar with eighth-block precision."""
    eighths = max(0, min(width * 8, round(fraction * width * 8)))
    text = "█" * (eighths // 8) + (BLOCKS[eighths % 8] if eighths % 8 else "")
    return Text(text.ljust(width), style=color)


def pct(value: float) -> Text:
    return Text(f"{value:5.1f}%", justify="right")
