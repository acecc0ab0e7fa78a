"""The Watcher: which file events matter, and a live save -> rebuild -> events round trip.

Live tests wait on an event queue with a generous timeout only to avoid hanging; they
assert on the events' content, never on how long anything took.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workbench.config.module import load_module
from workbench.core.build.events import (
    AfterBuild,
    BuildFailed,
    BuildFinished,
    BuildStarted,
    FilesChanged,
    WatchStarted,
)
from workbench.core.build.sources import is_editor_junk, matches
from workbench.core.build.watch import Watcher as CoreWatcher
from workbench.services.loop import reload_module

WAT = """(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "handle") (param i32 i32) (result i32) (i32.const {value})))
"""


def Watcher(*args: Any, **kwargs: Any) -> CoreWatcher:  # noqa: N802
    """The core Watcher with the module.toml reload the CLI and the app inject."""
    return CoreWatcher(*args, reload=reload_module, **kwargs)


def _module(root: Path, name: str = "m") -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "mod.wat").write_text(WAT.format(value=0))
    (folder / "module.toml").write_text('abi = "edge"\n')
    (folder / "hooks.toml").write_text("")
    return folder


@pytest.mark.parametrize("name, junk", [
    ("mod.wat", False), (".mod.wat.swp", True), ("mod.wat~", True), (".#mod.wat", True),
    ("4913", True), ("#mod.wat#", True), ("main.c.orig", True),
])
def test_editor_junk(name: str, junk: bool) -> None:
    assert is_editor_junk(name) is junk


@pytest.mark.parametrize("rel, patterns, expected", [
    ("main.c", ("**/*.c",), True),
    ("src/deep/x.c", ("**/*.c",), True),
    ("src/x.c", ("*.c",), False),
    ("build/x.c", ("**/*.c",), False),
    (".git/x.c", ("**/*.c",), False),
    ("node_modules/a/b.ts", ("**/*.ts",), False),
    ("assembly/index.ts", ("assembly/**/*.ts",), True),
    ("src/lib.rs", ("src/**/*.rs",), True),
    ("main.h", ("main.[ch]",), True),
])
def test_glob_matching(rel: str, patterns: tuple[str, ...], expected: bool) -> None:
    assert matches(rel, patterns) is expected


def test_classify_ignores_outputs_junk_and_unchanged_content(tmp_path: Path) -> None:
    folder = _module(tmp_path)
    w = Watcher([load_module(folder)], on_event=lambda e: None)
    src = folder / "mod.wat"
    assert w.classify(src) is None  # content unchanged since the watcher started
    src.write_text(WAT.format(value=1))
    found = w.classify(src)
    assert found is not None and found[1:] == ("source", "mod.wat")
    assert w.classify(src) is None  # same bytes again: a metadata-only event
    (folder / "build").mkdir()
    (folder / "build" / "m.wasm").write_bytes(b"\0asm")
    assert w.classify(folder / "build" / "m.wasm") is None
    (folder / ".mod.wat.swp").write_text("x")
    assert w.classify(folder / ".mod.wat.swp") is None
    (folder / "notes.txt").write_text("x")
    assert w.classify(folder / "notes.txt") is None  # not a source
    assert w.classify(tmp_path / "elsewhere.wat") is None  # outside every module
    (folder / "hooks.toml").write_text("# changed\n")
    assert w.classify(folder / "hooks.toml")[1] == "hooks"
    src.unlink()
    assert w.classify(src)[1] == "source"  # a deletion is a change


def test_a_prebuilt_output_is_its_source_even_under_target(tmp_path: Path) -> None:
    """Another tool (cargo, spin build) writes target/.../app.wasm: that write is the
    change to load; any other module's output stays the build's own write."""
    out = tmp_path / "target" / "wasm32-wasi" / "release" / "app.wasm"
    out.parent.mkdir(parents=True)
    out.write_bytes(b"\0asm\x01\0\0\0")
    (tmp_path / "module.toml").write_text(
        'toolchain = "prebuilt"\noutput = "target/wasm32-wasi/release/app.wasm"\n')
    w = Watcher([load_module(tmp_path)], on_event=lambda e: None)
    assert w.classify(out) is None  # unchanged since the watcher started
    out.write_bytes(b"\0asm\x01\0\0\0\0\x01\x00")
    found = w.classify(out)
    assert found is not None and found[1:] == ("source", "target/wasm32-wasi/release/app.wasm")
    other = tmp_path / "target" / "wasm32-wasi" / "release" / "dep.wasm"
    other.write_bytes(b"\0asm\x01\0\0\0")
    assert w.classify(other) is None  # target/ is still ignored for everything else


def test_wasm_files_of_one_folder_are_watched_side_by_side(tmp_path: Path) -> None:
    from workbench.config.module import load_wasm_file

    a, b = tmp_path / "a.wasm", tmp_path / "b.wasm"
    for f in (a, b):
        f.write_bytes(b"\0asm\x01\0\0\0")
    w = Watcher([load_wasm_file(a), load_wasm_file(b)], on_event=lambda e: None)
    assert sorted(m.name for m in w.modules.values()) == ["a", "b"]
    b.write_bytes(b"\0asm\x01\0\0\0\0\x01\x00")
    found = w.classify(b)
    assert found is not None and (found[0].name, found[1]) == ("b", "source")
    (tmp_path / "module.toml").write_text("name = 'x'\n")  # not these modules' config
    assert w.classify(tmp_path / "module.toml") is None


def test_only_the_changed_module_is_queued(tmp_path: Path) -> None:
    a, b = _module(tmp_path, "a"), _module(tmp_path, "b")
    w = Watcher([load_module(a), load_module(b)], on_event=lambda e: None, debounce_ms=10)
    (b / "mod.wat").write_text(WAT.format(value=2))
    w.notice(b / "mod.wat", now=100.0)
    assert [d.module for d in w.queue.due(100.5)] == ["b"]


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Path, queue.Queue, Watcher]]:
    folder = _module(tmp_path)
    events: queue.Queue = queue.Queue()
    cfg = load_module(folder)
    w = Watcher([cfg], on_event=events.put, debounce_ms=20, initial_build=True,
                after_build=lambda c, r: AfterBuild(c.name, "checked", {"size": r.size}))
    stop = threading.Event()
    thread = threading.Thread(target=w.run, args=(stop,))
    thread.start()
    try:
        yield folder, events, w
    finally:
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive()


def _next(events: queue.Queue, kind: type, timeout: float = 20.0) -> object:
    while True:
        event = events.get(timeout=timeout)
        if isinstance(event, kind):
            return event


def test_live_save_rebuilds_and_failure_keeps_previous(live) -> None:
    folder, events, _ = live
    assert isinstance(events.get(timeout=20), WatchStarted)
    first = _next(events, BuildFinished)
    assert first.result.ok and first.inspect["abi"] == "edge"
    assert _next(events, AfterBuild).data == {"size": first.result.size}
    (folder / "mod.wat").write_text(WAT.format(value=123456))  # a longer constant
    started = _next(events, BuildStarted)
    assert started.changed == ("mod.wat",)
    second = _next(events, BuildFinished)
    assert second.size_delta == 2 and second.result.previous_size == first.result.size
    (folder / "mod.wat").write_text(WAT.format(value="oops"))
    failed = _next(events, BuildFailed)
    assert failed.stale and failed.diagnostics[0].file == "mod.wat"
    assert failed.diagnostics[0].line == 4
    assert failed.result.wasm_path.stat().st_size == second.result.size
    doc = failed.to_json()
    assert doc["event"] == "failed" and doc["stale"] is True


def test_live_hooks_change_and_bad_module_toml(live) -> None:
    folder, events, _ = live
    _next(events, BuildFinished)
    _next(events, AfterBuild)  # the start-up build's own run
    (folder / "hooks.toml").write_text("# edited\n")
    changed = _next(events, FilesChanged)
    assert changed.what == "hooks" and changed.error is None
    rerun = _next(events, AfterBuild)  # the replay runs again, without a rebuild
    assert rerun.what == "checked" and rerun.module == changed.module
    (folder / "module.toml").write_text('profile = "fast"\n')
    bad = _next(events, FilesChanged)
    assert bad.what == "config" and bad.error["kind"] == "config"
    assert "profile" in bad.error["where"]


def test_request_files_are_reported_only_when_their_content_changes(tmp_path: Path) -> None:
    folder = _module(tmp_path)
    (folder / "requests").mkdir()
    hurl = folder / "requests" / "a.hurl"
    hurl.write_text("GET /\nHTTP 200\n")
    w = Watcher([load_module(folder)], on_event=lambda e: None)
    assert w.classify(hurl) is None
    hurl.write_text("GET /\nHTTP 404\n")
    assert w.classify(hurl)[1:] == ("requests", "requests/a.hurl")


def test_renaming_a_module_in_module_toml(tmp_path: Path) -> None:
    folder = _module(tmp_path)
    events: list = []
    w = Watcher([load_module(folder)], on_event=events.append, debounce_ms=10)
    (folder / "mod.wat").write_text(WAT.format(value=5))
    w.notice(folder / "mod.wat", now=1.0)
    (folder / "module.toml").write_text('name = "renamed"\n')
    w.notice(folder / "module.toml", now=1.001)
    assert [d.module for d in w.queue.due(2.0)] == ["renamed"]
    assert events[-1].what == "config" and events[-1].module == "renamed"


def test_sources_matching_nothing_fail_with_the_config_file_and_line(tmp_path: Path) -> None:
    folder = _module(tmp_path)
    (folder / "module.toml").write_text('abi = "edge"\nsources = ["src/*.wat"]\n')
    events: list = []
    w = Watcher([load_module(folder)], on_event=events.append)
    w._build_and_report(w.modules[folder.resolve()], 0.0, threading.Event())
    (failed,) = events
    assert isinstance(failed, BuildFailed) and failed.error["kind"] == "config"
    (diag,) = failed.diagnostics
    assert (diag.file, diag.line) == (str(folder.resolve() / "module.toml"), 2)


def test_a_folder_appearing_is_not_a_source_edit(tmp_path: Path) -> None:
    """`sources = ["**/*"]` (the command toolchain's default): the app creating
    `.workbench/` or the build creating `build/` must not start another build."""
    folder = _module(tmp_path)
    (folder / "module.toml").write_text('name = "m"\ntoolchain = "command"\n'
                                        'command = "true"\n')
    w = Watcher([load_module(folder)], on_event=lambda e: None)
    for name in (".workbench", "build", "assets"):
        (folder / name).mkdir()
        assert w.classify(folder / name) is None, name
    (folder / "assets" / "logo.svg").write_text("<svg/>")
    assert w.classify(folder / "assets" / "logo.svg")[1] == "source"
