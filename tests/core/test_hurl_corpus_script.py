"""benchmarks/hurl_corpus.py and hurl_selfcheck.py on a tiny corpus: the figures they
print are the acceptance measure of the Hurl reader, so their checks are tested too."""

from __future__ import annotations

from pathlib import Path

from benchmarks.hurl_corpus import classify, silent_drops
from benchmarks.hurl_selfcheck import check
from workbench.core.requests.hurl import parse_hurl

VALID = ("POST {{host}}/login\n{\"u\": \"a\"}\nHTTP 200\n[Captures]\ntoken: jsonpath \"$.t\"\n\n"
         "GET {{host}}/me\nAuthorization: Bearer {{token}}\nHTTP 200\n[Asserts]\n"
         "status == 200\n")


def test_classify_runs_rejects_and_names_unsupported(tmp_path: Path) -> None:
    ok = tmp_path / "a__b__ok.hurl"
    ok.write_text(VALID)
    bad = tmp_path / "bad.hurl"
    bad.write_text("GET http://h/\nHTTP 200\n[Captures]\nx = body\n")
    unsupported = tmp_path / "ip.hurl"
    unsupported.write_text("GET http://h/\nHTTP 200\n[Asserts]\nip == \"1.2.3.4\"\n")
    assert classify(ok) == ("runs", "")
    kind, why = classify(bad)
    assert kind == "rejected" and why.endswith("bad.hurl:4:3)")
    kind, why = classify(unsupported)
    assert kind == "not-supported" and "ip" in why


def test_silent_drop_check_sees_lost_headers_and_asserts() -> None:
    source = "GET http://h/\nA: 1\nB: 2\nHTTP 200\n[Asserts]\nstatus == 200\nbody contains \"x\"\n"
    assert silent_drops(source, parse_hurl(source, file="s.hurl")) == []
    fewer = parse_hurl("GET http://h/\nA: 1\nHTTP 200\n[Asserts]\nstatus == 200\n",
                       file="s.hurl")
    found = silent_drops(source, fewer)
    assert "2 request header lines, 1 headers kept" in found
    assert "[Asserts]: 2 lines, 1 kept" in found


def test_selfcheck_replays_against_the_described_body(tmp_path: Path) -> None:
    f = tmp_path / "self.hurl"
    f.write_text('GET http://h/\nHTTP 200\n[Asserts]\njsonpath "$.a" == 1\n'
                 'jsonpath "$.a" == 2\n{"a": 1}\n')
    evaluated, failures = check(f)
    assert evaluated == 2 and len(failures) == 1 and "self.hurl:5" in failures[0]
