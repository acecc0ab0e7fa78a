"""Help for the focused view (`?` / F1), plus the keys that work everywhere."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

from workbench.tui.widgets.findbar import FindableText, FindBar

GLOBAL_KEYS = """\
[b]Keys[/b] (while a text field has focus, letters and digits go
into it: esc leaves it)
  1-7     switch view: Size, Signatures, Runtime, Requests, Hooks,
          Build, Served
  m       focus the module list
  b       rebuild the selected module
  r / a   replay saved requests / toggle auto-replay after builds
  ctrl+r  send the Runtime view's request
  ctrl+b  bench it in the selected mode; B in all modes; ctrl+x stop
  ctrl+f  find (also /) in the Build output, the Runtime response
          or log, or this help: enter / n next match, shift+enter /
          N the previous one, esc closes
  y       copy the focused table as tab-separated text
  g       exact gzip -9 size (when the Size view shows ~, estimated)
  p       purity check of the saved requests
  l       start/stop the dev server (URL in the title; view 7 logs)
  k       the workspace KV store (list keys, reset)
  t       change theme
  ctrl+p  command palette (every action)
  tab     move focus;  q  quit;  ? / F1  this help

[b]Module list[/b]
  ● built   ◐ building   ✖ failed   · not built yet
  ◌ stale (the last build failed; the last good build serves)
  ▲ built, over its size budget (Size view, Strip & budget tab)
  ⊘ refused by the workspace's [trust] signature policy
    (the Signatures view says why)
  Columns: size; at 100+ columns also Δ (the last build's change)
  and budget (the tightest limit's use, %); replay: 5✓ all passed,
  4✓1✗ one failed
"""


class HelpScreen(ModalScreen[None]):
    """A modal with the active view's help text; any of esc, q, ? closes it; ctrl+f or
    `/` finds in it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", key_display="esc"),
                Binding("ctrl+f,slash", "find", "Find", key_display="/"),
                Binding("n", "step(1)", "Next match", show=False),
                Binding("N", "step(-1)", "Previous match", show=False)]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.help_title = title
        self.help_text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box") as box:
            box.border_title = f"Help — {self.help_title}"
            with VerticalScroll(id="help-scroll"):
                yield FindableText(help_markup(
                    reflow(self.help_text) + "\n\n" + GLOBAL_KEYS), id="help-text")
            yield FindBar(id="help-find")

    def action_find(self) -> None:
        self.query_one(FindBar).open(self.query_one("#help-text", FindableText))

    def action_step(self, by: int) -> None:
        bar = self.query_one(FindBar)
        if bar.is_open:
            bar.action_step(by)


def help_markup(text: str) -> Text:
    """The help's [b]…[/b] as bold; any other bracket ([trust], [budget]) stays text."""
    return Text.from_markup(re.sub(r"\[(?!/?b\])", r"\\[", text))


def reflow(text: str) -> str:
    """Join the hard-wrapped lines of each paragraph so the modal wraps them itself."""
    paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
    return "\n\n".join(paragraphs)
