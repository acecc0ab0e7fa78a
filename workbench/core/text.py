"""`printable(text)`: guest-provided text made safe to print on a terminal.

A handler's headers, body and log lines, a compiler's output, a request file's content:
any of them can carry terminal control sequences (ESC ] 52 writes the clipboard, ESC [ 2J
clears the screen, a bare CR overwrites a line, U+202E reverses what follows). Every human
rendering shows them as visible escapes instead (`\\x1b`, `\\r`, `\\u202e`); newlines and
tabs stay. JSON output is not passed through here: it stays exact.
"""

from __future__ import annotations

import re

# C0 controls but \t and \n, DEL, C1 controls, and the Unicode bidi/isolate overrides.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code == 0x0D:
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with terminal control characters shown as escapes (newline and tab kept)."""
    return _CONTROL.sub(_visible, text) if _CONTROL.search(text) else text
