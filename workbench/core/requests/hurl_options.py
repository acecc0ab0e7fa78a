"""`[Options]` of a Hurl entry: parsed values and the entry's run policy.

Options that change the request (`header`, `user`) are applied by the entry spec; the
others (`variable`, `delay`, `retry`, `retry-interval`, `skip`, `repeat`, `location`,
`max-redirs`) are read by the replay. Options without meaning in-process are accepted or
rejected as `hurl_features` says.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.core.errors import RequestFileError
from workbench.core.requests import hurl_features
from workbench.core.requests.hurl_text import Cursor
from workbench.core.requests.template import Template

BOOLEAN = ("location", "location-trusted", "skip", "path-as-is", "verbose", "very-verbose",
           "insecure", "http1.1", "ipv4", "ipv6", "compressed", "http1.0", "http2", "http3",
           "netrc", "netrc-optional", "digest", "ntlm", "negotiate")
INTEGER = ("retry", "repeat", "max-redirs")
DURATION = ("delay", "retry-interval", "connect-timeout", "max-time")
_UNITS = {"ms": 1, "s": 1000, "m": 60000}
# A replay runs after every build: an entry must end. Hurl has no bounds (`retry: -1`
# retries forever); here -1 means 100 tries (chain.MAX_RETRIES) and larger values are
# refused with these bounds, as are waits whose sum would freeze the loop.
LIMITS = {"retry": 100, "repeat": 10_000, "max-redirs": 1_000}
MAX_WAIT_MS = 60_000


@dataclass(frozen=True, slots=True)
class EntryOptions:
    """The run policy of one entry; values may be templates rendered at replay time."""

    variables: tuple[tuple[str, Any], ...] = ()  # (name, value or Template)
    delay_ms: Any = 0
    retry: Any = 0
    retry_interval_ms: Any = 1000
    skip: Any = False
    repeat: Any = 1
    location: Any = False
    max_redirs: Any = 50
    lines: dict[str, int] = field(default_factory=dict)  # option -> line, for errors

    def get(self, name: str, variables: Mapping[str, Any], file: str) -> Any:
        value = getattr(self, name)
        if not isinstance(value, Template):
            return value
        text = value.render(variables)
        opt = {"delay_ms": "delay", "retry_interval_ms": "retry-interval",
               "max_redirs": "max-redirs"}.get(name, name)
        return _convert(opt, text, file, self.lines.get(opt, 0))

    def to_json(self) -> dict[str, Any]:
        return {k: str(v) if isinstance(v, Template) else v
                for k, v in (("delay_ms", self.delay_ms), ("retry", self.retry),
                             ("retry_interval_ms", self.retry_interval_ms),
                             ("skip", self.skip), ("repeat", self.repeat),
                             ("location", self.location), ("max_redirs", self.max_redirs))}


def _convert(name: str, text: str, file: str, line: int, column: int | None = None) -> Any:
    def bad(what: str) -> RequestFileError:
        return RequestFileError(f"option {name}: expected {what}, got {text[:40]!r}",
                                file=file, line=line, column=column)

    if name in BOOLEAN:
        if text not in ("true", "false"):
            raise bad("true or false")
        return text == "true"
    if name in INTEGER:
        if not re.fullmatch(r"-?\d+", text):
            raise bad("an integer")
        n = _bounded(text)
        if n < -1 or (name != "retry" and n < 0):
            raise bad("a non-negative integer" if name != "retry" else "an integer >= -1")
        if n > LIMITS.get(name, n):
            raise RequestFileError(f"option {name}: {text[:20]} is more than this replay allows "
                                   f"({LIMITS[name]:,})", file=file, line=line, column=column,
                                   hint="a replay runs after every build and must end; "
                                        "retry: -1 retries up to 100 times")
        return n
    m = re.fullmatch(r"(\d+)(ms|s|m)?", text)
    if not m:
        raise bad("a duration (500, 500ms, 2s, 1m)")
    ms = _bounded(m.group(1)) * _UNITS[m.group(2) or "ms"]
    if name in ("delay", "retry-interval") and ms > MAX_WAIT_MS:
        raise RequestFileError(f"option {name}: {text[:20]} is longer than a replay waits "
                               f"({MAX_WAIT_MS // 1000} s)", file=file, line=line, column=column,
                               hint="a replay runs after every build: wait at most a minute")
    return ms


def _bounded(digits: str) -> int:
    """An integer, any too long to matter (int() refuses 4,300+ digits) as 10**15 (±)."""
    if len(digits.lstrip("-")) <= 15:
        return int(digits)
    return -(10 ** 15) if digits.startswith("-") else 10 ** 15


def variable_value(text: str) -> Any:
    """`variable: name=value`: null, true/false, numbers, "quoted" strings, else text."""
    if text in ("null", "true", "false"):
        return json.loads(text)
    if re.fullmatch(r"-?\d{1,19}", text) and -(2 ** 63) <= int(text) < 2 ** 63:
        return int(text)  # Hurl's integers are i64; longer digit runs stay text
    if re.fullmatch(r"-?\d{1,300}\.\d{1,300}", text):
        return float(text)
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        try:
            return json.loads(text)
        except ValueError:  # not a JSON string ("\q", a raw control character)
            return text
    return text


def parse_option(text: str, file: str, line: int) -> tuple[str, Any]:
    """One option line -> (name, value); value is converted, or a Template when templated."""
    cur = Cursor(text, file, line, len(text) - len(text.lstrip(" \t")))
    m = cur.word(re.compile(r"[A-Za-z][A-Za-z0-9._-]*"))
    cur.skip_sp()
    if m is None or cur.peek() != ":":
        raise cur.fail(f"expected an option 'name: value', got {text.strip()[:40]!r}")
    hurl_features.check("option", m, file, line, len(text) - len(text.lstrip(" \t")) + 1)
    cur.pos += 1
    cur.skip_sp()
    if m == "variable":
        name_m = cur.word(re.compile(r"[A-Za-z][A-Za-z0-9_-]*"))
        if name_m is None or cur.peek() != "=":
            raise cur.fail("variable option: write variable: name=value")
        cur.pos += 1
        value = cur.value_string()
        return m, (name_m, variable_value(value.render({})) if value.static else value)
    start = cur.pos
    value = cur.value_string()
    if m in ("header", "user", "output"):
        return m, value
    if m == "verbosity":
        if value.static and value.render({}) not in ("brief", "verbose", "debug"):
            raise cur.fail("option verbosity: expected brief, verbose or debug")
        return m, value
    if not value.static:
        return m, value
    return m, _convert(m, value.render({}), file, line, start + 1)
