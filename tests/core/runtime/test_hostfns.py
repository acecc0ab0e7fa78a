"""Each `edge.*` host function and its error codes, called from inline-WAT handlers."""
# ruff: noqa: E501  (inline WAT reads better one call per line)

from __future__ import annotations

import json
import time

from tests.core.runtime.handlers import edge, slots, wdata
from workbench.core.http import Request
from workbench.core.runtime.kv import KvStore
from workbench.core.runtime.limits import Chaos
from workbench.core.runtime.secrets import Secrets

KEYS = wdata(100, b"k1") + wdata(110, b"v1") + wdata(120, b"TOKEN") + wdata(130, b"NOPE")


def run_slots(make, body: str, n: int, **kw):
    h = make(edge(body + f" (call $finish (i32.const {n}))", data=KEYS, imports=True,
                  pages=kw.pop("pages", 2)), **kw)
    r = h.run(Request(), kw.pop("mode", "fresh"))
    assert r.error is None, r.error
    assert r.response is not None
    return slots(r.response.body), r, h


def test_kv_put_get_delete_codes(make, tmp_path) -> None:
    kv = KvStore(tmp_path / "kv.json")
    body = """
      (call $out (i32.const 0) (call $kv_put (i32.const 100) (i32.const 2) (i32.const 110) (i32.const 2)))
      (call $out (i32.const 1) (call $kv_get (i32.const 100) (i32.const 2) (i32.const 300) (i32.const 16)))
      (call $out (i32.const 2) (i32.load16_u (i32.const 300)))
      (call $out (i32.const 3) (call $kv_get (i32.const 100) (i32.const 2) (i32.const 400) (i32.const 1)))
      (call $out (i32.const 4) (i32.load (i32.const 400)))
      (call $out (i32.const 5) (call $kv_get (i32.const 130) (i32.const 4) (i32.const 300) (i32.const 16)))
      (call $out (i32.const 6) (call $kv_get (i32.const 0x7ffffff0) (i32.const 2) (i32.const 300) (i32.const 16)))
      (call $out (i32.const 7) (call $kv_get (i32.const 100) (i32.const 2) (i32.const 1310718) (i32.const 16)))
      (call $out (i32.const 8) (call $kv_put (i32.const 0) (i32.const 2) (i32.const 0) (i32.const 1100000)))
      (call $out (i32.const 9) (call $kv_delete (i32.const 130) (i32.const 4)))
    """
    out, _, _ = run_slots(make, body, 10, kv=kv, pages=20)
    assert out[0] == 0  # put ok
    assert out[1] == 2 and out[2] == int.from_bytes(b"v1", "little")  # get: length + bytes
    assert out[3] == 2 and out[4] == 0  # too small a buffer: length only, nothing written
    assert out[5] == -1  # NOT_FOUND
    assert out[6] == -3 and out[7] == -3  # BAD_POINTER (key, out buffer)
    assert out[8] == -4  # TOO_LARGE
    assert out[9] == -1  # delete of an absent key
    assert KvStore(tmp_path / "kv.sqlite").items() == [(b"k1", b"v1")]  # another reader
    body = "(call $out (i32.const 0) (call $kv_delete (i32.const 100) (i32.const 2)))"
    assert run_slots(make, body, 1, kv=kv)[0] == [0]
    assert KvStore(tmp_path / "kv.sqlite").items() == []


def test_kv_reset_and_binary_values(tmp_path) -> None:
    kv = KvStore(tmp_path / "kv.json")
    kv.put(b"bin", b"\xff\x00")
    assert KvStore(tmp_path / "kv.json").get(b"bin") == b"\xff\x00"
    assert kv.reset() == 1 and KvStore(tmp_path / "kv.json").items() == []


def test_kv_write_failure_is_a_workbench_error(tmp_path) -> None:
    import os

    import pytest

    from workbench.core.errors import WorkbenchError

    if os.geteuid() == 0:
        pytest.skip("root writes through read-only files")
    kv = KvStore(tmp_path / "kv.sqlite")
    kv.put(b"k", b"v")
    kv.close()
    for p in tmp_path.iterdir():
        p.chmod(0o444)
    with pytest.raises(WorkbenchError, match="KV store"):
        KvStore(tmp_path / "kv.sqlite").put(b"k2", b"v")


def test_chaos_kv_failure_is_unavailable_and_listed(make) -> None:
    body = "(call $out (i32.const 0) (call $kv_put (i32.const 100) (i32.const 2) (i32.const 110) (i32.const 2)))"
    out, r, _ = run_slots(make, body, 1, chaos=Chaos(kv_failure_rate=1.0, seed=1))
    assert out == [-2] and r.faults == ("fail:kv_put",)


