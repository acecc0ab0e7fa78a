"""Replay through the real runtime harness with inline WAT edge handlers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.core.replay_wat import TRAPPING, fixed_handler, http
from tests.wat import wat
from workbench.core.hooks.rules import parse_hooks
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.junit import junit_xml
from workbench.core.requests.replay import replay
from workbench.core.runtime.harness import Harness

HURL = """\
GET http://api.local/user
HTTP 200
Content-Type: application/json
[Asserts]
jsonpath "$.name" == "Ada"
jsonpath "$.version" == 1
header "x-build" exists
body contains "Ada"
fuel < 100000
duration < 60000

GET http://api.local/healthz
HTTP 200
[Asserts]
body == "ok"
"""

V1 = http(200, json.dumps({"name": "Ada", "version": 1}), content_type="application/json",
          x_build="1")
V2 = http(200, json.dumps({"name": "Ada", "version": 2}), content_type="application/json",
          x_build="2")
HOOKS = '[[rule]]\nname = "health"\nwhen = { path = "/healthz" }\naction = "respond"\n' \
        'body = "ok"\n'


@pytest.fixture
def entries() -> list:
    return parse_hurl(HURL, file="api.hurl")


def test_build_change_reports_the_exact_assertion(tmp_path: Path, entries: list) -> None:
    store = tmp_path / "mod" / ".workbench" / "last_responses.json"
    hooks = parse_hooks(HOOKS)
    first = replay(entries, Harness(fixed_handler(V1)), hooks=hooks, store=store, module="m")
    assert first.passed, [r.message for e in first.entries for r in e.failures]
    assert [e.diff for e in first.entries] == [None, None]  # nothing to compare with yet
    assert first.entries[1].hook_rule == "health"
    assert first.entries[0].fuel and first.entries[0].fuel > 0
    assert store.is_file()

    second = replay(entries, Harness(fixed_handler(V2)), hooks=hooks, store=store, module="m")
    assert not second.passed
    user, health = second.entries
    assert health.passed and health.diff is None
    assert not user.passed and user.error is None
    (broken,) = user.failures
    assert broken.assertion.where == "api.hurl:6"
    assert broken.assertion.text == 'jsonpath "$.version" == 1'
    assert (broken.expected, broken.actual) == ("== 1", 2)
    assert len(user.results) == 8 and sum(r.passed for r in user.results) == 7
    diff = user.diff
    assert diff is not None and diff.status is None
    assert diff.headers_changed == (("x-build", "1", "2"),)
    assert '-  "version": 1' in diff.body_diff and '+  "version": 2' in diff.body_diff
    assert second.counts == {"entries": 2, "entries_failed": 1, "assertions": 10,
                             "assertions_failed": 1, "run_errors": 0, "changed": 1}


def test_trap_is_a_failed_entry_not_a_skip(entries: list) -> None:
    report = replay(entries[:1], Harness(wat(TRAPPING)))
    (entry,) = report.entries
    assert not entry.passed and entry.error["kind"] == "trap"
    assert entry.status is None
    # every assertion was still evaluated; those needing a response failed
    assert len(entry.results) == 8
    assert [r.assertion.line for r in entry.failures][:3] == [2, 3, 5]


def test_report_json_and_junit(tmp_path: Path, entries: list) -> None:
    good = replay(entries[:1], Harness(fixed_handler(V1)), module="good")
    bad = replay(entries[:1], Harness(fixed_handler(V2)), module="bad")
    doc = bad.to_json()
    assert doc["passed"] is False and doc["assertions_failed"] == 1
    failed = [a for a in doc["entries"][0]["assertions"] if not a["passed"]]
    assert failed == [{"where": "api.hurl:6", "text": 'jsonpath "$.version" == 1',
                       "query": "jsonpath", "arg": "$.version", "expected": "== 1",
                       "actual": 2, "found": True, "missing": None, "note": None,
                       "passed": False, "implicit": False,
                       "message": "jsonpath '$.version': expected == 1, got 2"}]
    root = ET.fromstring(junit_xml([good, bad]))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("2", "1", "0")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["good", "bad"]
    assert suites[0].find("testcase/failure") is None
    failure = suites[1].find("testcase/failure")
    assert failure is not None and "api.hurl:6" in failure.get("message")


def test_cancel_stops_between_entries(entries: list) -> None:
    import threading

    cancel = threading.Event()
    seen = []

    def progress(i: int, n: int, result: object) -> None:
        seen.append(i)
        cancel.set()

    report = replay(entries, Harness(fixed_handler(V1)), progress=progress, cancel=cancel)
    assert seen == [1] and report.cancelled and not report.passed


def test_junit_escapes_control_characters_and_keeps_one_outcome_per_case() -> None:
    from workbench.core.http import Response
    from workbench.core.requests.asserts import Observed, evaluate
    from workbench.core.requests.replay import EntryResult, ReplayReport

    (entry,) = parse_hurl('# @name bell\x07\nGET http://h/\nHTTP 200\n[Asserts]\nbody == "x"\n',
                          file="a.hurl")
    obs = Observed(Response(200, (), b"ab\x01\x1bc\x00"), 1.0, 5)
    results = tuple(evaluate(a, obs) for a in entry.asserts)
    report = ReplayReport("m\x01", (EntryResult(
        entry, results, 200, 1.0, 5, {"kind": "trap", "message": "bad \x07 thing"}, None,
        None),), 1.0)
    root = ET.fromstring(junit_xml([report]))  # parses: no raw control characters
    case = root.find("testsuite/testcase")
    assert case is not None and case.get("name") == "bell\\x07"
    assert [c.tag for c in case] == ["error"]  # a failed run: <error>, assertions inside it
    error = case.find("error")
    assert error is not None and error.get("message") == "bad \\x07 thing"
    assert "a.hurl:5: body" in (error.text or "")


def test_unwritable_store_is_a_warning_not_a_crash(tmp_path: Path, entries: list) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    report = replay(entries[:1], Harness(fixed_handler(V1)), store=blocker / "x" / "s.json")
    assert report.entries and report.warning is not None
    assert "could not save the last responses" in report.warning
    assert report.to_json()["warning"] == report.warning
