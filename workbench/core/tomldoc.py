"""TOML text from a folder nobody reviewed, parsed with every failure in words.

`tomllib` raises three things besides `TOMLDecodeError`: `RecursionError` for thousands of
nested `[`/`{`, `ValueError` for an integer of more than 4,300 digits (Python's guard
against quadratic int parsing), and nothing at all for a file it misreads because of a
leading byte-order mark. `parse_toml(text)` turns each into `TomlSyntax` carrying the
line and column and a hint for the usual causes: a key or table written twice, lone CR
line endings (classic Mac), a BOM (dropped: Windows editors write one).
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from workbench.core.files import NESTING_HINT, deepest_line

_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_LONG_INT = re.compile(r"[0-9_]{4300,}")
_LONE_CR = re.compile(r"\r(?!\n)")


class TomlSyntax(ValueError):
    """Text that is not TOML: what is wrong, where (1-based; None when unknown), what to do."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column, self.hint = message, line, column, hint

    @property
    def position(self) -> str:
        """`:line:column` / `:line` / "" for appending to a file name."""
        if self.line is None:
            return ""
        return f":{self.line}" + (f":{self.column}" if self.column is not None else "")


def parse_toml(text: str) -> dict[str, Any]:
    """The document of `text`, or `TomlSyntax` (never another exception)."""
    text = text.removeprefix("\ufeff")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise _decode_error(str(e), text) from None
    except RecursionError:
        raise TomlSyntax("nested too deeply", deepest_line(text), None, NESTING_HINT) from None
    except ValueError:  # Python's int-from-text digit limit
        m = _LONG_INT.search(text)
        line = text.count("\n", 0, m.start()) + 1 if m else None
        column = m.start() - text.rfind("\n", 0, m.start()) if m else None
        raise TomlSyntax("a number too long to read (more than 4,300 digits)", line, column,
                         "write a number of a sensible size (or a string)") from None


def _decode_error(raw: str, text: str) -> TomlSyntax:
    m = _AT.search(raw)
    line, column = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    message = _AT.sub("", raw).strip()
    hint = None
    if message.startswith(("Cannot overwrite a value", "Cannot declare")):
        hint = "a key or table is defined twice: keep one of them"
    elif _LONE_CR.search(text):
        hint = ("the file has lone CR line endings (classic Mac OS): save it with LF or "
                "CRLF line endings")
    elif "\x00" in text:
        hint = "the file holds NUL bytes: is it a text file?"
    return TomlSyntax(message, line, column, hint)
