"""BuildAdopter: a finished build becomes the route's served module (live reload and the
app's builds both go through it); a failed build or one that cannot be served keeps the
last good build serving, and the log says which and why."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.services.serve.helpers import ServerThread, edge_wat, write_module
from workbench.core.build.builder import build_module
from workbench.services.serve.load import Loaded, ServeOptions, load_routes
from workbench.services.serve.reload import BuildAdopter


def _wait(check, what: str, timeout: float = 15) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


@contextmanager
def serving_v1(tmp_path: Path) -> Iterator[tuple[Path, ServerThread, BuildAdopter, Loaded]]:
    """Module m answering "v1" (build 1) on a running server, and its adopter."""
    mod = write_module(tmp_path / "m", edge_wat("v1"))
    opts = ServeOptions()
    loaded = load_routes([mod], opts)
    with ServerThread(loaded.table) as s:
        yield mod, s, BuildAdopter(s.server, loaded, opts), loaded


def test_a_build_is_swapped_in_and_numbered_after_the_ones_served(tmp_path: Path) -> None:
    with serving_v1(tmp_path) as (mod, s, adopter, loaded):
        assert s.get("/")[2] == b"v1"
        (mod / "handler.wat").write_text(edge_wat("v2"))
        result = build_module(loaded.modules[0])
        adopter.adopt("m", result)
        _wait(lambda: s.get("/")[2] == b"v2", "build 2 to answer")
        assert loaded.table.routes[0].current.build == 2  # type: ignore[union-attr]
        assert [(e.kind, e.build) for e in s.events if e.kind == "swapped"] == [("swapped", 2)]


def test_a_failed_build_keeps_the_last_good_one_and_says_why(tmp_path: Path) -> None:
    with serving_v1(tmp_path) as (mod, s, adopter, loaded):
        (mod / "handler.wat").write_text("(module (func $f (result i32)")  # unbalanced
        result = build_module(loaded.modules[0])
        assert not result.ok
        adopter.adopt("m", result)
        adopter.adopt("m", None)  # the app's failed build without a result
        _wait(lambda: len([e for e in s.events if e.kind == "build_failed"]) == 2,
              "two build_failed events")
        assert s.get("/")[2] == b"v1"
    first, second = [e.message for e in s.events if e.kind == "build_failed"]
    assert first.startswith("m: build failed: ") and "handler.wat" in first
    assert "still serving the last good build (build 1)" in first
    assert second == "m: build failed; still serving the last good build (build 1)"


def test_a_build_that_cannot_be_served_keeps_the_last_good_one(tmp_path: Path) -> None:
    with serving_v1(tmp_path) as (mod, s, adopter, loaded):
        (mod / "handler.wat").write_text('(module (func (export "main")))')  # no handler ABI
        result = build_module(loaded.modules[0])
        assert result.ok
        adopter.adopt("m", result)
        _wait(lambda: any(e.kind == "load_failed" for e in s.events), "load_failed")
        assert s.get("/")[2] == b"v1"
    failed = next(e for e in s.events if e.kind == "load_failed")
    assert failed.message.startswith("m: build 2 cannot be served: ")
    assert "still serving the last good build (build 1)" in failed.message


def test_wasm_files_another_tool_builds_are_routed_by_name(tmp_path: Path) -> None:
    from tests.wat import wat

    out = tmp_path / "target"
    out.mkdir()
    (out / "api.wasm").write_bytes(wat(edge_wat("api v1")))
    (out / "web.wasm").write_bytes(wat(edge_wat("web")))
    opts = ServeOptions()
    loaded = load_routes([out / "api.wasm", out / "web.wasm"], opts)
    assert [(p, m) for p, m, _ in loaded.table.lines()] == [("/api", "api"), ("/web", "web")]
    with ServerThread(loaded.table) as s:
        assert s.get("/api/x")[2] == b"api v1" and s.get("/web/")[2] == b"web"
        (out / "api.wasm").write_bytes(wat(edge_wat("api v2")))  # the tool wrote it again
        BuildAdopter(s.server, loaded, opts).adopt(
            "api", build_module(loaded.modules[0]))
        _wait(lambda: s.get("/api/x")[2] == b"api v2", "the new api.wasm")
