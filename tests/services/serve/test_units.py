"""Pure parts of the dev server: the route table, the worker pool, WAGI through it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.services.serve.helpers import ServerThread, route, served
from workbench.core.errors import UsageError
from workbench.services.serve.pool import PoolFull, WorkerPool
from workbench.services.serve.routes import Route, RouteTable, mount_for, normalize_prefix


def _table(*prefixes: str) -> RouteTable:
    return RouteTable([Route(p, p.strip("/").replace("/", "-") or "root") for p in prefixes])


@pytest.mark.parametrize(("path", "expected"), [
    ("/", "/"), ("/x", "/"), ("/api", "/api"), ("/api/", "/api"), ("/api/users", "/api"),
    ("/apis", "/"), ("/api/v2", "/api/v2"), ("/api/v2/x", "/api/v2"), ("/api/v20", "/api"),
])
def test_longest_prefix_wins_on_whole_segments(path: str, expected: str) -> None:
    table = _table("/", "/api", "/api/v2")
    found = table.match(path)
    assert found is not None and found.prefix == expected


def test_no_root_route_means_no_match() -> None:
    assert _table("/api").match("/other") is None


def test_two_modules_on_one_prefix_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="both route /api"):
        RouteTable([Route("/api", "a"), Route("/api", "b")])


@pytest.mark.parametrize("bad", ["api", "/a?b", "/a b", "/*"])
def test_bad_prefixes(bad: str) -> None:
    with pytest.raises(UsageError):
        normalize_prefix(bad, "module.toml")


def test_mounts_and_stripping() -> None:
    assert mount_for("/api", "x", lone=False) == ("/api", False)
    assert mount_for(None, "x", lone=True) == ("/", False)
    assert mount_for(None, "x", lone=False) == ("/x", True)
    r = Route("/hello", "hello", strip=True)
    assert r.target_for("/hello") == "/"
    assert r.target_for("/hello/robots.txt?a=1") == "/robots.txt?a=1"
    assert r.target_for("/hello?a=1") == "/?a=1"
    assert Route("/api", "api").target_for("/api/x") == "/api/x"


async def test_pool_bounds_queue_and_reports_waits() -> None:
    import threading

    gate = threading.Event()
    pool: WorkerPool[int] = WorkerPool(1, 1)
    first = pool.submit(lambda: (gate.wait(5), 1)[1])
    second = pool.submit(lambda: 2)
    with pytest.raises(PoolFull):
        pool.submit(lambda: 3)
    assert pool.pending == 2
    gate.set()
    (r1, _), (r2, waited) = await first, await second
    assert (r1, r2) == (1, 2) and waited > 0
    assert pool.pending == 0
    failing = pool.submit(lambda: 1 // 0)
    with pytest.raises(ZeroDivisionError):
        await failing
    assert await asyncio.to_thread(pool.close, 2.0)


WAGI_WAT = r"""(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "Content-Type: text/plain\n\nwagi says hi")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 38))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"""


def test_wagi_modules_are_served(tmp_path: Path) -> None:
    mod = served(tmp_path, "cgi", WAGI_WAT)
    assert mod.abi == "wagi"
    with ServerThread(RouteTable([route("/", mod)])) as s:
        status, headers, body = s.get("/x?y=1")
        rec = s.wait_records(1)[0]
    assert (status, body) == (200, b"wagi says hi")
    assert headers["content-type"] == "text/plain"
    assert rec.answered_by == "module" and rec.fuel is not None


def test_module_toml_route_and_max_request_bytes(tmp_path: Path) -> None:
    from workbench.config.module import load_module
    from workbench.core.errors import ConfigError

    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "h.wat").write_text("(module)")
    (folder / "module.toml").write_text(
        'toolchain = "wat"\nroute = "/api/"\n[limits]\nmax_request_bytes = 10\n')
    cfg = load_module(folder)
    assert cfg.route == "/api" and cfg.limits.max_request_bytes == 10
    assert cfg.to_json()["route"] == "/api"
    (folder / "module.toml").write_text('toolchain = "wat"\nroute = "api"\n')
    with pytest.raises(ConfigError, match="route"):
        load_module(folder)
    (folder / "module.toml").write_text('toolchain = "wat"\n[limits]\nmax_request_bytes = 0\n')
    with pytest.raises(ConfigError, match="max_request_bytes"):
        load_module(folder)
