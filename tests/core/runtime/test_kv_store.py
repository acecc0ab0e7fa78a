"""The SQLite KV store keeps every write (threads, processes, a bench beside a `kv put`),
takes any bytes as keys, stays within its bounds, and imports the old JSON file."""
# ruff: noqa: E501  (inline WAT reads better one call per line)

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.core.runtime.handlers import edge, slots, wdata
from workbench.core.http import Request
from workbench.core.runtime.bench import BenchOptions
from workbench.core.runtime.kv import KvStore, KvTooLarge
from workbench.core.runtime.limits import Limits

ROOT = Path(__file__).resolve().parents[3]

# key = 8 random bytes (random_fill), value "v": one new key per request
PUT_RANDOM_KEY = """
  (call $out (i32.const 0) (call $random_fill (i32.const 200) (i32.const 8)))
  (call $out (i32.const 1) (call $kv_put (i32.const 200) (i32.const 8) (i32.const 110) (i32.const 1)))
  (call $finish (i32.const 2))
"""


def put_many(path: Path, prefix: str, n: int) -> None:
    kv = KvStore(path)
    for i in range(n):
        kv.put(f"{prefix}{i}".encode(), b"x" * (i % 50))


def test_threads_and_separate_handles_keep_every_write(tmp_path: Path) -> None:
    path = tmp_path / "kv.sqlite"
    shared = KvStore(path)

    def writer(t: int) -> None:
        kv = shared if t % 2 else KvStore(path)
        for i in range(100):
            kv.put(f"t{t}-{i}".encode(), str(i).encode())

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(KvStore(path)) == 800
    assert KvStore(path).get(b"t7-99") == b"99"


def test_processes_writing_at_once_keep_every_write(tmp_path: Path) -> None:
    """Two concurrent benches used to keep 316 of 602 keys."""
    path = tmp_path / "kv.sqlite"
    code = ("import sys; from pathlib import Path; "
            "from tests.core.runtime.test_kv_store import put_many; "
            "put_many(Path(sys.argv[1]), sys.argv[2], 300)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path), p], env=env, cwd=ROOT)
             for p in ("a", "b")]
    put_many(path, "main", 300)
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    kv = KvStore(path)
    assert len(kv) == 900 and kv.stats().keys == len(kv.items())
    assert kv.stats().bytes == sum(len(k) + len(v) for k, v in kv.items())


def test_kv_put_during_a_bench_is_kept(make, tmp_path: Path) -> None:
    """20 of 20 `workbench kv put` during a bench used to vanish."""
    path = tmp_path / "kv.sqlite"
    h = make(edge(PUT_RANDOM_KEY, data=wdata(110, b"v"), imports=True), kv=KvStore(path))
    other = KvStore(path)
    done = threading.Event()

    def cli_puts() -> None:
        for i in range(20):
            other.put(f"cli{i}".encode(), b"1")
        done.set()

    t = threading.Thread(target=cli_puts)
    t.start()
    b = h.bench(Request(), BenchOptions(300, "warm"))
    t.join()
    assert b.errors == {} and done.is_set()
    kv = KvStore(path)
    assert all(kv.get(f"cli{i}".encode()) == b"1" for i in range(20))
    assert len(kv) == 20 + 301  # every bench request's key (+ the unrecorded first run)


def test_non_utf8_guest_keys_are_stored_and_later_writes_too(make, tmp_path: Path) -> None:
    path = tmp_path / "kv.sqlite"
    body = """
      (call $out (i32.const 0) (call $kv_put (i32.const 100) (i32.const 3) (i32.const 110) (i32.const 2)))
      (call $finish (i32.const 1))"""
    h = make(edge(body, data=wdata(100, b"\xff\xfe\x00") + wdata(110, b"\x80\x81"),
                  imports=True), kv=KvStore(path))
    assert slots(h.run(Request()).response.body) == [0]  # type: ignore[union-attr]
    KvStore(path).put(b"after", b"ok")
    assert KvStore(path).items() == [(b"after", b"ok"), (b"\xff\xfe\x00", b"\x80\x81")]


