"""Parse `[Asserts]` and `[Captures]` lines: `query (filter)* [not] predicate [value]` and
`name: query (filter)* [redact]`, following Hurl's grammar.

Hurl's spelling is kept (`header "Content-Type" contains "json"`, `jsonpath "$.id" == 3`,
`body matches /^ok/`); `fuel` is a workbench extension (wasm fuel consumed). Every query,
filter and predicate is looked up in `hurl_features`: one workbench cannot evaluate is
rejected with "not supported: ... (file:line)", so a file never "passes" by being ignored.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from workbench.core.regex import PatternError, compile_regex
from workbench.core.requests import hurl_features
from workbench.core.requests.filters import SIGNATURES, Filter
from workbench.core.requests.hurl_text import Cursor
from workbench.core.requests.jsonpath import JsonPathError, parse_jsonpath
from workbench.core.requests.model import Assertion, Capture
from workbench.core.requests.template import Template

QUERY_ARG = {"header": "quoted", "cookie": "quoted", "xpath": "quoted", "jsonpath": "quoted",
             "variable": "quoted", "regex": "regex", "certificate": "word"}
QUERIES = ("status", "version", "url", "ip", "header", "cookie", "body", "bytes", "xpath",
           "jsonpath", "regex", "variable", "duration", "sha256", "md5", "redirects",
           "certificate", "fuel")
COOKIE_ATTRIBUTES = ("Value", "Expires", "Max-Age", "Domain", "Path", "Secure", "HttpOnly",
                     "SameSite")
ALIASES = {"equals": "==", "notEquals": "!=", "greaterThan": ">",
           "greaterThanOrEquals": ">=", "lessThan": "<", "lessThanOrEquals": "<="}
VALUE_PREDICATES = ("==", "!=", "<", "<=", ">", ">=", "contains", "startsWith", "endsWith",
                    "matches", "includes")
TYPE_PREDICATES = ("exists", "isEmpty", "isInteger", "isFloat", "isBoolean", "isString",
                   "isCollection", "isNumber", "isDate", "isIsoDate", "isIpv4", "isIpv6",
                   "isUuid", "isList", "isObject")
PREDICATES = VALUE_PREDICATES + TYPE_PREDICATES
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*|==|!=|<=|>=|<|>")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?(?![\w.])")
_SHAPE = ('write: query [filters] [not] predicate [value], e.g. header "content-type" '
          'contains "json"')


def _query(cur: Cursor) -> tuple[str, Any]:
    cur.skip_sp()
    word = cur.word(re.compile(r"[A-Za-z0-9_-]+:?"))
    if word is None:
        raise cur.fail("expected a query", hint=_SHAPE)
    if word not in QUERIES:
        if word.endswith(":"):
            raise cur.fail(f"unknown query {word!r}: a header line inside [Asserts]",
                           hint=f"expected headers go between the HTTP line and [Asserts]; "
                                f"inside [Asserts] write header \"{word[:-1]}\" == \"...\"")
        raise cur.fail(f"unknown query {word!r}", hint="queries: " + ", ".join(QUERIES))
    hurl_features.check("query", word, cur.file, cur.line)
    kind = QUERY_ARG.get(word)
    arg: Any = None
    if kind:
        cur.need_sp(word)
        if kind == "regex" and cur.peek() == "/":
            arg = ("regex", _regex(cur))
        else:
            arg = _static(cur.quoted(f"{word}'s argument"))
    if isinstance(arg, str):
        _check_expression(cur, word, arg)
    if word == "regex" and isinstance(arg, str):
        _compile(cur, arg)
    if word == "cookie" and isinstance(arg, str):
        m = re.fullmatch(r"[^\[\]]+(?:\[([^\]]*)\])?", arg)
        if not m or (m.group(1) is not None and m.group(1) not in COOKIE_ATTRIBUTES):
            raise cur.fail(f"invalid cookie query {arg!r}",
                           hint="write cookie \"name\" or cookie \"name[Attribute]\" with "
                                + ", ".join(COOKIE_ATTRIBUTES))
    return word, arg


def _check_expression(cur: Cursor, name: str, expr: str) -> None:
    """A jsonpath or xpath argument (query or filter) must parse, at its file:line."""
    if name == "jsonpath":
        try:
            parse_jsonpath(expr)
        except JsonPathError as e:
            raise cur.fail(str(e)) from None
    elif name == "xpath":
        from workbench.core.requests.xpath import check_xpath

        why = check_xpath(expr)
        if why:
            raise cur.fail(f"invalid XPath expression {expr!r}: {why}")


def _compile(cur: Cursor, pattern: str) -> None:
    try:
        compile_regex(pattern)
    except PatternError as e:
        raise cur.fail(f"invalid regex {pattern!r}: {e}",
                       hint="Hurl's regex syntax is Rust's (as RE2): no lookaround or "
                            "backreferences") from None


def _regex(cur: Cursor) -> str:
    pattern = cur.regex()
    _compile(cur, pattern)
    return pattern


def _static(t: Template) -> str | Template:
    return t.render({}) if t.static else t


def _filters(cur: Cursor) -> tuple[Filter, ...]:
    out: list[Filter] = []
    while True:
        save = cur.pos
        if not cur.skip_sp():
            break
        m = re.compile(r"[A-Za-z][A-Za-z0-9]*(?=[ \t]|$)").match(cur.text, cur.pos)
        if not m or m.group(0) not in SIGNATURES:
            cur.pos = save
            break
        name = m.group(0)
        hurl_features.check("filter", name, cur.file, cur.line)
        cur.pos = m.end()
        args: list[Any] = []
        for kind in SIGNATURES[name]:
            cur.need_sp(name)
            if kind == "int":
                num = cur.word(re.compile(r"-?\d+"))
                if num is None:
                    raise cur.fail(f"{name} needs an integer")
                if len(num.lstrip("-")) > 18:  # int() refuses 4,300+ digits
                    raise cur.fail(f"{name}: {num[:20]}... is too large for an index")
                args.append(int(num))
            elif kind == "re" and cur.peek() == "/":
                args.append(("regex", _regex(cur)))
            else:
                value = _static(cur.quoted(f"{name}'s argument"))
                if isinstance(value, str):
                    _check_expression(cur, name, value)
                if kind == "re" and isinstance(value, str) and name != "replace":
                    _compile(cur, value)
                args.append(value)
        out.append(Filter(name, tuple(args)))
    return tuple(out)


def _encoded(cur: Cursor, prefix: str) -> bytes:
    end = cur.text.find(";", cur.pos)
    if end < 0:
        raise cur.fail(f"unterminated {prefix} value: expected ';'")
    payload = cur.text[cur.pos + len(prefix):end]
    cur.pos = end + 1
    try:
        if prefix == "hex,":
            return bytes.fromhex(payload)
        return base64.b64decode(re.sub(r"\s", "", payload), validate=True)
    except (binascii.Error, ValueError) as e:
        raise cur.fail(f"invalid {prefix[:-1]} value: {e}") from None


def _value(cur: Cursor, pred: str, multiline: Any) -> Any:
    rest = cur.rest
    allowed_regex = pred == "matches"
    if rest.startswith('"'):
        return _static(cur.quoted("the predicate value"))
    if rest.startswith("/") and allowed_regex:
        return ("regex", _regex(cur))
    if rest.startswith("```"):  # before "`": a ``` value is not an empty `one-line`
        if multiline is None:
            raise cur.fail("a ``` value cannot start here")
        return multiline(cur)
    if rest.startswith("`"):
        return _static(cur.oneline_string())
    if rest.startswith(("hex,", "base64,")):
        return _encoded(cur, "hex," if rest.startswith("hex,") else "base64,")
    if rest.startswith("file,"):
        cur.pos += 5
        name = cur.filename()
        if cur.peek() != ";":
            raise cur.fail("unterminated file, value: expected ';'")
        cur.pos += 1
        return ("file", name)
    if rest.startswith("{{"):
        return Template((cur.placeholder(),))
    for word, val in (("true", True), ("false", False), ("null", None)):
        if re.match(word + r"(?![\w])", rest):
            cur.pos += len(word)
            return val
    m = _NUMBER.match(rest)
    if m:
        cur.pos += m.end()
        text = m.group(0)
        if len(text) > 400:  # int() refuses 4,300+ digits; no response value is that long
            raise cur.fail(f"number too long ({len(text):,} digits)",
                           hint="compare with a shorter number or a string")
        return float(text) if (m.group(1) or m.group(2)) else int(text)
    if not rest.strip() or rest.lstrip().startswith("#"):
        raise cur.fail(f"missing value after {pred!r}",
                       hint='write a number, "string", true, false or null'
                            + (" or /regex/" if allowed_regex else ""))
    word = rest.split()[0]
    raise cur.fail(f"invalid predicate value {word!r}"
                   + (f": strings are quoted, \"{word}\"" if word.isidentifier() else ""),
                   hint='values are numbers, "strings", true, false, null, hex,..; base64,..;'
                        + (" or /regex/" if allowed_regex else ""))


def parse_assert(text: str, *, file: str, line: int, implicit: bool = False,
                 multiline: Any = None) -> Assertion:
    """One `[Asserts]` line (raw: placeholders are kept as templates)."""
    cur = Cursor(text.strip(), file, line, col0=len(text) - len(text.lstrip()))
    query, arg = _query(cur)
    filters = _filters(cur)
    cur.need_sp("the query" + (" and its filters" if filters else ""))
    negate = False
    word = cur.word(_WORD)
    if word == "not":
        cur.need_sp("not")
        negate = True
        word = cur.word(_WORD)
    if word is None:
        word = cur.word(re.compile(r"\S+")) or ""
        if not word:
            raise cur.fail("expected a predicate", hint=_SHAPE)
    pred = ALIASES.get(word, word)
    if pred not in PREDICATES:
        close = {"=": "==", "contain": "contains", "startswith": "startsWith",
                 "endswith": "endsWith", "match": "matches", "exist": "exists",
                 "include": "includes"}.get(pred)
        raise cur.fail(f"unknown predicate {word!r}"
                       + (f": did you mean {close!r}?" if close else ""),
                       hint="predicates: " + ", ".join(PREDICATES))
    value: Any = None
    if pred in VALUE_PREDICATES:
        save = cur.pos
        if cur.at_lt():
            raise cur.fail(f"missing value after {word!r}",
                           hint='write a number, "string", true, false or null'
                                + (" or /regex/" if pred == "matches" else ""))
        cur.pos = save
        cur.need_sp(word)
        value = _value(cur, pred, multiline)
        if pred in ("<", "<=", ">", ">=") and not isinstance(value, int | float | str
                                                              | Template) or \
                isinstance(value, bool) and pred in ("<", "<=", ">", ">="):
            raise cur.fail(f"{word} needs a number or a \"string\"")
        if pred == "matches" and not isinstance(value, str | tuple | Template):
            raise cur.fail("matches needs a \"string\" or /regex/")
        if pred == "matches" and isinstance(value, str):
            _compile(cur, value)
    cur.expect_lt("the assertion")
    shown = " ".join(str(f) for f in filters) or None
    return Assertion(query, arg, pred, value, negate, file, line, text.strip(), shown, implicit,
                     filters)


def parse_capture(text: str, *, file: str, line: int) -> Capture:
    """One `[Captures]` line: `name: query [filters] [redact]`."""
    cur = Cursor(text.strip(), file, line, col0=len(text) - len(text.lstrip()))
    key = cur.key_string()
    cur.skip_sp()
    if key is None or cur.peek() != ":":
        raise cur.fail("expected a capture 'name: query'", hint='e.g. token: jsonpath "$.token"')
    if not key.static:
        raise cur.fail("not supported: a {{placeholder}} in a capture name")
    name = key.render({})
    cur.pos += 1
    query, arg = _query(cur)
    filters = _filters(cur)
    redact = False
    if cur.skip_sp() and cur.text.startswith("redact", cur.pos):
        cur.pos += len("redact")
        redact = True
    cur.expect_lt("the capture")
    return Capture(name, query, arg, filters, redact, file, line, text.strip())
