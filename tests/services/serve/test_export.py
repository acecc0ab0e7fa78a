"""Complete records: request and response headers and bodies (capped, redacted), and a
served request saved as a Hurl entry that the workbench's own Hurl reader reads back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.services.serve.helpers import ServerThread, edge_wat, route, served
from workbench.core.requests.hurl import parse_hurl
from workbench.core.runtime.secrets import Secrets
from workbench.services.serve import record
from workbench.services.serve.export import record_hurl
from workbench.services.serve.record import BODY_CAP, Phases, ServeRecord, message_json
from workbench.services.serve.routes import Route, RouteTable

BODIES = [
    b"",
    b"one line of text",
    b'{"multi": "line",\n "json": true}\n',
    b"ends without newline\nbut has two lines",
    bytes(range(256)),  # not UTF-8: base64
    "caf\u00e9 \u2603 {{not a placeholder}} back\\slash `tick`".encode(),
]
HEADERS = {
    "x-plain": "value",
    "x-hash": "a #b ## c",
    "x-braces": "{{name}} and {x}",
    "x-backslash": "C:\\path\\n",
    "x-spaces": "  padded  ",
    "content-type": "application/octet-stream; charset=x",
}


@pytest.mark.parametrize("body", BODIES, ids=range(len(BODIES)))
def test_saved_entry_reads_back_to_the_request_the_client_sent(tmp_path: Path,
                                                              body: bytes) -> None:
    mod = served(tmp_path, "m", edge_wat("answer"))
    with ServerThread(RouteTable([route("/", mod)])) as s:
        status, _, _ = s.get("/p/a%20b?q=1&r=%7B%7B", method="POST", body=body,
                             headers=HEADERS)
        rec = s.wait_records(1)[0]
    assert status == 200
    text = record_hurl(rec)
    (entry,) = parse_hurl(text, file="saved.hurl")
    req = entry.request
    assert (req.method, req.target, req.body) == ("POST", "/p/a%20b?q=1&r=%7B%7B", body)
    sent = {k.lower(): v for k, v in req.headers}
    for k, v in HEADERS.items():
        # http.client strips nothing; aiohttp trims the value's outer whitespace
        assert sent[k] == v.strip(), (k, text)
    assert sent["host"] == "localhost"  # from the URL, not the server's port
    assert "content-length" not in sent
    status_asserts = [a for a in entry.asserts if a.query == "status"]
    assert [a.value for a in status_asserts] == [200]


def test_record_keeps_both_sides_and_the_log_caps_and_redacts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(record, "BODY_CAP", 1000)  # the WAT module has one 64 KiB page
    mod = served(tmp_path, "m", edge_wat("the body", content_type="text/x-mine"))
    mod.secrets = Secrets({"API_KEY": "sekret-123"})
    big = b"sekret-123 " + b"x" * 2000
    with ServerThread(RouteTable([route("/", mod)])) as s:
        s.get("/?token=sekret-123", method="PUT", body=big,
              headers={"authorization": "Bearer sekret-123"})
        rec = s.wait_records(1)[0]
    assert rec.request_body == big  # the record itself keeps what was sent
    assert ("authorization", "Bearer sekret-123") in [(k.lower(), v)
                                                      for k, v in rec.request_headers]
    assert rec.response_body == b"the body"
    doc = json.loads(json.dumps(rec.to_json()))
    assert doc["target"] == "/?token=[redacted:API_KEY]"
    req = doc["request"]
    assert ["Authorization", "Bearer [redacted:API_KEY]"] in req["headers"] or \
        ["authorization", "Bearer [redacted:API_KEY]"] in req["headers"]
    assert req["truncated"] is True and req["body_bytes"] == len(big)
    assert len(req["body"].encode()) == 1000
    assert req["body"].startswith("[redacted:API_KEY] xxx") and "sekret" not in req["body"]
    resp = doc["response"]
    assert resp["body"] == "the body" and resp["truncated"] is False
    assert ["content-type", "text/x-mine"] in resp["headers"]
    assert any(k.lower() == "x-workbench-fuel" for k, _ in resp["headers"])
    saved = record_hurl(rec)
    assert "sekret" not in saved and "[redacted:API_KEY]" in saved


def test_message_json_cuts_utf8_on_a_character_and_base64s_binary() -> None:
    body = ("a" + "é" * BODY_CAP).encode()  # the cap falls inside an "é" (2 bytes)
    doc = message_json((), body, None)
    assert doc["truncated"] is True and doc["body_b64"] is None
    assert doc["body"] == "a" + "é" * ((BODY_CAP - 1) // 2)
    binary = message_json((("k", "v"),), b"\xff\xfe\x00", None)
    assert binary["body"] is None and binary["body_b64"] == "//4A"
    assert binary["headers"] == [["k", "v"]] and binary["truncated"] is False


def test_saved_entry_uses_the_path_the_handler_saw_under_a_mount(tmp_path: Path) -> None:
    mod = served(tmp_path, "hello", edge_wat("hi"))
    mounted = Route("/hello", "hello", current=mod, builds=1, strip=True)
    with ServerThread(RouteTable([mounted])) as s:
        s.get("/hello/robots.txt")
        rec = s.wait_records(1)[0]
    assert rec.target == "/hello/robots.txt" and rec.handler_target == "/robots.txt"
    (entry,) = parse_hurl(record_hurl(rec), file="x.hurl")
    assert entry.request.target == "/robots.txt"


def test_a_record_without_a_module_still_saves() -> None:
    rec = ServeRecord(time=0.0, client="::1", method="DELETE", target="/nowhere?a=%23#",
                      status=404, answered_by="server", route=None, module=None, build=None,
                      hook_rule=None, phases=Phases(total_us=1.0), fuel=None, bytes_in=0,
                      bytes_out=0, request_headers=(("X-Y", "1"),))
    (entry,) = parse_hurl(record_hurl(rec, comment="a\nb"), file="x.hurl")
    assert (entry.request.method, entry.request.target) == ("DELETE", "/nowhere?a=%23")
    assert entry.request.headers == (("Host", "localhost"), ("X-Y", "1"))
