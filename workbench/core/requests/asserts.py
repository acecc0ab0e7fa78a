"""Evaluate saved-request assertions against what came back.

Pure: takes an `Observed` (response, duration, fuel, variables), returns an
`AssertionResult` per assertion with the expected text, the actual value and the
file:line. Comparisons follow Hurl: numbers compare as numbers (1 == 1.0), otherwise types
must match (`true` is not `1`, "200" is not 200), and a query that finds nothing fails
every predicate except `not exists`.
"""

from __future__ import annotations

import ipaddress
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workbench.core.errors import WorkbenchError, clip
from workbench.core.regex import PatternError, compile_regex
from workbench.core.requests.filters import FilterError, apply
from workbench.core.requests.jsonpath import MISSING
from workbench.core.requests.model import Assertion
from workbench.core.requests.queries import Observed, QueryError, run_query
from workbench.core.requests.template import Template

__all__ = ["AssertionResult", "Observed", "evaluate", "evaluate_all", "show"]


@dataclass(frozen=True, slots=True)
class AssertionResult:
    assertion: Assertion
    passed: bool
    actual: Any  # JSON-able; None when the query found nothing (see `found`)
    message: str  # why it failed ("" when it passed)
    found: bool = True  # False when the query found nothing (JSON null is found: None)
    missing: str = ""  # why nothing was found: "no such header", "body is not JSON", ...
    note: str = ""  # why it cannot hold whatever the value: "cannot compare str with number"
    expected_value: Any = None  # the value compared with, templates rendered

    @property
    def actual_text(self) -> str:
        """The actual value as written in a Hurl file, or `<none: why>`."""
        if self.found:
            return show(self.actual)
        return f"<none: {self.missing}>" if self.missing else "<none>"

    @property
    def expected(self) -> str:
        a = self.assertion
        pred = ("not " if a.negate else "") + a.predicate
        if a.value is None and a.predicate not in ("==", "!=", "includes", "contains"):
            return pred
        shown = self.expected_value if self.expected_value is not None else a.value
        return f"{pred} {show(shown)}"

    def to_json(self) -> dict[str, Any]:
        a = self.assertion
        return {"where": a.where, "text": a.text, "query": a.query, "arg": _plain(a.arg),
                "expected": self.expected, "actual": _plain(self.actual), "found": self.found,
                "missing": self.missing or None, "note": self.note or None,
                "passed": self.passed,
                "message": self.message, "implicit": a.implicit}


def _plain(v: Any) -> Any:
    if isinstance(v, bytes):
        return "hex," + v.hex() + ";"
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, tuple) and len(v) == 2 and v[0] == "regex":
        return f"/{v[1]}/"
    if isinstance(v, Template):
        return v.source
    return v


def show(value: Any, limit: int = 200) -> str:
    """A value as it would be written in a Hurl file, shortened for reports."""
    if value is MISSING:
        return "<none>"
    value = _plain(value)
    text = value if isinstance(value, str) and value.startswith(("hex,", "/")) and (
        value.endswith((";", "/"))) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def expected_value(a: Assertion, obs: Observed) -> Any:
    v = a.value
    if isinstance(v, Template):
        if len(v.parts) == 1 and not isinstance(v.parts[0], str) \
                and v.parts[0].name in obs.variables:
            return obs.variables[v.parts[0].name]  # a lone placeholder keeps its type
        return v.render(obs.variables)
    return v


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int | float):
        return "number"
    return {str: "string", list: "list", dict: "object", bytes: "bytes",
            datetime: "date"}.get(type(v), "null" if v is None else type(v).__name__)


def _equal(x: Any, y: Any) -> bool:
    if _kind(x) != _kind(y):
        return False
    if isinstance(x, list):
        return len(x) == len(y) and all(_equal(a, b) for a, b in zip(x, y, strict=True))
    if isinstance(x, dict):
        return x.keys() == y.keys() and all(_equal(x[k], y[k]) for k in x)
    return bool(x == y)


def _is_iso_date(v: Any) -> bool:
    if not isinstance(v, str):
        return False
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
                        v) is not None


def _ip(v: Any, version: int) -> bool:
    try:
        return isinstance(v, str) and ipaddress.ip_address(v).version == version
    except ValueError:
        return False


def _uuid(v: Any) -> bool:
    try:
        return isinstance(v, str) and len(v) == 36 and bool(uuid.UUID(v))
    except ValueError:
        return False


TYPE_TESTS = {
    "isInteger": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "isFloat": lambda v: isinstance(v, float),
    "isNumber": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "isBoolean": lambda v: isinstance(v, bool),
    "isString": lambda v: isinstance(v, str),
    "isCollection": lambda v: isinstance(v, list | dict | bytes),
    "isList": lambda v: isinstance(v, list),
    "isObject": lambda v: isinstance(v, dict),
    "isDate": lambda v: isinstance(v, datetime),
    "isIsoDate": _is_iso_date,
    "isIpv4": lambda v: _ip(v, 4),
    "isIpv6": lambda v: _ip(v, 6),
    "isUuid": _uuid,
}


def _xpath_value(a: Assertion) -> bool:
    """Whether the asserted value is what an `xpath` query or filter returned."""
    return a.filters[-1].name == "xpath" if a.filters else a.query == "xpath"


