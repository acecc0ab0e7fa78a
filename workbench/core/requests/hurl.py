"""Hurl files, read by Hurl's grammar: entries of a request (request line, headers,
sections, body) and an optional response (status line, expected headers, [Captures],
[Asserts], expected body).

Every construct either gets Hurl's meaning or is rejected with "not supported: <feature>"
at file:line (the table is `hurl_features`); nothing is skipped and no line is read as
something else. Placeholders are checked when loading: each name must be a workspace
variable, an `[Options] variable:`, a value captured by an earlier entry (or an earlier
file of the same replay, see `captured`), or a Hurl function (newUuid, newDate).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from workbench.core.errors import RequestFileError
from workbench.core.http import control_name
from workbench.core.requests.hurl_body import Body, read_body
from workbench.core.requests.hurl_entry import EntrySpec, FilePart, Pair
from workbench.core.requests.hurl_features import check
from workbench.core.requests.hurl_options import EntryOptions, parse_option, variable_value
from workbench.core.requests.hurl_response import RESPONSE_SECTIONS, VERSION, ResponseReader
from workbench.core.requests.hurl_text import Cursor
from workbench.core.requests.model import Assertion, Capture, SavedRequest, entry_name
from workbench.core.requests.template import FUNCTIONS, Expr, Template

METHOD = re.compile(r"[A-Z]+(?=[ \t])")
SECTION = re.compile(r"\[([A-Za-z]+)\]")
DIRECTIVE = re.compile(r"^#\s*@([\w-]+)\s+(.*?)\s*$")
COOKIE_STORAGE = re.compile(r"^#\s*@cookie_storage_(set|clear)\b")
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
REQUEST_SECTIONS = {"QueryStringParams": "Query", "Query": "Query", "FormParams": "Form",
                    "Form": "Form", "MultipartFormData": "Multipart",
                    "Multipart": "Multipart", "Cookies": "Cookies", "BasicAuth": "BasicAuth",
                    "Options": "Options"}


def parse_hurl(text: str, *, file: str, variables: Mapping[str, Any] | None = None,
               captured: set[str] | None = None) -> list[SavedRequest]:
    """Every entry of a Hurl file, in order. `captured` (in/out): names captured by the
    files before this one in the same replay; this file's captures are added to it."""
    known = captured if captured is not None else set()
    return HurlParser(text, file, dict(variables or {}), known).parse()


class _Preview(dict[str, Any]):
    """Variables for the load-time render: names bound only at replay show as {{name}}."""

    def __init__(self, base: Mapping[str, Any], late: Iterable[str]) -> None:
        super().__init__(base)
        for name in late:
            if name not in base:
                self[name] = "{{" + name + "}}"


