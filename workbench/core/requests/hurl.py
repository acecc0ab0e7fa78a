"""The Hurl subset: entries of request line, headers, sections, body, expected response.

A line-oriented parser (Hurl's grammar is line-based) that keeps the line of every
entry and every expectation. Unsupported parts of Hurl ([Captures], [Options],
[FormParams], multipart, file bodies, other queries/predicates) raise
`RequestFileError("not supported: ...")` with file:line instead of being skipped.
The subset is documented in docs/requests.md.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from workbench.core.errors import RequestFileError
from workbench.core.files import deepest_line
from workbench.core.http import Request, header_get, header_set, split_url
from workbench.core.requests.hurl_asserts import parse_assert
from workbench.core.requests.model import Assertion, SavedRequest, entry_name, substitute

REQUEST_LINE = re.compile(r"^([A-Z]+)\s+((?:\{\{[^}]*\}\}|\S)+)\s*(#.*)?$")
RESPONSE_LINE = re.compile(r"^HTTP(?:/[\d.]+)?\s+(\d{3}|\*)\s*(#.*)?$")
LOOKS_LIKE_RESPONSE = re.compile(r"^HTTP(/\S*)?(\s|$)")  # a response line gone wrong
SECTION = re.compile(r"^\[([A-Za-z]+)\]\s*(#.*)?$")
KEY_VALUE = re.compile(r"^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s*(.*?)\s*$")
DIRECTIVE = re.compile(r"^#\s*@([\w-]+)\s+(.*?)\s*$")

REQUEST_SECTIONS = {"QueryStringParams": "query", "Query": "query", "Cookies": "cookies",
                    "BasicAuth": "basic"}
UNSUPPORTED_SECTIONS = ("FormParams", "Form", "MultipartFormData", "Multipart", "Options",
                        "Captures")


def parse_hurl(text: str, *, file: str,
               variables: Mapping[str, Any] | None = None) -> list[SavedRequest]:
    """Every entry of a Hurl file, in order."""
    return _Parser(text, file, variables or {}).parse()


class _Parser:
    def __init__(self, text: str, file: str, variables: Mapping[str, Any]) -> None:
        self.lines = text.splitlines()
        self.file = file
        self.vars = variables
        self.i = 0
        self.names: set[str] = set()
        self.directives: dict[str, tuple[str, int]] = {}

    def fail(self, message: str, line: int | None = None, hint: str | None = None) -> Exception:
        return RequestFileError(message, file=self.file, line=line or self.i + 1, hint=hint)

    def sub(self, text: str, line: int) -> str:
        return substitute(text, self.vars, self.file, line)

    def more(self) -> bool:
        return self.i < len(self.lines)

    @property
    def cur(self) -> str:
        return self.lines[self.i].strip()

    def skip_blank_and_comments(self) -> None:
        while self.more() and (not self.cur or self.cur.startswith("#")):
            m = DIRECTIVE.match(self.cur)
            if m:
                self.directives[m.group(1)] = (m.group(2), self.i + 1)
            self.i += 1

    def parse(self) -> list[SavedRequest]:
        out: list[SavedRequest] = []
        while True:
            self.skip_blank_and_comments()
            if not self.more():
                return out
            out.append(self.entry())

    def bad_response_line(self) -> Exception:
        return self.fail(f"bad response line {self.cur[:40]!r}",
                         hint="write 'HTTP 200', 'HTTP/1.1 200' or 'HTTP *': a 3-digit "
                              "status and no reason phrase (a body line starting with HTTP "
                              "goes inside ``` fences)")

    def entry(self) -> SavedRequest:
        if LOOKS_LIKE_RESPONSE.match(self.cur):
            raise self.bad_response_line()
        m = REQUEST_LINE.match(self.cur)
        if not m:
            word = self.cur.split(maxsplit=1)[0]
            hint = (f"methods are upper-case: {word.upper()}" if word.isalpha()
                    and not word.isupper() and " " in self.cur else None)
            raise self.fail(f"expected a request line like 'GET /path', got {self.cur[:40]!r}",
                            hint=hint)
        start = self.i + 1
        directives, self.directives = self.directives, {}  # those above the request line
        method, url = m.group(1), self.sub(m.group(2), start)
        target, host = split_url(url)
        headers: tuple[tuple[str, str], ...] = (("Host", host),) if host else ()
        self.i += 1
        query: list[tuple[str, str]] = []
        body = b""
        while self.more():
            self.skip_blank_and_comments()
            if not self.more() or RESPONSE_LINE.match(self.cur) or REQUEST_LINE.match(self.cur):
                break
            if LOOKS_LIKE_RESPONSE.match(self.cur):
                raise self.bad_response_line()
            sec = SECTION.match(self.cur)
            if sec:
                kind = self.section_kind(sec.group(1), REQUEST_SECTIONS)
                pairs = self.key_values()
                if kind == "query":
                    query.extend(pairs)
                elif kind == "cookies":
                    cookie = "; ".join(f"{k}={v}" for k, v in pairs)
                    old = header_get(headers, "cookie")
                    headers = header_set(headers, "Cookie", f"{old}; {cookie}" if old else cookie)
                else:
                    user, pw = pairs[0] if pairs else ("", "")
                    token = base64.b64encode(f"{user}:{pw}".encode()).decode()
                    headers = header_set(headers, "Authorization", f"Basic {token}")
                continue
            kv = KEY_VALUE.match(self.cur)
            if kv and not body:
                name, value = kv.group(1), self.sub(kv.group(2), self.i + 1)
                headers = (header_set(headers, name, value) if name.lower() == "host"
                           else headers + ((name, value),))
                self.i += 1
                continue
            if body:
                raise self.fail("unexpected line after the body",
                                hint="expected the response line 'HTTP 200' or a new request")
            body = self.body()
        if query:
            sep = "&" if "?" in target else "?"
            target += sep + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}"
                                     for k, v in query)
        directives.update(self.directives)  # and those among the headers
        self.directives = {}  # comments after the response belong to the next entry
        asserts: tuple[Assertion, ...] = ()
        if self.more() and RESPONSE_LINE.match(self.cur):
            asserts = self.response()
        client_ip = "127.0.0.1"
        if "client-ip" in directives:
            client_ip = self.client_ip(*directives["client-ip"])
        named = directives.get("name")
        name = named[0] if named else entry_name(method, target, start, self.names)
        request = Request(method, target, headers, body, client_ip)
        return SavedRequest(name, request, asserts, self.file, start)

    def client_ip(self, value: str, line: int) -> str:
        from workbench.core.http import ip_key

        if ip_key(value) is None:
            raise self.fail(f"@client-ip {value!r} is not an IP address", line,
                            hint="write # @client-ip 10.1.2.3 (or an IPv6 address)")
        return value

    def section_kind(self, name: str, allowed: Mapping[str, str]) -> str:
        if name in allowed:
            return allowed[name]
        if name in UNSUPPORTED_SECTIONS:
            raise self.fail(f"not supported: [{name}] section",
                            hint="supported: [QueryStringParams]/[Query], [Cookies], "
                                 "[BasicAuth] in requests, [Asserts] in responses")
        if name == "Asserts":
            raise self.fail("[Asserts] must follow a response line like 'HTTP 200'")
        if name in REQUEST_SECTIONS:
            raise self.fail(f"[{name}] belongs to the request, before the 'HTTP' line")
        raise self.fail(f"not supported: unknown section [{name}]",
                        hint="supported: " + ", ".join(f"[{s}]" for s in allowed))

    def key_values(self) -> list[tuple[str, str]]:
        """`key: value` lines after a section header, up to the next non key-value line."""
        self.i += 1
        pairs: list[tuple[str, str]] = []
        while self.more():
            if self.cur.startswith("#"):
                self.i += 1
                continue
            kv = KEY_VALUE.match(self.cur)
            if not kv or not self.cur:
                break
            pairs.append((kv.group(1), self.sub(kv.group(2), self.i + 1)))
            self.i += 1
        return pairs

    def body(self) -> bytes:
        """A body: ```multi-line```, `one line`, JSON, base64,..; hex,..; or raw lines."""
        line_no = self.i + 1
        first = self.cur
        if first.startswith("```"):
            self.i += 1
            lines: list[str] = []
            while self.more() and self.lines[self.i].strip() != "```":
                lines.append(self.lines[self.i])
                self.i += 1
            if not self.more():
                raise self.fail("unterminated ``` multi-line string", line_no)
            self.i += 1
            return self.sub("".join(ln + "\n" for ln in lines), line_no + 1).encode()
        if first.startswith("`") and first.endswith("`") and len(first) > 1:
            self.i += 1
            return self.sub(first[1:-1], line_no).encode()
        for prefix in ("base64,", "hex,"):
            if first.startswith(prefix) and first.endswith(";"):
                self.i += 1
                raw = first[len(prefix):-1].strip()
                try:
                    return base64.b64decode(raw) if prefix == "base64," else bytes.fromhex(raw)
                except (binascii.Error, ValueError) as e:
                    raise self.fail(f"bad {prefix[:-1]} body: {e}", line_no) from None
        if first.startswith(("file,", "multipart")):
            raise self.fail(f"not supported: {first.split(',')[0]} body", line_no)
        lines = []
        while self.more() and not RESPONSE_LINE.match(self.cur) \
                and not REQUEST_LINE.match(self.cur):
            if LOOKS_LIKE_RESPONSE.match(self.cur):
                raise self.bad_response_line()
            lines.append(self.lines[self.i])
            self.i += 1
        while lines and not lines[-1].strip():
            lines.pop()
        text = self.sub("\n".join(lines), line_no)
        if first.startswith(("{", "[")):
            try:
                json.loads(text)
            except json.JSONDecodeError as e:
                raise self.fail(f"JSON body is not valid JSON: {e.msg}",
                                line_no + e.lineno - 1) from None
            except RecursionError:
                raise self.fail("JSON body is nested too deeply",
                                line_no + deepest_line(text) - 1) from None
        return text.encode()

    def response(self) -> tuple[Assertion, ...]:
        m = RESPONSE_LINE.match(self.cur)
        assert m is not None
        out: list[Assertion] = []
        line = self.i + 1
        if m.group(1) != "*":
            out.append(Assertion("status", None, "==", int(m.group(1)), False, self.file,
                                 line, self.cur, implicit=True))
        self.i += 1
        while self.more():
            self.skip_blank_and_comments()
            if not self.more() or REQUEST_LINE.match(self.cur):
                break
            sec = SECTION.match(self.cur)
            if sec:
                self.section_kind(sec.group(1), {"Asserts": "asserts"})
                self.i += 1
                while self.more():
                    self.skip_blank_and_comments()
                    if not self.more() or SECTION.match(self.cur) \
                            or REQUEST_LINE.match(self.cur) or self.cur.startswith(
                                ("```", "{", "`", "[")):
                        break  # a section, the next entry, or an expected body
                    ln = self.i + 1
                    out.append(parse_assert(self.sub(self.cur, ln), file=self.file, line=ln))
                    self.i += 1
                continue
            kv = KEY_VALUE.match(self.cur)
            if kv:
                ln = self.i + 1
                out.append(Assertion("header", kv.group(1), "==", self.sub(kv.group(2), ln),
                                     False, self.file, ln, self.cur, implicit=True))
                self.i += 1
                continue
            ln = self.i + 1
            expected = self.body().decode("utf-8", "replace")
            out.append(Assertion("body", None, "==", expected, False, self.file, ln,
                                 "expected body", implicit=True))
        return tuple(out)
