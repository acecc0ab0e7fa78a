"""Shared CLI rendering helpers: one rich Console and JSON output.

Human output carries guest-provided text (headers, bodies, logs, compiler output), so the
consoles show terminal control characters as visible escapes (`workbench.core.text`):
a handler cannot write the clipboard (OSC 52) or clear the screen through `workbench run`.
Markup never needs control characters, so escaping every string argument is safe. Tables
and other renderables are escaped where they are built. JSON output stays exact.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleOptions
from rich.segment import Segment

from workbench.core.text import printable


class SafeConsole(Console):
    """A rich Console whose string arguments are passed through `printable` first, and
    whose rendered text is too: a name from a module (an export, a function in the name
    section, a custom section) inside a Table or Text reaches `render`, not `print`, and
    rich passes ESC through (`workbench inspect` of a module exporting "\x1b]52;c;..."
    wrote the clipboard). Renderables built from such text should still escape it where
    they are built, so that widths are measured on what is shown."""

    def print(self, *objects: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().print(*(printable(o) if isinstance(o, str) else o for o in objects),
                      **kwargs)

    def render(self, renderable: Any, options: ConsoleOptions | None = None
               ) -> Iterable[Segment]:
        for seg in super().render(renderable, options):
            if seg.control or printable(seg.text) is seg.text:
                yield seg
            else:
                yield Segment(printable(seg.text), seg.style)


console = SafeConsole(highlight=False)
err_console = SafeConsole(stderr=True, highlight=False)


def print_json(doc: Any) -> None:
    """One JSON document per line (JSON lines when several are printed)."""
    sys.stdout.write(json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n")