def _test(a: Assertion, actual: Any, want: Any) -> tuple[bool, str]:  # noqa: C901
    """(holds, reason when it cannot hold because of types)."""
    pred = a.predicate
    if pred == "exists":  # as Hurl: an empty XPath node-set does not exist
        return actual is not MISSING and not (actual == [] and _xpath_value(a)), ""
    if actual is MISSING:
        return False, "nothing found"
    if pred in TYPE_TESTS:
        return TYPE_TESTS[pred](actual), ""
    if pred == "isEmpty":
        if isinstance(actual, list | dict | str | bytes):
            return len(actual) == 0, ""
        return False, f"isEmpty needs a collection or a string, got {_kind(actual)}"
    if pred in ("==", "!="):
        if a.implicit and a.query == "header" and isinstance(actual, list):
            same = any(_equal(x, want) for x in actual)
        else:
            same = _equal(actual, want)
        return same if pred == "==" else not same, ""
    if pred in ("<", "<=", ">", ">="):
        if _kind(actual) != _kind(want) or _kind(want) not in ("number", "string"):
            return False, f"cannot compare {_kind(actual)} with {_kind(want)}"
        return {"<": actual < want, "<=": actual <= want, ">": actual > want,
                ">=": actual >= want}[pred], ""
    if pred == "includes" or (pred == "contains" and isinstance(actual, list)):
        if not isinstance(actual, list):
            return False, f"includes needs a list, got {_kind(actual)}"
        return any(_equal(x, want) for x in actual), ""
    if pred in ("contains", "startsWith", "endsWith"):
        if isinstance(actual, str) and isinstance(want, str) or \
                isinstance(actual, bytes) and isinstance(want, bytes):
            fn = {"contains": lambda x, y: y in x, "startsWith": lambda x, y: x.startswith(y),
                  "endsWith": lambda x, y: x.endswith(y)}[pred]
            return fn(actual, want), ""
        return False, f"{pred} needs a string, got {_kind(actual)}"
    if not isinstance(actual, str):  # matches
        return False, f"matches needs a string, got {_kind(actual)}"
    pattern = want[1] if isinstance(want, tuple) else want
    try:
        return compile_regex(pattern).search(actual) is not None, ""
    except PatternError as e:
        return False, f"invalid regex: {e}"


def _actual(a: Assertion, obs: Observed) -> tuple[Any, str]:
    """(value or MISSING, why nothing / why it failed)."""
    try:
        if a.query == "body" and a.arg == "json":  # an expected JSON body
            value = run_query("body", None, obs)
            try:
                return json.loads(value), ""
            except ValueError:
                return MISSING, "the body is not JSON"
        if a.query == "bytes" and a.arg == "file":
            return run_query("bytes", None, obs), ""
        value = run_query(a.query, a.arg, obs)
    except QueryError as e:
        return MISSING, str(e)
    if value is MISSING:
        return MISSING, _why_missing(a, obs)
    try:
        value = apply(tuple(a.filters), value, dict(obs.variables))
    except FilterError as e:
        return MISSING, str(e)
    return value, ("" if value is not MISSING else "the filter found nothing")


def _why_missing(a: Assertion, obs: Observed) -> str:
    if a.query in ("duration", "fuel"):
        return "answered by a hook: no module ran" if a.query == "fuel" else "not measured"
    if a.query == "variable":
        return f"no variable {a.arg!r}"
    if obs.response is None:
        return "no response: the run failed"
    if a.query == "header":
        return f"no header {a.arg!r} in the response"
    if a.query == "cookie":
        return f"no cookie {a.arg!r} set by the response"
    if a.query == "jsonpath":
        return f"no value at {a.arg}"
    if a.query == "url":
        return "no URL known"
    return "nothing matched"


def _expected_of(a: Assertion, obs: Observed) -> Any:
    want = expected_value(a, obs)
    if isinstance(want, tuple) and len(want) == 2 and want[0] == "file":
        from pathlib import Path

        from workbench.core.requests.hurl_body import read_file_body
        name = want[1].render(obs.variables)
        return read_file_body(name, Path(a.file).resolve().parent, a.file, a.line)
    if a.query == "body" and a.arg == "json" and isinstance(want, str):
        return json.loads(want)
    if a.query == "bytes" and a.arg == "file" and isinstance(want, str):
        from pathlib import Path

        from workbench.core.requests.hurl_body import read_file_body

        return read_file_body(want, Path(a.file).resolve().parent, a.file, a.line)
    return want


def evaluate(a: Assertion, obs: Observed) -> AssertionResult:
    try:
        actual, why = _actual(a, obs)
        want = _expected_of(a, obs)
    except WorkbenchError as e:  # a value that cannot be rendered, a missing file...
        why = clip(e.message, 300)
        return AssertionResult(a, False, None, f"{a.text}: {why}", False, why)
    holds, reason = _test(a, actual, want)
    why, reason = clip(why, 300), clip(reason, 300)  # they may quote a 1 MB body
    if a.negate:
        holds = not holds if (not reason or a.predicate == "exists") else False
    found = actual is not MISSING
    shown = actual if found else None
    if holds:
        return AssertionResult(a, True, shown, "", found, expected_value=want)
    missing = "" if found else why
    note = reason if found else ""
    result = AssertionResult(a, False, shown, "", found, missing, note, want)
    arg = _plain(a.arg)
    what = f"{a.query}" + (f" {arg!r}" if arg and a.arg not in ("json", "file") else "")
    msg = f"{what}: expected {result.expected}, got {result.actual_text}"
    if note:
        msg += f" ({note})"
    return AssertionResult(a, False, shown, msg, found, missing, note, want)


def evaluate_all(asserts: tuple[Assertion, ...], obs: Observed) -> tuple[AssertionResult, ...]:
    """Every assertion, none skipped: a failure does not stop the ones after it."""
    return tuple(evaluate(a, obs) for a in asserts)
