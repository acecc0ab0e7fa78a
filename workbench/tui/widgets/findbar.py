"""Find in a text panel: `FindableText` highlights matches, `FindBar` drives it.

The find bar (ctrl+f or `/`) opens under the panel it searches (compiler output,
response body, guest log, help). Typing highlights every match (case-insensitive) and
shows "3/17"; enter or ↓ moves to the next, shift+enter or ↑ to the previous (n / N
too, once focus has left the field); esc closes it and clears the highlights.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, Static

MATCH = "black on yellow"
CURRENT = "bold black on dark_orange"


def find_spans(plain: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of every case-insensitive, non-overlapping match of `query`."""
    if not query:
        return []
    hay, needle = plain.casefold(), query.casefold()
    if len(hay) != len(plain):  # casefold changed lengths (ß -> ss): fall back to lower()
        hay, needle = plain.lower(), query.lower()
    out, at = [], hay.find(needle)
    while at >= 0 and needle:
        out.append((at, at + len(needle)))
        at = hay.find(needle, at + len(needle))
    return out


class FindableText(Static):
    """A Static holding one `Text` that a find bar can search and highlight."""

    def __init__(self, content: Text | str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._base = Text(content) if isinstance(content, str) else content
        self._spans: list[tuple[int, int]] = []
        self._current = -1
        self.update(self._base)

    def set_text(self, text: Text | str) -> None:
        """New content; an open search is re-run on it (the match count follows)."""
        self._base = Text(text) if isinstance(text, str) else text
        if self._spans:
            self._spans = find_spans(self._base.plain, self._query)
            self._current = min(self._current, len(self._spans) - 1)
        self._render_matches()

    @property
    def plain(self) -> str:
        return self._base.plain

    @property
    def match_count(self) -> int:
        return len(self._spans)

    @property
    def current(self) -> int:
        return self._current

    def search(self, query: str) -> int:
        self._query = query
        self._spans = find_spans(self._base.plain, query)
        self._current = 0 if self._spans else -1
        self._render_matches()
        self._scroll_to_current()
        return len(self._spans)

    def step(self, by: int) -> None:
        if self._spans:
            self._current = (self._current + by) % len(self._spans)
            self._render_matches()
            self._scroll_to_current()

    def clear_search(self) -> None:
        self._spans, self._current = [], -1
        self._render_matches()

    def _render_matches(self) -> None:
        if not self._spans:
            self.update(self._base)
            return
        text = self._base.copy()
        for i, (start, end) in enumerate(self._spans):
            text.stylize(CURRENT if i == self._current else MATCH, start, end)
        self.update(text)

    def _scroll_to_current(self) -> None:
        """Bring the current match into view in the nearest scrolling ancestor."""
        if self._current < 0:
            return
        line = self._base.plain.count("\n", 0, self._spans[self._current][0])
        width = max(1, self.content_size.width)
        # wrapped lines before the match push it down: count them per source line
        before = self._base.plain[:self._spans[self._current][0]].split("\n")
        line += sum(len(seg) // width for seg in before[:-1]) + len(before[-1]) // width
        node = self.parent
        while node is not None and isinstance(node, Widget):
            if node.is_scrollable and node.allow_vertical_scroll:
                y = self.virtual_region.y + line
                node.scroll_to_region(Region(0, y, 1, 1), animate=False, center=True)
                return
            node = node.parent


class FindBar(Horizontal):
    """The find field and the "3/17" count, under the panel being searched."""

    DEFAULT_CSS = """
    FindBar { height: 1; display: none; background: $boost; }
    FindBar.-open { display: block; }
    FindBar > Input { width: 1fr; }
    FindBar > #find-count { width: auto; min-width: 12; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close find", priority=True),
        Binding("enter,down", "step(1)", "Next", priority=True),
        Binding("shift+enter,up", "step(-1)", "Previous", priority=True),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.target: FindableText | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="find… (enter next, shift+enter previous, esc closes)",
                    compact=True, classes="find-input")
        yield Static("", id="find-count")

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self, target: FindableText) -> None:
        if self.target is not None and self.target is not target:
            self.target.clear_search()
        self.target = target
        self.add_class("-open")
        field = self.query_one(Input)
        field.focus()
        self._search(field.value)

    def action_close(self) -> None:
        if self.target is not None:
            self.target.clear_search()
        self.remove_class("-open")
        self.target = None
        self.screen.set_focus(None)

    def action_step(self, by: int) -> None:
        if self.target is not None:
            self.target.step(by)
            self._count()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()

    def _search(self, query: str) -> None:
        if self.target is not None:
            self.target.search(query)
        self._count()

    def _count(self) -> None:
        label = self.query_one("#find-count", Static)
        query = self.query_one(Input).value
        target = self.target
        if target is None or not query:
            label.update("")
        elif not target.match_count:
            label.update(Text("no match", style="red"))
        else:
            label.update(f"{target.current + 1}/{target.match_count}")

    def refresh_count(self) -> None:
        """After the target's text changed under an open search."""
        self._count()
