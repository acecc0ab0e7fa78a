"""The compiled-module cache runs only entries it wrote itself (issue 15)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import wasmtime

from tests.core.runtime.handlers import edge, slots
from workbench.core.http import Request
from workbench.core.runtime import module_cache
from workbench.core.runtime.engine import engine


def answer(n: int) -> bytes:
    return edge(f"(call $out (i32.const 0) (i32.const {n})) (call $finish (i32.const 1))")


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "config" / "cache.key"
    monkeypatch.setenv("WORKBENCH_CACHE_KEY", str(path))
    module_cache.reset_key_for_tests()
    yield path
    module_cache.reset_key_for_tests()


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_an_entry_planted_under_another_modules_key_is_not_run(make, tmp_path, key_file) -> None:
    cache = tmp_path / "cache"
    a, b = make(answer(111), cache_dir=cache), make(answer(222), cache_dir=cache)
    assert a.run(Request(), "cold").cache == "miss"
    entry_a, entry_b = cache / f"{a.key}.cwasm", cache / f"{b.key}.cwasm"
    entry_b.write_bytes(entry_a.read_bytes())  # a valid, signed entry, but for module A
    r = b.run(Request(), "cold")
    assert r.cache == "miss" and slots(r.response.body) == [222]  # type: ignore[union-attr]
    assert make(answer(222), cache_dir=cache).run(Request(), "cold").cache == "hit"


def test_unsigned_or_edited_entries_are_recompiled(make, tmp_path, key_file) -> None:
    cache = tmp_path / "cache"
    b = make(answer(222), cache_dir=cache)
    evil = wasmtime.Module(engine(), answer(666))
    entry = cache / f"{b.key}.cwasm"
    cache.mkdir()
    entry.write_bytes(bytes(evil.serialize()))  # a raw wasmtime file, as before this fix
    r = b.run(Request(), "cold")
    assert r.cache == "miss" and slots(r.response.body) == [222]  # type: ignore[union-attr]
    data = bytearray(entry.read_bytes())
    data[-1] ^= 1  # one flipped bit anywhere fails the MAC
    entry.write_bytes(bytes(data))
    r = make(answer(222), cache_dir=cache).run(Request(), "cold")
    assert r.cache == "miss" and slots(r.response.body) == [222]  # type: ignore[union-attr]


def test_cache_folder_entries_and_key_are_private(make, tmp_path, key_file) -> None:
    cache = tmp_path / "cache"
    h = make(answer(1), cache_dir=cache)
    h.run(Request(), "cold")
    assert mode(cache) == 0o700 and mode(cache / f"{h.key}.cwasm") == 0o600
    assert mode(key_file) == 0o600 and len(key_file.read_bytes()) == 32
    assert key_file.parent != cache and not list(cache.glob("*.key"))


def test_a_key_others_can_read_is_replaced(make, tmp_path, key_file) -> None:
    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(b"k" * 32)
    key_file.chmod(0o644)
    assert module_cache.user_key() not in (None, b"k" * 32)
    assert mode(key_file) == 0o600
