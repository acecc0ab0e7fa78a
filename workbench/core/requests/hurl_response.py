"""The response part of a Hurl entry: status line (version checked), expected headers,
[Captures], [Asserts] and the expected body, read for `HurlParser` (workbench.core.requests
.hurl), whose line cursor and checks it uses."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from workbench.core.requests.hurl_asserts import parse_assert, parse_capture
from workbench.core.requests.hurl_body import Body, read_body
from workbench.core.requests.hurl_text import Cursor
from workbench.core.requests.model import Assertion, Capture

if TYPE_CHECKING:
    from workbench.core.requests.hurl import HurlParser

VERSION = re.compile(r"HTTP(/1\.0|/1\.1|/2|/3|/\*)?(?=[ \t])")
RESPONSE_SECTIONS = {"Captures": "Captures", "Asserts": "Asserts"}


class ResponseReader:
    """Reads one response at the parser's current line; `read()` returns its assertions
    (implicit ones first) and captures. Captured names become known at once, so the same
    entry's asserts may use them."""

    def __init__(self, parser: HurlParser) -> None:
        self.p = parser

    def read(self) -> tuple[tuple[Assertion, ...], tuple[Capture, ...]]:
        return self.response()

    def response(self) -> tuple[tuple[Assertion, ...], tuple[Capture, ...]]:
        cur = self.p.cursor()
        line = self.p.i + 1
        version = cur.word(VERSION)
        assert version is not None
        cur.need_sp(version)
        status = cur.word(re.compile(r"\d{3}(?!\S)|\*(?!\S)"))
        if status is None or not cur.at_lt():
            raise self.p.bad_response_line()
        out: list[Assertion] = []
        if version not in ("HTTP", "HTTP/*"):
            out.append(Assertion("version", None, "==", version[5:], False, self.p.file, line,
                                 self.p.cur.split("#")[0].strip(), implicit=True))
        if status != "*":
            out.append(Assertion("status", None, "==", int(status), False, self.p.file, line,
                                 self.p.cur.split("#")[0].strip(), implicit=True))
        self.p.i += 1
        captures: list[Capture] = []
        seen: set[str] = set()
        body_seen = False
        while True:
            self.p.skip_lt()
            if not self.p.more() or self.p.is_request_line():
                break
            if body_seen:
                raise self.p.fail("unexpected line after the expected body",
                                hint="expected a new request line")
            sec = self.p.section()
            if sec is not None:
                if sec not in RESPONSE_SECTIONS:
                    self.p.section_error(sec, request=False)
                if sec in seen:
                    raise self.p.fail(f"duplicate section [{sec}]")
                seen.add(sec)
                self.p.i += 1
                if sec == "Asserts":
                    out.extend(self.asserts())
                else:
                    captures.extend(self.captures())
                continue
            kv = self.p.key_value() if not seen else None
            if kv is not None:
                name, value = kv
                value_b = value.render(self.p.vars) if isinstance(self.p.bind(value), str) \
                    else value
                out.append(Assertion("header", self.p.bind(name), "==", value_b, False,
                                     self.p.file, self.p.i + 1, self.p.cur.split(" #")[0].strip(),
                                     implicit=True))
                self.p.i += 1
                continue
            body, self.p.i = read_body(self.p.lines, self.p.i, self.p.file)
            self.p.check(body.template, body.variables)
            out.append(self.body_assert(body))
            body_seen = True
        return tuple(out), tuple(captures)

    def body_assert(self, body: Body) -> Assertion:
        line = body.line
        if body.kind == "bytes":
            return Assertion("bytes", None, "==", body.data, False, self.p.file, line,
                             "expected body", implicit=True)
        if body.kind == "file":
            return Assertion("bytes", "file", "==", body.template, False, self.p.file, line,
                             "expected body", implicit=True)
        assert body.template is not None
        bound = self.p.bind(body.template)
        value: Any = bound if isinstance(bound, str) else body.template
        arg = "json" if body.kind == "json" else None
        if body.kind == "graphql":
            raise self.p.fail("a ```graphql block is a request body, not an expected body", line)
        return Assertion("body", arg, "==", value, False, self.p.file, line, "expected body",
                         implicit=True)

    def section_lines(self) -> Iterable[tuple[str, int]]:
        while True:
            self.p.skip_lt()
            if not self.p.more() or self.p.is_request_line() or self.p.section() is not None:
                return
            yield self.p.lines[self.p.i], self.p.i + 1

    def asserts(self) -> list[Assertion]:
        out: list[Assertion] = []
        for text, line in self.section_lines():
            if re.match(r"[ \t]*(```|\{|`|<|base64,|hex,|file,|\[|\"|-?\d)", text) and not \
                    re.match(r"[ \t]*[a-z]+[ \t]", text):
                break  # the expected body
            a = parse_assert(text, file=self.p.file, line=line, multiline=self.multiline_value)
            self.p.check(a.arg, a.value, *(x for f in a.filters for x in f.args))
            a = replace(a, arg=self.p.bind(a.arg), value=self.p.bind(a.value),
                        filters=tuple(replace(f, args=tuple(self.p.bind(x) for x in f.args))
                                      for f in a.filters))
            out.append(a)
            self.p.i += 1
        return out

    def multiline_value(self, cur: Cursor) -> Any:
        """A ``` value inside an assertion: read the following lines as its content."""
        lines = list(self.p.lines)  # the file's own line numbers in errors
        lines[self.p.i] = cur.rest
        body, after = read_body(lines, self.p.i, self.p.file)
        self.p.i = after - 1
        cur.pos = len(cur.text)
        if body.kind == "bytes":
            return body.data
        assert body.template is not None
        return body.template.render({}) if body.template.static else body.template

    def captures(self) -> list[Capture]:
        out: list[Capture] = []
        for text, line in self.section_lines():
            c = parse_capture(text, file=self.p.file, line=line)
            self.p.check(c.arg, *(x for f in c.filters for x in f.args))
            self.p.late.add(c.name)  # usable by the next captures and this entry's asserts
            out.append(c)
            self.p.i += 1
        return out
