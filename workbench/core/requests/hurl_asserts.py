"""Parse one `[Asserts]` line of the Hurl subset: `query [arg] [filter] [not] pred [value]`.

Hurl's own spelling is kept (`header "Content-Type" contains "json"`, `jsonpath "$.id"
== 3`, `body matches /^ok/`); `fuel` is a workbench extension (wasm fuel consumed).
Queries, filters and predicates outside the subset are rejected with the file:line, so
a file that asks for something workbench cannot check never "passes" by being ignored.
"""

from __future__ import annotations

import re
from typing import Any

from workbench.core.errors import RequestFileError
from workbench.core.requests.jsonpath import JsonPathError, parse_jsonpath
from workbench.core.requests.model import Assertion

QUERIES = ("status", "header", "body", "jsonpath", "duration", "fuel")
NEEDS_ARG = ("header", "jsonpath")
HURL_QUERIES_UNSUPPORTED = ("url", "cookie", "xpath", "regex", "variable", "bytes", "sha256",
                            "md5", "certificate", "ip", "version", "redirects")
FILTERS = ("count",)
PREDICATES = ("==", "!=", "<", "<=", ">", ">=", "contains", "startsWith", "endsWith",
              "matches", "exists")
ALIASES = {"equals": "==", "notEquals": "!=", "greaterThan": ">",
           "greaterThanOrEquals": ">=", "lessThan": "<", "lessThanOrEquals": "<=",
           "includes": "contains"}
