"""Snapshots of the main views at 120x40 on a tmp copy of the WAT sample.

Nothing time-dependent is on screen in these views (no durations, no clock); notifications
are cleared before the shot. Regenerate with `pytest tests/tui --snapshot-update` after an
intended visual change and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import built, wait_for
from workbench.tui.app import WorkbenchApp

SIZE = (120, 40)


def make_app(workspace: Path) -> WorkbenchApp:
    app = WorkbenchApp([workspace], theme="workbench-dark", auto_replay=True, watch=False,
                       show_timings=False)
    app.animation_level = "none"
    return app


async def ready(pilot: Pilot, *keys: str) -> None:
    app = pilot.app
    await wait_for(pilot, built(app), what="build")
    state = app.modules["hello-wat"]  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: state.replay is not None, what="replay")
    for key in keys:
        await pilot.press(key)
    await pilot.pause()
    app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("keys", [
    ("1",), ("1", "tab", "tab", "right", "right"), ("2",), ("5",), ("6",),
], ids=["size-sections", "size-data", "signatures", "hooks", "build"])
def test_view_snapshot(snap_compare, workspace: Path, keys: tuple[str, ...]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await ready(pilot, *keys)

    assert snap_compare(make_app(workspace), terminal_size=SIZE, run_before=run_before)


def test_requests_snapshot_with_a_failing_assertion(snap_compare, workspace: Path) -> None:
    hurl = workspace / "hello-wat" / "requests" / "hello.hurl"
    hurl.write_text(hurl.read_text().replace('body contains "Hello from WebAssembly"',
                                             'body contains "Goodbye"'))

    async def run_before(pilot: Pilot) -> None:
        await ready(pilot, "4")

    assert snap_compare(make_app(workspace), terminal_size=SIZE, run_before=run_before)


def test_runtime_snapshot_after_send(snap_compare, workspace: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await ready(pilot, "3")
        app = pilot.app
        await pilot.press("ctrl+r")
        state = app.modules["hello-wat"]  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: state.last_run is not None, what="run")
        await pilot.pause()

    assert snap_compare(make_app(workspace), terminal_size=SIZE, run_before=run_before)


def test_small_terminal_snapshot(snap_compare, workspace: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await ready(pilot, "1")

    assert snap_compare(make_app(workspace), terminal_size=(80, 24), run_before=run_before)
