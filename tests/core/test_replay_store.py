"""Last-response records and diffs between replays."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.http import Response
from workbench.core.requests.store import LastResponses, diff_records, response_record


def test_no_change_is_no_diff() -> None:
    r = response_record(Response(200, (("a", "1"),), b"same"))
    assert not diff_records(r, dict(r)).changed


def test_status_headers_and_body() -> None:
    before = response_record(Response(200, (("A", "1"), ("B", "x")), b"one\ntwo\n"))
    after = response_record(Response(404, (("a", "2"), ("C", "y")), b"one\nthree\n"))
    d = diff_records(before, after)
    assert d.status == (200, 404)
    assert d.headers_added == (("c", "y"),) and d.headers_removed == (("b", "x"),)
    assert d.headers_changed == (("a", "1", "2"),)
    assert "-two" in d.body_diff and "+three" in d.body_diff
    assert d.to_json()["status"] == [200, 404]


def test_failed_run_and_binary_bodies() -> None:
    ok = response_record(Response(200, (), b"\xff\x00"))
    assert ok["encoding"] == "base64"
    dead = response_record(None, "trap: unreachable")
    d = diff_records(ok, dead)
    assert d.status == (200, None) and d.error == (None, "trap: unreachable")


def test_store_round_trip_and_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / ".workbench" / "last.json"
    store = LastResponses(path)
    store.put("a.hurl#GET /", response_record(Response(201)))
    store.save()
    assert LastResponses(path).get("a.hurl#GET /")["status"] == 201
    path.write_text("{not json")
    assert LastResponses(path).records == {}


@pytest.mark.parametrize("content", [b"{not json", b"\x00asm\x01\x00\x00\x00", b'{"a": 1}'])
def test_a_file_that_is_not_a_store_is_never_overwritten(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "module.wasm"  # e.g. `--store` given the wrong file
    path.write_bytes(content)
    store = LastResponses(path)
    assert store.records == {} and store.foreign
    store.put("a.hurl#GET /", response_record(Response(201)))
    with pytest.raises(OSError, match="is not a last-responses file"):
        store.save()
    assert path.read_bytes() == content


def test_an_empty_file_is_an_empty_store(tmp_path: Path) -> None:
    path = tmp_path / "last.json"
    path.write_bytes(b"")
    store = LastResponses(path)
    assert store.records == {} and not store.foreign
    store.put("k", response_record(Response(204)))
    store.save()
    assert LastResponses(path).get("k")["status"] == 204


def test_a_failed_save_leaves_no_tmp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def refuse(*_: object) -> None:
        raise PermissionError(13, "Permission denied")

    store = LastResponses(tmp_path / "last.json")
    store.put("k", response_record(Response(200)))
    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        store.save()
    assert list(tmp_path.iterdir()) == []