_TOKEN = re.compile(r"\S+")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?(?=\s|$|#)")
_ESCAPES = {'"': '"', "\\": "\\", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
            "#": "#", "/": "/"}


class _Cursor:
    def __init__(self, text: str, file: str, line: int) -> None:
        self.text, self.pos, self.file, self.line = text, 0, file, line

    def fail(self, message: str, hint: str | None = None) -> RequestFileError:
        return RequestFileError(message, file=self.file, line=self.line, hint=hint)

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def at_end(self) -> bool:
        self.skip_ws()
        return self.pos >= len(self.text) or self.text[self.pos] == "#"

    def word(self) -> str:
        self.skip_ws()
        m = _TOKEN.match(self.text, self.pos)
        if not m:
            raise self.fail("assertion ends too early", hint=_SHAPE)
        self.pos = m.end()
        return m.group(0)

    def peek_word(self) -> str | None:
        self.skip_ws()
        m = _TOKEN.match(self.text, self.pos)
        return m.group(0) if m else None

    def quoted(self, what: str) -> str:
        self.skip_ws()
        if self.pos >= len(self.text) or self.text[self.pos] != '"':
            raise self.fail(f"{what} must be a quoted string", hint=_SHAPE)
        return self.string('"')

    def string(self, quote: str) -> str:
        """A quoted string or /regex/ starting at pos, with Hurl escapes."""
        out: list[str] = []
        i = self.pos + 1
        while i < len(self.text):
            ch = self.text[i]
            if ch == quote:
                self.pos = i + 1
                return "".join(out)
            if ch == "\\" and i + 1 < len(self.text):
                nxt = self.text[i + 1]
                if nxt == "u" and self.text.startswith("{", i + 2):
                    end = self.text.find("}", i + 3)
                    digits = self.text[i + 3:end] if end > 0 else ""
                    if not re.fullmatch(r"[0-9A-Fa-f]{1,6}", digits) or int(digits, 16) > 0x10FFFF:
                        raise self.fail(f"bad unicode escape \\u{{{digits}}}",
                                        hint="write \\u{41} with 1 to 6 hex digits")
                    out.append(chr(int(digits, 16)))
                    i = end + 1
                    continue
                if quote == "/" and nxt != "/":
                    out.append("\\" + nxt)  # keep regex escapes like \d as they are
                else:
                    out.append(_ESCAPES.get(nxt, nxt))
                i += 2
                continue
            out.append(ch)
            i += 1
        kind = "regex" if quote == "/" else "string"
        raise self.fail(f"unterminated {kind}")

    def value(self, predicate: str) -> Any:
        self.skip_ws()
        rest = self.text[self.pos:]
        if rest.startswith('"'):
            return self.string('"')
        if rest.startswith("/") and predicate == "matches":
            return self.string("/")
        for word, val in (("true", True), ("false", False), ("null", None)):
            if re.match(word + r"(?=\s|$|#)", rest):
                self.pos += len(word)
                return val
        m = _NUMBER.match(rest)
        if m:
            self.pos += m.end()
            text = m.group(0)
            if len(text) > 400:  # int() refuses 4,300+ digits; no header or JSON needs 400
                raise self.fail(f"number too long ({len(text):,} characters)",
                                hint="compare long values as a quoted \"string\"")
            return float(text) if (m.group(1) or m.group(2)) else int(text)
        if not rest.strip() or rest.lstrip().startswith("#"):
            raise self.fail(f"missing value after {predicate!r}",
                            hint='write a number, "string", true, false or null'
                                 + (" or /regex/" if predicate == "matches" else ""))
        word = rest.split()[0]
        raise self.fail(f"not supported: value {word!r}"
                        + (f": strings are quoted, \"{word}\"" if word.isidentifier()
                           else ""),
                        hint='values are numbers, "strings", true, false, null'
                             + (" or /regex/" if predicate == "matches" else ""))


_SHAPE = 'write: query [arg] [not] predicate [value], e.g. header "content-type" contains "json"'


def parse_assert(text: str, *, file: str, line: int, implicit: bool = False) -> Assertion:
    """One assertion line (variables already substituted)."""
    cur = _Cursor(text.strip(), file, line)
    query = cur.word()
    if query in HURL_QUERIES_UNSUPPORTED:
        raise cur.fail(f"not supported: query {query!r}", hint="supported queries: "
                       + ", ".join(QUERIES))
    if query not in QUERIES:
        if query.endswith(":"):
            name = query[:-1]
            raise cur.fail(f"unknown query {query!r}: a header line inside [Asserts]",
                           hint=f"expected headers go between the HTTP line and [Asserts]; "
                                f"inside [Asserts] write header \"{name}\" == \"...\"")
        raise cur.fail(f"unknown query {query!r}", hint="supported queries: "
                       + ", ".join(QUERIES))
    arg = cur.quoted(f"{query}'s argument") if query in NEEDS_ARG else None
    if query == "jsonpath":
        try:
            parse_jsonpath(arg or "")
        except JsonPathError as e:
            raise cur.fail(str(e)) from None
    filt = None
    word = cur.peek_word()
    if word in FILTERS:
        filt = cur.word()
    negate = False
    if cur.peek_word() == "not":
        cur.word()
        negate = True
    pred = cur.word()
    pred = ALIASES.get(pred, pred)
    if pred not in PREDICATES:
        close = {"=": "==", "===": "==", "!==": "!=", "<>": "!=", "=<": "<=", "=>": ">=",
                 "contain": "contains", "startswith": "startsWith",
                 "endswith": "endsWith", "match": "matches", "exist": "exists"}.get(pred)
        raise cur.fail(f"not supported: predicate or filter {pred!r}"
                       + (f": did you mean {close!r}?" if close else ""),
                       hint="supported predicates: " + ", ".join(PREDICATES)
                       + "; filters: " + ", ".join(FILTERS))
    value: Any = None
    if pred != "exists":
        value = cur.value(pred)
        if pred == "matches":
            if not isinstance(value, str):
                raise cur.fail("matches needs a \"string\" or /regex/")
            try:
                re.compile(value)
            except re.error as e:
                raise cur.fail(f"bad regular expression {value!r}: {e}") from None
    if not cur.at_end():
        raise cur.fail(f"unexpected text after the assertion: {cur.text[cur.pos:]!r}",
                       hint=_SHAPE)
    return Assertion(query, arg, pred, value, negate, file, line, text.strip(), filt, implicit)
