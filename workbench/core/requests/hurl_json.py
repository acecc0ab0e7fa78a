"""Hurl's JSON body: strict JSON where a `{{placeholder}}` may stand for a value or inside
a string, read across lines up to the end of the value.

Python's `json` accepts what Hurl rejects (NaN, lone surrogates, unbounded depth) and
knows nothing of placeholders, so this is a small scanner of its own. It returns where the
value ends so the caller can check that nothing but a comment follows it.
"""

from __future__ import annotations

import re

from workbench.core.errors import RequestFileError
from workbench.core.requests.template import Expr, Template

MAX_DEPTH = 128  # Hurl's JSON parser refuses deeper documents (tests_error_parser/json_max_depth)
_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_ESC = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class _Scan:
    def __init__(self, text: str, file: str, line: int, col0: int = 0) -> None:
        self.s, self.i, self.file, self.line0, self.col0 = text, 0, file, line, col0
        self.parts: list[str | Expr] = []
        self.mark = 0  # start of the literal text not yet moved into parts

    def line(self, at: int | None = None) -> int:
        return self.line0 + self.s.count("\n", 0, self.i if at is None else at)

    def fail(self, message: str, at: int | None = None) -> RequestFileError:
        pos = min(self.i if at is None else at, len(self.s))
        start = self.s.rfind("\n", 0, pos) + 1
        column = pos - start + 1 + (self.col0 if start == 0 else 0)
        return RequestFileError(f"invalid JSON body: {message}", file=self.file,
                                line=self.line(at), column=column,
                                hint="Hurl sends a JSON body only when it is valid JSON; "
                                     "use ``` fences for other text")

    def ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t\r\n":
            self.i += 1

    def placeholder(self) -> None:
        end = self.s.find("}}", self.i + 2)
        inner = self.s[self.i + 2:end].strip() if end >= 0 else ""
        if end < 0 or "\n" in self.s[self.i:end]:
            raise self.fail("unterminated {{ placeholder")
        if not _NAME.fullmatch(inner):
            raise self.fail(f"invalid placeholder {{{{{inner}}}}}")
        if self.mark < self.i:
            self.parts.append(self.s[self.mark:self.i])
        self.parts.append(Expr(inner, self.file, self.line()))
        self.i = end + 2
        self.mark = self.i

    def value(self, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise self.fail(f"nested deeper than {MAX_DEPTH} levels")
        self.ws()
        s, i = self.s, self.i
        if s.startswith("{{", i):
            self.placeholder()
        elif s.startswith("{", i):
            self.container("}", depth, keyed=True)
        elif s.startswith("[", i):
            self.container("]", depth, keyed=False)
        elif s.startswith('"', i):
            self.string()
        else:
            for word in ("true", "false", "null"):
                if s.startswith(word, i):
                    self.i += len(word)
                    return
            m = _NUMBER.match(s, i)
            if not m or m.end() == i:
                got = s[i:i + 10].split("\n")[0] or "end of body"
                raise self.fail(f"expected a value, got {got!r}")
            self.i = m.end()

    def container(self, close: str, depth: int, *, keyed: bool) -> None:
        self.i += 1
        self.ws()
        if self.s.startswith(close, self.i):
            self.i += 1
            return
        while True:
            if keyed:
                self.ws()
                if not self.s.startswith('"', self.i):
                    raise self.fail("expected a \"key\"" + (" (no trailing comma)"
                                    if self.s.startswith("}", self.i) else ""))
                self.string()
                self.ws()
                if not self.s.startswith(":", self.i):
                    raise self.fail("expected ':' after the key")
                self.i += 1
            elif self.s.startswith("]", self.i):
                raise self.fail("expected a value (no trailing comma)")
            self.value(depth + 1)
            self.ws()
            if self.s.startswith(",", self.i):
                self.i += 1
                self.ws()
                if not keyed and self.s.startswith("]", self.i):
                    raise self.fail("trailing comma in a list")
                continue
            if self.s.startswith(close, self.i):
                self.i += 1
                return
            raise self.fail(f"expected ',' or '{close}'")

    def string(self) -> None:
        start = self.i
        self.i += 1
        s = self.s
        while self.i < len(s):
            ch = s[self.i]
            if ch == '"':
                self.i += 1
                return
            if ch == "\n":
                break
            if s.startswith("{{", self.i):
                self.placeholder()
                continue
            if ch == "\\":
                nxt = s[self.i + 1:self.i + 2]
                if nxt == "u":
                    code = self.hex4(self.i + 2)
                    self.i += 6
                    if 0xD800 <= code <= 0xDBFF:
                        if not s.startswith("\\u", self.i) or \
                                not 0xDC00 <= self.hex4(self.i + 2) <= 0xDFFF:
                            raise self.fail("lone surrogate in \\u escape")
                        self.i += 6
                    elif 0xDC00 <= code <= 0xDFFF:
                        raise self.fail("lone surrogate in \\u escape")
                    continue
                if nxt not in _ESC:
                    raise self.fail(f"invalid escape \\{nxt}")
                self.i += 2
                continue
            if ord(ch) < 0x20:
                raise self.fail("control character in a string")
            self.i += 1
        raise self.fail("unterminated string", start)

    def hex4(self, at: int) -> int:
        digits = self.s[at:at + 4]
        if not re.fullmatch(r"[0-9A-Fa-f]{4}", digits):
            raise self.fail("\\u needs 4 hex digits")
        return int(digits, 16)


def scan_json(text: str, *, file: str, line: int, col0: int = 0) -> tuple[Template, int]:
    """The JSON value at the start of `text` as a template, and the offset where it ends
    (`col0`: characters before `text` on its first line, for error columns)."""
    scan = _Scan(text, file, line, col0)
    scan.value(0)
    if scan.mark < scan.i:
        scan.parts.append(text[scan.mark:scan.i])
    return Template(tuple(scan.parts)), scan.i


def looks_like_json(line: str) -> bool:
    """Whether a body line starts a JSON value (Hurl tries JSON for these)."""
    return bool(re.match(r'[{\["]|-?\d|(true|false|null)\b', line))