def test_bounds_return_too_large_and_change_nothing(make, tmp_path: Path) -> None:
    """One request wrote 546,325 keys (19 MB); now kv_max_keys stops it with TOO_LARGE."""
    body = """
      (local $i i32) (local $r i32)
      (block $full
        (loop $l
          (i32.store (i32.const 200) (local.get $i))
          (local.set $r (call $kv_put (i32.const 200) (i32.const 4) (i32.const 110) (i32.const 1)))
          (br_if $full (i32.ne (local.get $r) (i32.const 0)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
      (call $out (i32.const 0) (local.get $i))
      (call $out (i32.const 1) (local.get $r))
      (call $finish (i32.const 2))"""
    path = tmp_path / "kv.sqlite"
    h = make(edge(body, data=wdata(110, b"v"), imports=True), kv=KvStore(path),
             limits=Limits(kv_max_keys=500))
    r = h.run(Request())
    assert slots(r.response.body) == [500, -4]  # type: ignore[union-attr]
    assert len(KvStore(path)) == 500
    kv = KvStore(path, limits=Limits(kv_max_keys=2, kv_max_total_bytes=19,
                                     kv_max_value_bytes=10, kv_max_key_bytes=4))
    kv.reset()
    kv.put(b"a", b"1234567")
    with pytest.raises(KvTooLarge, match="kv_max_value_bytes"):
        kv.put(b"b", b"x" * 11)
    with pytest.raises(KvTooLarge, match="kv_max_key_bytes"):
        kv.put(b"12345", b"x")
    kv.put(b"b", b"123456789")  # 1+7 + 1+9 = 18 bytes
    with pytest.raises(KvTooLarge, match="kv_max_keys"):
        kv.put(b"c", b"")
    with pytest.raises(KvTooLarge, match="kv_max_total_bytes"):
        kv.put(b"a", b"123456789")  # 1+9 + 1+9 = 20 > 19
    kv.put(b"a", b"12345678")  # 1+8 + 10 = 19: an overwrite within the bounds
    assert kv.items() == [(b"a", b"12345678"), (b"b", b"123456789")]
    assert kv.stats().bytes == 19


def test_old_json_store_is_imported_once_and_kept(tmp_path: Path) -> None:
    old = tmp_path / ".workbench" / "kv.json"
    old.parent.mkdir()
    old.write_text(json.dumps({"text": "héllo", "bin": {"b64": "/wA="}}))
    kv = KvStore.for_workspace(tmp_path)
    assert kv.path == tmp_path / ".workbench" / "kv.sqlite"
    assert kv.items() == [(b"bin", b"\xff\x00"), (b"text", "héllo".encode())]
    assert kv.notice is not None and "imported 2 keys" in kv.notice
    assert not old.exists() and (old.parent / "kv.json.migrated").is_file()
    again = KvStore.for_workspace(tmp_path)
    assert again.notice is None and len(again) == 2


def test_kv_file_setting_is_honoured(tmp_path: Path, monkeypatch, capsys) -> None:
    from workbench.cli import main
    from workbench.services.kvstore import kv_path

    (tmp_path / "workbench.toml").write_text('kv_file = "data/store.sqlite"\n')
    assert kv_path(tmp_path) == tmp_path / "data" / "store.sqlite"
    monkeypatch.chdir(tmp_path)
    assert main(["kv", "put", "k", "v"]) == 0
    assert KvStore(tmp_path / "data" / "store.sqlite").get(b"k") == b"v"
    assert not (tmp_path / ".workbench").exists()


def test_cli_shows_binary_and_control_characters_safely(tmp_path: Path, monkeypatch, capsys) -> None:
    from workbench.cli import main

    monkeypatch.chdir(tmp_path)
    KvStore.for_workspace(tmp_path).put(b"\xff", b"\x1b[2Jhi")
    assert main(["kv", "list", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["items"] == {"base64:/w==": "base64:G1sySmhp"} and doc["keys"] == 1
    assert main(["kv", "get", "base64:/w=="]) == 0
    assert capsys.readouterr().out.strip() == "base64:G1sySmhp"
    assert main(["kv", "put", "b", "base64:AAE="]) == 0
    assert KvStore.for_workspace(tmp_path).get(b"b") == b"\x00\x01"
    assert main(["kv", "delete", "base64:/w=="]) == 0


def test_a_store_locked_by_another_writer_costs_a_handler_its_deadline_not_10s(make, tmp_path: Path) -> None:
    import sqlite3
    import time

    path = tmp_path / "kv.sqlite"
    KvStore(path).put(b"k", b"v")
    holder = sqlite3.connect(str(path), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    body = """
      (call $out (i32.const 0) (call $kv_put (i32.const 100) (i32.const 2) (i32.const 110) (i32.const 2)))
      (call $out (i32.const 1) (call $kv_get (i32.const 100) (i32.const 2) (i32.const 300) (i32.const 16)))
      (call $finish (i32.const 2))"""
    h = make(edge(body, data=wdata(100, b"k1") + wdata(110, b"v1"), imports=True),
             kv=KvStore(path), limits=Limits(timeout_ms=2000))
    t0 = time.monotonic()
    r = h.run(Request())
    assert time.monotonic() - t0 < 8  # waited 1 s; the busy timeout is 10 s outside a handler
    assert slots(r.response.body) == [-2, -1]  # type: ignore[union-attr]  # UNAVAILABLE; reads go on
    holder.execute("ROLLBACK")
    assert slots(h.run(Request()).response.body) == [0, 2]  # type: ignore[union-attr]


def test_snapshot_is_a_separate_copy(tmp_path: Path) -> None:
    kv = KvStore(tmp_path / "kv.sqlite")
    for i in range(1000):
        kv.put(str(i).encode(), b"v")
    copy = kv.snapshot()
    copy.put(b"only-in-copy", b"1")
    assert len(copy) == 1001 and len(kv) == 1000 and copy.path is None
