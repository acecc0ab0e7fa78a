"""Every query and predicate, with a passing and a failing case."""

from __future__ import annotations

import json

import pytest

from workbench.core.http import Response
from workbench.core.requests.asserts import Observed, evaluate, evaluate_all
from workbench.core.requests.hurl_asserts import parse_assert
from workbench.core.requests.jsonpath import MISSING, evaluate_jsonpath, parse_jsonpath

DOC = {"user": {"name": "Ada", "age": 36, "roles": ["admin", "dev"], "active": True,
                "manager": None, "score": 9.5}, "content-type": "x"}
RESP = Response(201, (("Content-Type", "application/json; charset=utf-8"),
                      ("ETag", '"v1"')), json.dumps(DOC).encode())
OBS = Observed(RESP, duration_ms=0.25, fuel=1234)


def check(line: str, obs: Observed = OBS) -> bool:
    return evaluate(parse_assert(line, file="t.hurl", line=7), obs).passed


@pytest.mark.parametrize("passing,failing", [
    ("status == 201", "status == 200"),
    ('jsonpath "$.user.name" == "Ada"', 'jsonpath "$.user.name" == "ada"'),
    ("jsonpath \"$.user.active\" == true", "jsonpath \"$.user.active\" == 1"),
    ('jsonpath "$.user.manager" == null', 'jsonpath "$.user.missing" == null'),
    ('jsonpath "$.user.score" == 9.5', 'jsonpath "$.user.score" == 9'),
    ("status != 500", "status != 201"),
    ('jsonpath "$.user.age" < 40', 'jsonpath "$.user.age" < 36'),
    ('jsonpath "$.user.age" <= 36', 'jsonpath "$.user.age" <= 35'),
    ('jsonpath "$.user.age" > 35.5', 'jsonpath "$.user.age" > 36'),
    ('jsonpath "$.user.age" >= 36', 'jsonpath "$.user.age" >= "36"'),
    ('header "content-type" contains "json"', 'header "content-type" contains "xml"'),
    ('jsonpath "$.user.roles" contains "dev"', 'jsonpath "$.user.roles" contains "ops"'),
    ('header "Content-Type" startsWith "application/"', 'body startsWith "["'),
    ('header "etag" endsWith "\\""', 'header "etag" endsWith "v1"'),
    ('body matches /"age":\\s*\\d+/', 'body matches "^\\\\["'),
    ('header "etag" exists', 'header "x-nope" exists'),
    ('header "x-nope" not exists', 'header "etag" not exists'),
    ('body not contains "error"', 'body not contains "Ada"'),
    ('jsonpath "$.user.roles" count == 2', 'jsonpath "$.user.roles" count > 2'),
    ('jsonpath "$[\'content-type\']" == "x"', 'jsonpath "$.user.roles[2]" exists'),
    ('jsonpath "$.user.roles[-1]" == "dev"', 'jsonpath "$.user.roles[-3]" exists'),
    ("duration < 1", "duration > 1"),
    ("fuel == 1234", "fuel < 1000"),
])
def test_predicate_pass_and_fail(passing: str, failing: str | None) -> None:
    assert check(passing), passing
    assert failing is not None and not check(failing), failing


def test_failure_report_has_expected_actual_and_where() -> None:
    res = evaluate(parse_assert('jsonpath "$.user.age" > 40', file="api.hurl", line=12), OBS)
    assert not res.passed and res.actual == 36
    assert res.expected == "> 40"
    doc = res.to_json()
    assert doc["where"] == "api.hurl:12" and doc["actual"] == 36 and doc["passed"] is False
    assert "expected > 40, got 36" in res.message


def test_type_mismatch_fails_even_when_negated() -> None:
    res = evaluate(parse_assert('jsonpath "$.user.age" not startsWith "3"', file="f",
                                line=1), OBS)
    assert not res.passed and "needs a string" in res.message


def test_no_response_fails_everything_but_timing() -> None:
    dead = Observed(None, duration_ms=2.0, fuel=10)
    asserts = tuple(parse_assert(t, file="f", line=i) for i, t in enumerate(
        ["status == 200", 'header "x" not exists', "fuel == 10"], 1))
    results = evaluate_all(asserts, dead)
    assert [r.passed for r in results] == [False, True, True]
    assert "the run failed" in results[0].message


def test_non_json_body_makes_jsonpath_missing() -> None:
    obs = Observed(Response(200, (), b"not json"))
    assert check('jsonpath "$.a" not exists', obs)
    assert not check('jsonpath "$.a" == 1', obs)


def test_jsonpath_subset() -> None:
    assert parse_jsonpath("$.a[0]['b c'].d") == ("a", 0, "b c", "d")
    assert evaluate_jsonpath({"a": [{"b c": {"d": 1}}]}, ("a", 0, "b c", "d")) == 1
    assert evaluate_jsonpath({"a": []}, ("a", 0)) is MISSING
    assert evaluate_jsonpath([1, 2], ()) == [1, 2]


def test_report_says_why_nothing_was_found_and_keeps_json_null() -> None:
    obs = Observed(Response(200, (("x", "1"),), b'{"a": null, "n": 3}'), 1.0, 7)
    cases = {
        'jsonpath "$.a" == 1': (True, None, "null", ""),
        'jsonpath "$.b" == 1': (False, None, "<none: no value at $.b>", "no value at $.b"),
        'header "y" == "1"': (False, None, "<none: no header 'y' in the response>",
                              "no header 'y' in the response"),
        'jsonpath "$.n" count == 1': (False, None,
                                      "<none: invalid filter input: count cannot take a integer>",
                                      "invalid filter input: count cannot take a integer"),
    }
    for text, (found, actual, shown, missing) in cases.items():
        res = evaluate(parse_assert(text, file="f", line=1), obs)
        assert not res.passed
        assert (res.found, res.actual, res.actual_text, res.missing) == (
            found, actual, shown, missing), text
    res = evaluate(parse_assert('jsonpath "$.a" == 1', file="f", line=1),
                   Observed(Response(200, (), b"<html>")))
    assert res.actual_text == "<none: the body is not JSON>"
    assert res.to_json()["missing"] == "the body is not JSON"
    res = evaluate(parse_assert('jsonpath "$.n" startsWith "3"', file="f", line=1), obs)
    assert res.note == "startsWith needs a string, got number"
    assert res.to_json()["note"] == res.note
