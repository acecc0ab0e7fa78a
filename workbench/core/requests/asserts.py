"""Evaluate saved-request assertions against what came back.

Pure: takes an `Observed` (response, duration, fuel), returns an `AssertionResult` per
assertion with the expected text, the actual value and the file:line. Comparisons are
type-strict the way Hurl's are: `true` is not `1`, "200" is not 200, and a header that is
absent fails every predicate except `not exists`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from workbench.core.http import Response
from workbench.core.requests.jsonpath import MISSING, evaluate_jsonpath, parse_jsonpath
from workbench.core.requests.model import Assertion


@dataclass(frozen=True, slots=True)
class Observed:
    """What a run produced: the response (None when the run failed), time and fuel."""

    response: Response | None
    duration_ms: float | None = None
    fuel: int | None = None


@dataclass(frozen=True, slots=True)
class AssertionResult:
    assertion: Assertion
    passed: bool
    actual: Any  # JSON-able; None when the query found nothing (see `found`)
    message: str  # why it failed ("" when it passed)
    found: bool = True  # False when the query found nothing (JSON null is found: None)
    missing: str = ""  # why nothing was found: "no such header", "body is not JSON", ...
    note: str = ""  # why it cannot hold whatever the value: "cannot compare str with number"

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
        return pred if a.predicate == "exists" else f"{pred} {show(a.value)}"

    def to_json(self) -> dict[str, Any]:
        a = self.assertion
        return {"where": a.where, "text": a.text, "query": a.query, "arg": a.arg,
                "expected": self.expected, "actual": self.actual, "found": self.found,
                "missing": self.missing or None, "note": self.note or None,
                "passed": self.passed,
                "message": self.message, "implicit": a.implicit}


def show(value: Any, limit: int = 200) -> str:
    """A value as it would be written in a Hurl file, shortened for reports."""
    if value is MISSING:
        return "<none>"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, bytes) else repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def query(a: Assertion, obs: Observed) -> Any:
    """The queried value, or MISSING."""
    if a.query == "duration":
        value: Any = MISSING if obs.duration_ms is None else obs.duration_ms
    elif a.query == "fuel":
        value = MISSING if obs.fuel is None else obs.fuel
    elif obs.response is None:
        value = MISSING
    elif a.query == "status":
        value = obs.response.status
    elif a.query == "header":
        got = obs.response.header(a.arg or "")
        value = MISSING if got is None else got
    elif a.query == "body":
        value = obs.response.body.decode("utf-8", "replace")
    else:  # jsonpath
        try:
            doc = json.loads(obs.response.body)
            value = evaluate_jsonpath(doc, parse_jsonpath(a.arg or "$"))
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            value = MISSING  # a guest body nested thousands deep is "not JSON" too
    if a.filter == "count" and value is not MISSING:
        value = len(value) if isinstance(value, list | dict | str) else MISSING
    return value


def why_missing(a: Assertion, obs: Observed) -> str:
    """Why `query` found nothing, in words for the report."""
    if a.query in ("duration", "fuel"):
        return "answered by a hook: no module ran" if a.query == "fuel" else "not measured"
    if obs.response is None:
        return "no response: the run failed"
    if a.query == "header":
        return f"no header {a.arg!r} in the response"
    if a.query == "jsonpath":
        try:
            doc = json.loads(obs.response.body)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            return "the body is not JSON"
        if evaluate_jsonpath(doc, parse_jsonpath(a.arg or "$")) is not MISSING:
            return "count needs a list, an object or a string"
        return f"no value at {a.arg}"
    return "count needs a list, an object or a string"


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int | float):
        return "number"
    return type(v).__name__


def _test(pred: str, actual: Any, want: Any) -> tuple[bool, str]:
    """(holds, reason when it cannot hold because of types)."""
    if pred == "exists":
        return actual is not MISSING, ""
    if actual is MISSING:
        return False, "nothing found"
    if pred in ("==", "!="):
        same = _kind(actual) == _kind(want) and actual == want
        return same if pred == "==" else not same, ""
    if pred in ("<", "<=", ">", ">="):
        if _kind(actual) != _kind(want) or _kind(want) not in ("number", "str"):
            return False, f"cannot compare {_kind(actual)} with {_kind(want)}"
        return {"<": actual < want, "<=": actual <= want, ">": actual > want,
                ">=": actual >= want}[pred], ""
    if pred == "contains":
        if isinstance(actual, str) and isinstance(want, str):
            return want in actual, ""
        if isinstance(actual, list):
            return any(_kind(x) == _kind(want) and x == want for x in actual), ""
        return False, f"contains needs a string or a list, got {_kind(actual)}"
    if not isinstance(actual, str):
        return False, f"{pred} needs a string, got {_kind(actual)}"
    if pred == "startsWith":
        return actual.startswith(want), ""
    if pred == "endsWith":
        return actual.endswith(want), ""
    return re.search(want, actual) is not None, ""  # matches


def evaluate(a: Assertion, obs: Observed) -> AssertionResult:
    actual = query(a, obs)
    holds, reason = _test(a.predicate, actual, a.value)
    if a.negate:
        holds = not holds if (not reason or a.predicate == "exists") else False
    found = actual is not MISSING
    shown = actual if found else None
    if holds:
        return AssertionResult(a, True, shown, "", found)
    missing = "" if found else why_missing(a, obs)
    note = reason if found else ""
    result = AssertionResult(a, False, shown, "", found, missing, note)
    what = f"{a.query}" + (f" {a.arg!r}" if a.arg else "")
    msg = f"{what}: expected {result.expected}, got {result.actual_text}"
    if note:
        msg += f" ({note})"
    return AssertionResult(a, False, shown, msg, found, missing, note)


def evaluate_all(asserts: tuple[Assertion, ...], obs: Observed) -> tuple[AssertionResult, ...]:
    """Every assertion, none skipped: a failure does not stop the ones after it."""
    return tuple(evaluate(a, obs) for a in asserts)