class HurlParser:
    def __init__(self, text: str, file: str, variables: dict[str, Any], known: set[str]):
        text = text.removeprefix("\ufeff")
        self.lines = [ln.removesuffix("\r") for ln in text.split("\n")]
        self.file, self.vars, self.late = file, variables, known
        self.i = 0
        self.names: set[str] = set()
        self.directives: dict[str, tuple[str, int]] = {}
        self.deferred: list[Template] | None = None

    def fail(self, message: str, line: int | None = None, hint: str | None = None
             ) -> RequestFileError:
        """An error at `line` (default: the current one), at its first character."""
        at = line or self.i + 1
        raw = self.lines[at - 1] if 0 < at <= len(self.lines) else ""
        return RequestFileError(message, file=self.file, line=at, hint=hint,
                                column=len(raw) - len(raw.lstrip(" \t")) + 1)

    def more(self) -> bool:
        return self.i < len(self.lines)

    @property
    def cur(self) -> str:
        return self.lines[self.i].lstrip(" \t")

    def cursor(self) -> Cursor:
        """The current line (a request, header, section item or response line). These
        never hold a raw control character: a lone CR (a classic Mac line ending, or one
        pasted in) or a NUL would reach the handler inside a URL or a header."""
        raw = self.lines[self.i]
        bad = CONTROL.search(raw)
        if bad:
            lone_cr = bad.group() == "\r"
            raise RequestFileError(
                f"{control_name(bad.group())} in the line"
                + (": a lone CR is not a line ending in Hurl" if lone_cr else ""),
                file=self.file, line=self.i + 1, column=bad.start() + 1,
                hint="save the file with LF or CRLF line endings" if lone_cr else
                "remove it: a URL or header value cannot hold control characters")
        return Cursor(raw, self.file, self.i + 1, len(raw) - len(raw.lstrip(" \t")))

    def skip_lt(self) -> None:
        while self.more() and (not self.cur.strip() or self.cur.startswith("#")):
            if COOKIE_STORAGE.match(self.cur):  # Hurl reads these comments: no silent skip
                check("syntax", "# @cookie_storage_set / @cookie_storage_clear comments",
                      self.file, self.i + 1)
            m = DIRECTIVE.match(self.cur)
            if m:
                self.directives[m.group(1)] = (m.group(2), self.i + 1)
            self.i += 1

    def check_names(self, names: Iterable[Expr]) -> None:
        for e in names:
            if e.name not in self.vars and e.name not in self.late and e.name not in FUNCTIONS:
                known = ", ".join(sorted(set(self.vars) | self.late)) or "none defined"
                raise self.fail(f"undefined variable {{{{{e.name}}}}}", e.line,
                                hint=f"define it in workbench.toml [variables], with [Options] "
                                     f"variable:, or capture it in an earlier entry "
                                     f"(known: {known})")

    def bind(self, value: Any) -> Any:
        """A template whose names are all workspace variables, rendered now (a lone
        placeholder keeps its variable's type); others stay for the replay."""
        if not isinstance(value, Template) or any(n in self.late or n not in self.vars
                                                  for n in value.names):
            return value
        parts = value.parts
        if len(parts) == 1 and isinstance(parts[0], Expr):
            value = self.vars[parts[0].name]
            # workspace variables are typed as Hurl types --variable values: "1" is 1
            return variable_value(value) if isinstance(value, str) else value
        return value.render(self.vars)

    def check(self, *templates: Any) -> None:
        for t in templates:
            if isinstance(t, Template):
                if self.deferred is not None:  # the request part: [Options] may define it
                    self.deferred.append(t)
                else:
                    self.check_names(p for p in t.parts if isinstance(p, Expr))

    def parse(self) -> list[SavedRequest]:
        out: list[SavedRequest] = []
        while True:
            self.skip_lt()
            if not self.more():
                return out
            out.append(self.entry())

    # -- request ----------------------------------------------------------------------------

    def request_line(self) -> tuple[str, Template, int]:
        cur = self.cursor()
        if VERSION.match(cur.rest) or cur.rest.startswith("HTTP"):
            raise self.bad_response_line(where="where a request line was expected")
        method = cur.word(METHOD)
        if method is None:
            word = cur.rest.split(maxsplit=1)[0] if cur.rest.split() else cur.rest
            hint = (f"methods are upper-case: {word.upper()}"
                    if word.isalpha() and not word.isupper() else None)
            raise self.fail(f"expected a request line like 'GET https://host/path', "
                            f"got {cur.rest[:40]!r}", hint=hint)
        cur.skip_sp()
        url = cur.value_string()
        if not url.parts:
            raise self.fail(f"{method} needs a URL")
        first = url.parts[0]
        if isinstance(first, str) and not first.startswith(("http://", "https://")):
            raise self.fail(f"invalid URL {url.source!r}: Hurl needs http:// or https://",
                            hint="write the full URL, e.g. http://{{host}}" +
                                 (first if first.startswith("/") else "/" + first))
        self.check(url)
        return method, url, self.i + 1

    def entry(self) -> SavedRequest:
        directives, self.directives = self.directives, {}
        self.deferred = []
        method, url, start = self.request_line()
        self.i += 1
        headers: list[Pair] = []
        sections: dict[str, Any] = {}
        body: Body | None = None
        options: list[tuple[str, Any, int]] = []
        while True:
            self.skip_lt()
            if not self.more() or self.is_request_line() or VERSION.match(self.cur):
                break
            if self.cur.startswith("HTTP"):
                raise self.bad_response_line()
            if body is not None:
                raise self.fail("unexpected line after the body",
                                hint="expected the response line 'HTTP 200' or a new request")
            sec = self.section()
            if sec is not None:
                kind = REQUEST_SECTIONS.get(sec)
                if kind is None:
                    self.section_error(sec, request=True)
                    continue
                if kind in sections:
                    raise self.fail(f"duplicate section [{sec}]")
                self.i += 1
                if kind == "Options":
                    sections[kind] = True
                    options.extend(self.options())
                elif kind == "Multipart":
                    sections[kind] = self.multipart()
                else:
                    sections[kind] = self.key_values()
                continue
            kv = self.key_value() if not sections else None
            if kv is not None:
                headers.append(kv)
                self.i += 1
                continue
            body, self.i = read_body(self.lines, self.i, self.file)
            self.check(body.template, body.variables)
        deferred, self.deferred = self.deferred, None
        self.check(*deferred)
        if body is not None and ("Form" in sections or "Multipart" in sections):
            raise self.fail("a body and [FormParams]/[MultipartFormData] together", body.line)
        directives.update(self.directives)
        self.directives = {}
        opts = self.entry_options(options)
        asserts: tuple[Assertion, ...] = ()
        captures: tuple[Capture, ...] = ()
        if self.more() and VERSION.match(self.cur):
            asserts, captures = ResponseReader(self).read()
        elif self.more() and self.cur.startswith("HTTP"):
            raise self.bad_response_line()
        for c in captures:
            self.late.add(c.name)
        basic = sections.get("BasicAuth")
        if basic is not None and len(basic) > 1:
            raise self.fail("[BasicAuth] takes one 'user: password' line", start)
        spec = EntrySpec(method, url, tuple(headers), tuple(sections.get("Query", ())),
                         tuple(sections["Form"]) if "Form" in sections else None,
                         tuple(sections["Multipart"]) if "Multipart" in sections else None,
                         tuple(sections.get("Cookies", ())), basic[0] if basic else None,
                         body, tuple(v for k, v, _ in options if k == "header"),
                         next((v for k, v, _ in options if k == "user"), None),
                         self.client_ip(directives), self.file, start,
                         tuple(self.vars.items()))
        request = spec.render(_Preview(self.vars, self.late | set(FUNCTIONS)), preview=True)
        named = directives.get("name")
        name = named[0] if named else entry_name(method, request.target, start, self.names)
        return SavedRequest(name, request, asserts, self.file, start, captures, spec, opts)

    def is_request_line(self) -> bool:
        return METHOD.match(self.cur) is not None

    def section(self) -> str | None:
        m = SECTION.match(self.cur)
        if not m:
            return None
        indent = len(self.lines[self.i]) - len(self.cur)
        Cursor(self.cur, self.file, self.i + 1, m.end(), indent).expect_lt(f"[{m.group(1)}]")
        return m.group(1)

    def section_error(self, name: str, *, request: bool) -> None:
        if request and name in RESPONSE_SECTIONS:
            raise self.fail(f"[{name}] must follow a response line like 'HTTP 200'")
        if not request and name in REQUEST_SECTIONS:
            raise self.fail(f"[{name}] belongs to the request, before the 'HTTP' line")
        raise self.fail(f"unknown section [{name}]", hint="sections: " + ", ".join(
            f"[{s}]" for s in (*REQUEST_SECTIONS, *RESPONSE_SECTIONS)))

    def key_value(self) -> Pair | None:
        """`key: value` on the current line, or None when the line is not one."""
        cur = self.cursor()
        key = cur.key_string()
        cur.skip_sp()
        if key is not None and cur.peek() == ";":  # `X-Custom;`: a header with no value
            save = cur.pos
            cur.pos += 1
            if cur.at_lt():
                self.check(key)
                return key, Template(())
            cur.pos = save
        if key is None or cur.peek() != ":":
            return None
        cur.pos += 1
        cur.skip_sp()
        value = cur.value_string()
        self.check(key, value)
        return key, value

    def key_values(self) -> list[Pair]:
        pairs: list[Pair] = []
        while True:
            self.skip_lt()
            if not self.more() or self.section() is not None:
                return pairs
            kv = self.key_value()
            if kv is None:
                return pairs
            pairs.append(kv)
            self.i += 1

    def multipart(self) -> list[Pair | FilePart]:
        parts: list[Pair | FilePart] = []
        while True:
            self.skip_lt()
            if not self.more() or self.section() is not None:
                return parts
            kv = self.key_value()
            if kv is None:
                return parts
            key, value = kv
            raw = value.parts[0] if value.parts else ""
            if isinstance(raw, str) and raw.startswith("file,"):
                parts.append(self.file_part(key))
            else:
                parts.append(kv)
            self.i += 1

    def file_part(self, key: Template) -> FilePart:
        cur = self.cursor()
        cur.pos = cur.text.index("file,", cur.pos) + 5
        name = cur.filename()
        if cur.peek() != ";":
            raise cur.fail("unterminated file, part: expected ';' after the file name")
        cur.pos += 1
        cur.skip_sp()
        ctype = cur.word(re.compile(r"[A-Za-z0-9/+.;=_ -]*[A-Za-z0-9/+.=_-]")) or None
        cur.expect_lt("the file, part")
        self.check(name)
        return FilePart(key, name, ctype)

    def options(self) -> list[tuple[str, Any, int]]:
        out: list[tuple[str, Any, int]] = []
        while True:
            self.skip_lt()
            if not self.more() or self.section() is not None or not re.match(
                    r"[A-Za-z][A-Za-z0-9._-]*[ \t]*:", self.cur):
                return out
            name, value = parse_option(self.lines[self.i], self.file, self.i + 1)
            self.check(value, value[1] if isinstance(value, tuple) else None)
            if name == "variable":
                if value[0] in FUNCTIONS:
                    raise self.fail(f"variable {value[0]!r} is a Hurl function name",
                                    hint="choose another name")
                self.late.add(value[0])
            out.append((name, value, self.i + 1))
            self.i += 1

    def entry_options(self, options: list[tuple[str, Any, int]]) -> EntryOptions | None:
        if not options:
            return None
        fields: dict[str, Any] = {}
        variables: list[tuple[str, Any]] = []
        lines: dict[str, int] = {}
        key = {"delay": "delay_ms", "retry": "retry", "retry-interval": "retry_interval_ms",
               "skip": "skip", "repeat": "repeat", "location": "location",
               "location-trusted": "location", "max-redirs": "max_redirs"}
        for name, value, line in options:
            lines[name] = line
            if name == "variable":
                variables.append(value)
            elif name in key:
                fields[key[name]] = value
        return EntryOptions(tuple(variables), lines=lines, **fields)

    def client_ip(self, directives: dict[str, tuple[str, int]]) -> str:
        from workbench.core.http import ip_key

        if "client-ip" not in directives:
            return "127.0.0.1"
        value, line = directives["client-ip"]
        if ip_key(value) is None:
            raise self.fail(f"@client-ip {value!r} is not an IP address", line,
                            hint="write # @client-ip 10.1.2.3 (or an IPv6 address)")
        return value

    # -- response ---------------------------------------------------------------------------

    def bad_response_line(self, where: str = "") -> RequestFileError:
        return self.fail(f"bad response line {self.cur[:40]!r}" + (f" {where}" if where else ""),
                         hint="write 'HTTP 200', 'HTTP/1.1 200', 'HTTP/2 200' or 'HTTP *': a "
                              "3-digit status and no reason phrase (a body line starting "
                              "with HTTP goes inside ``` fences)")
