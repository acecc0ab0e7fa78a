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
from typing import Any

from rich.console import Console

from workbench.core.text import printable


class SafeConsole(Console):
    """A rich Console whose string arguments are passed through `printable` first."""

    def print(self, *objects: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().print(*(printable(o) if isinstance(o, str) else o for o in objects),
                      **kwargs)


console = SafeConsole(highlight=False)
err_console = SafeConsole(stderr=True, highlight=False)


def print_json(doc: Any) -> None:
    """One JSON document per line (JSON lines when several are printed)."""
    sys.stdout.write(json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n")
