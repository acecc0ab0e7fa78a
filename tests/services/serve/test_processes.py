"""The pieces of `serve --processes N` that need no second process: the listening socket
bound once, pinned builds, and the routes a child rebuilds from the parent's messages."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests.services.serve.helpers import edge_wat, route, served
from workbench.core.runtime.kv import KvStore
from workbench.core.runtime.limits import Limits
from workbench.core.runtime.secrets import Secrets
from workbench.services.serve.processes import listen_socket, relay_lines
from workbench.services.serve.replica import KEEP_PINS, Pins, Replica, init_message, swap_message
from workbench.services.serve.routes import Route, RouteTable


def test_the_socket_is_bound_once_and_never_shared_with_another_server() -> None:
    sock = listen_socket("127.0.0.1", 0)
    try:
        port = sock.getsockname()[1]
        assert port > 0
        with pytest.raises(OSError):  # no SO_REUSEPORT: a second server cannot join in
            listen_socket("127.0.0.1", port)
    finally:
        sock.close()
    with pytest.raises(OSError):
        listen_socket("no-such-host.invalid", 0)


def test_a_child_rebuilds_the_parents_table_from_pinned_copies(tmp_path: Path) -> None:
    api = served(tmp_path, "api", edge_wat("api"), limits=Limits(timeout_ms=123))
    site = served(tmp_path, "site", edge_wat("site"))
    broken = Route("/broken", "broken", problem="build failed: x.wat:1:1: nope")
    strip = route("/site", site)
    strip.strip = True
    table = RouteTable([route("/api", api), strip, broken])
    kv = KvStore(tmp_path / "kv.sqlite")
    secrets = Secrets({"TOKEN": "sekret"})
    pins = Pins(tmp_path / "pins")
    pins.folder.mkdir()
    init = json.loads(json.dumps(init_message(table, kv, secrets, pins)))  # the pipe
    api.source.wasm_path.write_bytes(b"a next build, not what the parent serves")

    child = Replica(init, mode="warm", cache_dir=None, inline=True)
    assert child.table.lines() == table.lines()
    assert child.failures == []
    got = child.table.route("api")
    assert got is not None and got.current is not None
    assert got.current.wasm == api.wasm  # the pinned bytes, not the file's new content
    assert got.current.limits.timeout_ms == 123
    assert got.current.source.wasm_path.parent == pins.folder
    assert child.table.route("site").strip  # type: ignore[union-attr]
    assert child.table.route("broken").problem == broken.problem  # type: ignore[union-attr]
    assert child.kv.path == kv.path and child.secrets.get("TOKEN") == "sekret"


def test_a_swap_loads_the_build_and_old_pins_go(tmp_path: Path) -> None:
    pins = Pins(tmp_path)
    msgs = [swap_message(served(tmp_path, "m", edge_wat(f"v{n}"), build=n), pins)
            for n in range(1, 6)]
    left = sorted(p.name for p in tmp_path.glob("*-m-build*.wasm"))
    assert len(left) == KEEP_PINS and all(f"build{n}" in " ".join(left) for n in (3, 4, 5))
    init = init_message(RouteTable([Route("/", "m")]), KvStore(None), Secrets(), pins)
    child = Replica(init, mode="warm", cache_dir=None, inline=False)
    last = child.load(json.loads(json.dumps(msgs[-1])))
    assert last.build == 5 and b"v5" in last.wasm
    assert not last.inline.enabled


def test_a_build_a_child_cannot_load_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    m = served(tmp_path, "m", edge_wat("ok"))
    pins = Pins(tmp_path / "pins")
    pins.folder.mkdir()
    init = init_message(RouteTable([route("/", m)]), KvStore(None), Secrets(), pins)
    for pinned in pins.folder.iterdir():
        pinned.write_bytes(b"not wasm")
    child = Replica(init, mode="warm", cache_dir=None, inline=True)
    assert child.table.routes[0].current is None
    (name, problem), = child.failures
    assert name == "m" and problem.startswith("build 1 cannot be served")


@pytest.mark.parametrize("prefix", ["", "workbench serve [process 1]: "])
def test_a_childs_pipe_is_passed_on_in_whole_lines(prefix: str) -> None:
    """Chunks cut anywhere (mid-line, mid-character) come out as whole lines only."""
    text = "".join(f'{{"n":{i},"pad":"{"é" * (i * 37 % 3000)}"}}\n' for i in range(200))
    data = text.encode() + b"last line without a newline"
    written: list[str] = []

    async def go() -> None:
        stream = asyncio.StreamReader()
        for start in range(0, len(data), 4093):  # a prime: cuts fall everywhere
            stream.feed_data(data[start:start + 4093])
        stream.feed_eof()
        await relay_lines(stream, written.append, prefix)

    asyncio.run(go())
    assert all(not block.endswith("\n") for block in written)
    got = "\n".join(written).split("\n")
    assert got == [prefix + ln for ln in text.splitlines()] + [
        prefix + "last line without a newline"]
