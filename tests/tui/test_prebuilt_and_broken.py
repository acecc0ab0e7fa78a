"""The app on what users have: a .wasm another tool built (opened as a file), beside a
module folder whose module.toml is broken. Both are listed; the broken one says why and
builds once the file is fixed (b), without a restart."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import built, copy_module, wait_for
from workbench.tui.app import WorkbenchApp
from workbench.tui.workers import worker_title


async def test_a_wasm_file_and_a_broken_module_toml_open_side_by_side(tmp_path: Path) -> None:
    good = copy_module(tmp_path / "hello-wat")
    from workbench.config.module import load_module
    from workbench.core.build.builder import build_module

    wasm = tmp_path / "out" / "handler.wasm"
    wasm.parent.mkdir()
    wasm.write_bytes(build_module(load_module(good)).wasm_path.read_bytes())  # type: ignore[union-attr]
    toml = good / "module.toml"
    fixed = toml.read_text()
    toml.write_text(fixed + "\nsources = [\"hello.wat\"\n")  # unclosed array
    app = WorkbenchApp([good, wasm], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: set(app.modules) == {"hello-wat", "handler"},
                       what="both modules listed")
        await wait_for(pilot, built(app, "handler"), timeout=60, what="the prebuilt module")
        assert app.modules["handler"].build == "ok"
        assert app.modules["handler"].size == wasm.stat().st_size
        broken = app.modules["hello-wat"]
        assert broken.config is None and broken.build == "failed"
        assert "invalid TOML" in (broken.error or "")
        notes = " ".join(n.message for n in app._notifications)
        assert "fix the file, then press b on it" in notes
        toml.write_text(fixed)
        app.selected = "hello-wat"
        await pilot.press("b")
        await wait_for(pilot, lambda: app.modules["hello-wat"].build == "ok", timeout=60,
                       what="the fixed module to build")
        assert app.modules["hello-wat"].config is not None
    # nothing built beside the user's file (only the app's size history, as everywhere)
    assert sorted(p.name for p in wasm.parent.iterdir()) == [".workbench", "handler.wasm"]


def test_worker_failures_are_titled_in_words() -> None:
    assert worker_title("_replay_thread") == "Replay"
    assert worker_title("serve_load_worker") == "Serve load"
    assert worker_title(None) == "Workbench"