def test_secret_get_and_redaction(make) -> None:
    secrets = Secrets({"TOKEN": "s3cr3t-value"})
    body = """
      (call $out (i32.const 0) (call $secret_get (i32.const 120) (i32.const 5) (i32.const 300) (i32.const 64)))
      (call $out (i32.const 1) (call $secret_get (i32.const 130) (i32.const 4) (i32.const 300) (i32.const 64)))
      (call $log (i32.const 3) (i32.const 300) (i32.const 12))
    """
    out, r, _ = run_slots(make, body, 2, secrets=secrets)
    assert out == [12, -1]
    assert r.logs[0].message == "[redacted:TOKEN]" and r.logs[0].level == "error"
    out, r, _ = run_slots(make, body, 2, secrets=secrets,
                          chaos=Chaos(secret_failure_rate=1.0))
    assert out[0] == -2 and "fail:secret_get" in r.faults


def test_log_levels_and_structured_fields(make) -> None:
    data = wdata(200, b'{"user":7,"ok":true}') + wdata(240, b'path=/a status=200')
    h = make(edge("""
      (call $log (i32.const 2) (i32.const 200) (i32.const 20))
      (call $log (i32.const 0) (i32.const 240) (i32.const 18))
      (call $log (i32.const 1) (i32.const 0x7ffffff0) (i32.const 4))
      (call $finish (i32.const 0))""", data=data, imports=True))
    logs = h.run(Request()).logs
    assert [ln.level for ln in logs] == ["warn", "debug", "error"]
    assert logs[0].fields == {"user": 7, "ok": True}
    assert logs[1].fields == {"path": "/a", "status": "200"}
    assert "bad pointer" in logs[2].message
    assert logs[0].t_us <= logs[1].t_us


def test_now_ms_and_random_fill(make) -> None:
    body = """
      (i64.store (i32.const 8215) (call $now_ms))
      (call $out (i32.const 2) (call $random_fill (i32.const 500) (i32.const 8)))
      (call $out (i32.const 3) (i32.load (i32.const 500)))
      (call $out (i32.const 4) (call $random_fill (i32.const 500) (i32.const 70000)))
      (call $out (i32.const 5) (call $random_fill (i32.const 131070) (i32.const 8)))
    """
    before = int(time.time() * 1000)
    out, r, _ = run_slots(make, body, 6, chaos=Chaos(seed=42))
    now = (out[1] << 32) | (out[0] & 0xFFFFFFFF)
    assert before <= now <= int(time.time() * 1000)
    assert out[2] == 0 and out[4] == -4 and out[5] == -3
    again, _, _ = run_slots(make, body, 6, chaos=Chaos(seed=42))
    assert again[3] == out[3]  # seeded: reproducible


def test_latency_chaos_is_recorded(make) -> None:
    body = "(drop (call $now_ms))"
    _, r, _ = run_slots(make, body, 0, chaos=Chaos(latency_ms={"now_ms": 5}))
    assert r.faults == ("latency:now_ms:5ms",)
    assert r.timing["handler"] >= 5000


def test_host_bug_is_reported_as_host_error(make, monkeypatch) -> None:
    def broken(self, key):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(KvStore, "get", broken)
    h = make(edge("(drop (call $kv_get (i32.const 100) (i32.const 2) (i32.const 300) (i32.const 16))) (call $finish (i32.const 0))",
                  data=KEYS, imports=True))
    r = h.run(Request(), "warm")
    assert r.error is not None and r.error.kind == "host"
    assert "edge.kv_get: RuntimeError: disk on fire" in r.error.message
    assert h.edge.warm is None


