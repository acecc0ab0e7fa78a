"""The Requests view's assertion detail tells JSON null from "the query found nothing"."""

from __future__ import annotations

from types import SimpleNamespace

from workbench.core.http import Response
from workbench.core.requests.asserts import Observed, evaluate
from workbench.core.requests.hurl import parse_hurl
from workbench.tui.widgets.replay_detail import render_entry

HURL = """\
GET http://localhost/
HTTP 200
[Asserts]
jsonpath "$.gone" == 1
jsonpath "$.missing" == 1
"""


def test_null_and_nothing_found_read_differently() -> None:
    entry = parse_hurl(HURL, file="t.hurl")[0]
    obs = Observed(Response(200, (("content-type", "application/json"),), b'{"gone": null}'))
    results = tuple(evaluate(a, obs) for a in entry.asserts)
    assert [r.passed for r in results] == [True, False, False]  # status, null, missing
    result = SimpleNamespace(results=results, hook_rule=None, error=None, diff=None)
    text = render_entry(entry, result).plain
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("actual:")]
    assert lines[0] == "actual:   null"
    assert lines[1].startswith("actual:   <none")
