"""Snapshots of the screens added for a working day: the find bar over a compiler error,
the bench panel (progress, errors by kind, log-scale histogram) at 120x40 and 80x24,
and the help with a search. Nothing time-dependent: the bench figures are a fixed core
`BenchProgress`, not a measured run. Regenerate with `pytest tests/tui --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.test_snapshots import make_app, ready
from workbench.core.runtime.bench import BenchProgress
from workbench.core.runtime.result import PhaseStats
from workbench.tui.runtime_jobs import BenchSnapshot


def fixed_bench() -> dict[str, BenchSnapshot]:
    def stats(p50: float) -> PhaseStats:
        return PhaseStats(count=4000, p50=p50, p90=p50 * 1.8, p99=p50 * 9, p999=p50 * 40,
                          max=p50 * 90, mean=p50 * 1.4)

    buckets = tuple((9.0 * 1.25 ** i, max(1, int(900 / (1 + abs(i - 6) ** 2))))
                    for i in range(30))
    fresh = BenchProgress("fresh", 4000, 20000, {"total": stats(291.0)},
                          {"fuel": 12, "trap": 3}, {}, 5.0,
                          first_errors={"fuel": "fuel exhausted: the handler used more "
                                        "than 10 units (limits.fuel)",
                                        "trap": "wasm trap: unreachable executed"},
                          buckets_us=buckets)
    warm = BenchProgress("warm", 20000, 20000, {"total": stats(41.5)}, {}, {}, 3.1,
                         buckets_us=tuple((v / 7, c) for v, c in buckets))
    return {"warm": BenchSnapshot(warm, final=True), "fresh": BenchSnapshot(fresh)}


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_bench_panel_snapshot(snap_compare, workspace: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await ready(pilot, "3")
        app = pilot.app
        state = app.modules["hello-wat"]  # type: ignore[attr-defined]
        state.bench, state.bench_mode = fixed_bench(), "fresh"
        app.query_one("#runtime-tabs").active = "rt-bench"
        app.refresh_views()  # type: ignore[attr-defined]
        await pilot.pause()
        app.set_focus(None)
        await pilot.pause()

    assert snap_compare(make_app(workspace), terminal_size=size, run_before=run_before)


async def steady_cursors(pilot: Pilot) -> None:
    """A focused field's cursor blinks: on or off at the moment of the screenshot made
    these snapshots flaky. Stop the blink (the cursor then stays visible)."""
    from textual.widgets import Input

    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_find_in_compiler_output_snapshot(snap_compare, workspace: Path) -> None:
    wat = workspace / "hello-wat" / "hello.wat"
    lines = wat.read_text().splitlines()
    lines.insert(5, "(func $broken (result i32) (i32.add (i32.const 1) (nosuchop)))")
    wat.write_text("\n".join(lines) + "\n")

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        from tests.tui.conftest import built, wait_for

        await wait_for(pilot, built(app), what="build")
        await pilot.press("6")
        app.set_focus(None)
        await pilot.press("ctrl+f", *"i32", "enter")
        await pilot.pause()
        app.clear_notifications()
        await steady_cursors(pilot)

    assert snap_compare(make_app(workspace), terminal_size=(120, 40), run_before=run_before)


def test_help_find_snapshot(snap_compare, workspace: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await ready(pilot, "1")
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("slash", *"budget")
        await steady_cursors(pilot)

    assert snap_compare(make_app(workspace), terminal_size=(80, 24), run_before=run_before)