def test_every_remaining_error_code(make, tmp_path, monkeypatch) -> None:
    """The codes the tests above do not reach: BAD_POINTER on every pointer argument,
    TOO_LARGE keys, UNAVAILABLE from chaos on each kv function and from a failing disk,
    and a secret too large for its buffer (length returned, nothing written)."""
    secrets = Secrets({"TOKEN": "s3cr3t-value"})
    body = """
      (call $out (i32.const 0) (call $kv_put (i32.const 0x7ffffff0) (i32.const 2) (i32.const 110) (i32.const 2)))
      (call $out (i32.const 1) (call $kv_put (i32.const 100) (i32.const 2) (i32.const 0x7ffffff0) (i32.const 2)))
      (call $out (i32.const 2) (call $kv_put (i32.const 0) (i32.const 1025) (i32.const 110) (i32.const 2)))
      (call $out (i32.const 3) (call $kv_delete (i32.const 0x7ffffff0) (i32.const 2)))
      (call $out (i32.const 4) (call $secret_get (i32.const 0x7ffffff0) (i32.const 5) (i32.const 300) (i32.const 64)))
      (call $out (i32.const 5) (call $secret_get (i32.const 120) (i32.const 5) (i32.const 0x7ffffff0) (i32.const 64)))
      (i32.store (i32.const 300) (i32.const 0))
      (call $out (i32.const 6) (call $secret_get (i32.const 120) (i32.const 5) (i32.const 300) (i32.const 4)))
      (call $out (i32.const 7) (i32.load (i32.const 300)))
      (call $out (i32.const 8) (call $random_fill (i32.const 500) (i32.const -1)))
      (call $out (i32.const 9) (call $kv_get (i32.const 100) (i32.const -1) (i32.const 300) (i32.const 16)))
    """
    out, r, _ = run_slots(make, body, 10, secrets=secrets)
    assert out == [-3, -3, -4, -3, -3, -3, 12, 0, -3, -3]
    assert r.error is None
    chaos_body = """
      (call $out (i32.const 0) (call $kv_get (i32.const 100) (i32.const 2) (i32.const 300) (i32.const 16)))
      (call $out (i32.const 1) (call $kv_delete (i32.const 100) (i32.const 2)))
    """
    out, r, _ = run_slots(make, chaos_body, 2, chaos=Chaos(kv_failure_rate=1.0))
    assert out == [-2, -2] and r.faults == ("fail:kv_get", "fail:kv_delete")

    def disk_full(self, key, value, **kw):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(KvStore, "put", disk_full)
    put = "(call $out (i32.const 0) (call $kv_put (i32.const 100) (i32.const 2) (i32.const 110) (i32.const 2)))"
    out, r, _ = run_slots(make, put, 1, kv=KvStore(tmp_path / "kv.json"))
    assert out == [-2] and r.error is None  # a store failure is UNAVAILABLE, not a crash


def test_kv_store_picks_up_changes_from_another_process(make, tmp_path) -> None:
    """`workbench kv put/reset` in a terminal while the app runs: the harness sees it."""
    path = tmp_path / "kv.sqlite"
    mine = KvStore(path)
    mine.put(b"k1", b"v1")
    other = KvStore(path)  # another process
    other.put(b"k1", b"v2")
    body = """
      (call $out (i32.const 0) (call $kv_get (i32.const 100) (i32.const 2) (i32.const 300) (i32.const 16)))
      (call $out (i32.const 1) (i32.load16_u (i32.const 300)))
    """
    out, _, _ = run_slots(make, body, 2, kv=mine)
    assert out == [2, int.from_bytes(b"v2", "little")]
    assert other.reset() == 1
    assert mine.items() == [] and path.with_name("kv.sqlite.bak").is_file()
    assert KvStore(path.with_name("kv.sqlite.bak")).items() == [(b"k1", b"v2")]
    mine.put(b"dirty", b"2", flush=False)  # every write is kept, flush or not
    other.put(b"x", b"y")
    assert other.get(b"dirty") == b"2" and mine.get(b"x") == b"y"


def test_secrets_redacted_from_reason_hook_answers_and_traces(make) -> None:
    from tests.core.runtime.handlers import static_response
    from workbench.core.hooks.rules import parse_hooks

    secrets = Secrets({"TOKEN": "s3cr3t-value"})
    raw = b"HTTP/1.1 200 s3cr3t-value\r\nx-t: s3cr3t-value\r\n\r\nbody s3cr3t-value"
    h = make(edge("(i32.const 4096)", data=static_response(raw)), secrets=secrets)
    r = h.run(Request())
    assert r.error is None and r.response is not None
    doc = json.dumps(r.to_json())
    assert "s3cr3t" not in doc and doc.count("[redacted:TOKEN]") == 3
    hooks = parse_hooks(
        '[[rule]]\nname = "auth"\naction = "set_headers"\nset = { authorization = '
        '"Bearer s3cr3t-value" }\n\n[[rule]]\nname = "answer"\nwhen = { path = "/a" }\n'
        'action = "respond"\nbody = "token s3cr3t-value"\n')
    for path in ("/", "/a"):
        r = h.run(Request(target=path), hooks=hooks)
        doc = json.dumps(r.to_json())
        assert "s3cr3t" not in doc and "[redacted:TOKEN]" in doc, path
