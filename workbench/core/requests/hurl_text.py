"""Hurl's lexical grammar on one line: value strings, key strings, quoted strings, regexes.

Each reader follows the rule of the same name in Hurl's grammar (hurl.dev, "Grammar"):
which characters end it, which escapes it decodes (`\\#`, `\\u{1F600}`...), where a
`{{placeholder}}` may stand and where a `# comment` starts. An escape the rule does not
list is an error at file:line, as in Hurl.
"""

from __future__ import annotations

import re

from workbench.core.errors import RequestFileError
from workbench.core.requests.template import Expr, Template

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_KEY_CHARS = re.compile(r"[\w.\[\]@$-]+")  # Hurl: char::is_alphanumeric, Unicode
_SIMPLE = {"\\": "\\", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
# which escapes each string kind decodes (besides \u{...})
VALUE_ESCAPES = {**_SIMPLE, "#": "#"}
KEY_ESCAPES = {**_SIMPLE, "#": "#", ":": ":"}
QUOTED_ESCAPES = {**_SIMPLE, '"': '"'}
ONELINE_ESCAPES = {**_SIMPLE, "`": "`", "#": "#"}
MULTILINE_ESCAPES = {**_SIMPLE, "`": "`"}
FILENAME_ESCAPES = {**_SIMPLE, "#": "#", ";": ";", " ": " ", "{": "{", "}": "}"}


class Cursor:
    """A position in one line of a Hurl file, with the readers of the lexical grammar."""

    def __init__(self, text: str, file: str, line: int, pos: int = 0, col0: int = 0) -> None:
        """`col0`: characters of the file's line before `text` (a stripped indent), so
        errors name the column in the file."""
        self.text, self.file, self.line, self.pos, self.col0 = text, file, line, pos, col0

    def fail(self, message: str, hint: str | None = None) -> RequestFileError:
        column = self.col0 + min(self.pos, len(self.text)) + 1
        return RequestFileError(message, file=self.file, line=self.line, hint=hint,
                                column=column)

    @property
    def rest(self) -> str:
        return self.text[self.pos:]

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos:self.pos + n]

    def skip_sp(self) -> int:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1
        return self.pos - start

    def need_sp(self, after: str) -> None:
        if not self.skip_sp():
            raise self.fail(f"expected a space after {after}")

    def at_lt(self) -> bool:
        """Only spaces and an optional `# comment` left (Hurl's `lt`)."""
        self.skip_sp()
        return self.pos >= len(self.text) or self.text[self.pos] == "#"

    def expect_lt(self, what: str) -> None:
        if not self.at_lt():
            raise self.fail(f"unexpected text after {what}: {self.rest[:40]!r}",
                            hint="a comment starts with '#'")

    def word(self, rx: re.Pattern[str]) -> str | None:
        m = rx.match(self.text, self.pos)
        if not m:
            return None
        self.pos = m.end()
        return m.group(0)

    # -- pieces -----------------------------------------------------------------------------

    def escape(self, table: dict[str, str]) -> str:
        """The character after a backslash at pos (pos is on the backslash)."""
        nxt = self.text[self.pos + 1:self.pos + 2]
        if nxt == "u":
            m = re.compile(r"\{([0-9A-Fa-f]{1,6})\}").match(self.text, self.pos + 2)
            if not m:
                raise self.fail("invalid escape \\u: write \\u{1F600} (1 to 6 hex digits)")
            code = int(m.group(1), 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise self.fail(f"invalid unicode escape \\u{{{m.group(1)}}}")
            self.pos = m.end()
            return chr(code)
        if nxt not in table:
            shown = nxt or "end of line"
            raise self.fail(f"invalid escape \\{shown}",
                            hint="valid here: " + " ".join("\\" + k for k in table) + " \\u{..}")
        self.pos += 2
        return table[nxt]

    def placeholder(self) -> Expr:
        """`{{ name }}` at pos."""
        end = self.text.find("}}", self.pos + 2)
        if end < 0:
            raise self.fail("unterminated {{ placeholder", hint="write {{name}}")
        inner = self.text[self.pos + 2:end].strip()
        if not inner:
            raise self.fail("empty placeholder {{}}", hint="write {{name}}")
        if not _NAME.fullmatch(inner):
            first = inner.split()[0]
            if _NAME.fullmatch(first):
                raise self.fail(f"not supported: expressions in a placeholder ({{{{{inner}}}}}: "
                                f"filters or function arguments)",
                                hint="capture the value already filtered, or use a plain "
                                     "{{name}}")
            raise self.fail(f"invalid variable name {inner!r} in {{{{...}}}}",
                            hint="names start with a letter: letters, digits, _ and -")
        self.pos = end + 2
        return Expr(inner, self.file, self.line)

    def _string(self, stop: str, table: dict[str, str], *, templates: bool = True) -> Template:
        """Characters up to one of `stop` (not consumed) or the end of the line."""
        parts: list[str | Expr] = []
        buf: list[str] = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in stop:
                break
            if ch == "\\":
                buf.append(self.escape(table))
            elif templates and self.text.startswith("{{", self.pos):
                if buf:
                    parts.append("".join(buf))
                    buf = []
                parts.append(self.placeholder())
            else:
                buf.append(ch)
                self.pos += 1
        if buf:
            parts.append("".join(buf))
        return Template(tuple(parts))

    def value_string(self) -> Template:
        """Hurl `value-string`: up to a `#` comment or the end of line, trailing spaces cut."""
        t = self._string("#", VALUE_ESCAPES)
        if t.parts and isinstance(t.parts[-1], str):
            last = t.parts[-1]
            # only raw trailing spaces are cut; Template does not know which were escaped,
            # so re-scan: an escaped space cannot occur in value strings (no "\ " escape)
            t = Template(t.parts[:-1] + ((last.rstrip(" \t"),) if last.rstrip(" \t") else ()))
        return t

    def key_string(self) -> Template | None:
        """Hurl `key-string` at pos, or None when none starts there."""
        parts: list[str | Expr] = []
        buf: list[str] = []
        while self.pos < len(self.text):
            if self.text[self.pos] == "\\":
                buf.append(self.escape(KEY_ESCAPES))
            elif self.text.startswith("{{", self.pos):
                if buf:
                    parts.append("".join(buf))
                    buf = []
                parts.append(self.placeholder())
            else:
                w = self.word(_KEY_CHARS)
                if w is None:
                    break
                buf.append(w)
        if buf:
            parts.append("".join(buf))
        return Template(tuple(parts)) if parts else None

    def quoted(self, what: str = "value") -> Template:
        """Hurl `quoted-string` at pos."""
        if self.peek() != '"':
            raise self.fail(f"{what} must be a \"quoted string\"")
        self.pos += 1
        t = self._string('"', QUOTED_ESCAPES)
        if self.peek() != '"':
            raise self.fail(f"unterminated quoted string in {what}")
        self.pos += 1
        return t

    def regex(self) -> str:
        """Hurl `regex` `/.../` at pos; `\\/` is a slash, other escapes stay for the engine."""
        self.pos += 1
        out: list[str] = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "/":
                self.pos += 1
                return "".join(out)
            if ch == "\\" and self.pos + 1 < len(self.text):
                nxt = self.text[self.pos + 1]
                out.append("/" if nxt == "/" else "\\" + nxt)
                self.pos += 2
                continue
            out.append(ch)
            self.pos += 1
        raise self.fail("unterminated /regex/")

    def oneline_string(self) -> Template:
        """Hurl `oneline-string` `` `...` `` at pos."""
        self.pos += 1
        t = self._string("`#", ONELINE_ESCAPES)
        if self.peek() != "`":
            raise self.fail("unterminated `string`", hint="close it with ` on the same line "
                                                          "(use ``` fences for several lines)")
        self.pos += 1
        return t

    def filename(self) -> Template:
        """Hurl `filename` (after `file,`), up to `;`."""
        return self._string("#; \n", FILENAME_ESCAPES)
