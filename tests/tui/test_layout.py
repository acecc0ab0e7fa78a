"""Nothing overflows by a cell: no stray horizontal scrollbars at 120x40 and 80x24.

A horizontal scrollbar of a table one or two cells too wide renders as a lone glyph
(▏ ▊ ▌) at the bottom of a pane, which reads as garbage. At 120x40 no widget of any
view may need one; at 80x24 the module list, the section table and the footer fit too
(the rules and saved-requests tables hold long text and scroll sideways there on purpose).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widget import Widget

from tests.tui.conftest import built, copy_module, wait_for
from workbench.tui.app import WorkbenchApp

MAY_SCROLL_AT_80 = {"rules-table", "entries-table", "served-table"}


def overflowing(app: WorkbenchApp) -> list[Widget]:
    return [w for w in app.screen.walk_children(Widget)
            if w.display and w.region.area and getattr(w, "show_horizontal_scrollbar", False)]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_no_view_overflows_by_a_cell(tmp_path: Path, size: tuple[int, int]) -> None:
    copy_module(tmp_path / "hello-wat")
    copy_module(tmp_path / "size-problem-with-a-long-name", "size-problem")
    app = WorkbenchApp([tmp_path / "hello-wat", tmp_path / "size-problem-with-a-long-name"],
                       watch=False, auto_replay=False)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, built(app, "hello-wat", "size-problem"), what="builds")
        for key in "1234567":
            await pilot.press(key)
            await pilot.pause()
            allowed = MAY_SCROLL_AT_80 if size[0] < 100 else set()
            bad = [w for w in overflowing(app) if w.id not in allowed]
            assert not bad, f"view {key}: " + ", ".join(
                f"{w!r} {w.region.width} wide, content {w.virtual_size.width}" for w in bad)


def footer_keys(app: WorkbenchApp) -> set[str]:
    return {b.binding.description for b in app.screen.active_bindings.values()
            if b.binding.show}


async def test_footer_shows_view_keys_only_in_that_view(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        assert {"Quit", "Help", "Build", "Replay", "Views"} <= footer_keys(app)
        assert "Send" not in footer_keys(app)  # focus in the module list
        await pilot.press("3")
        app.query_one("#req-path").focus()
        await pilot.pause()
        assert {"Send", "Bench", "Stop bench"} <= footer_keys(app)
        app.query_one("#req-path").value = "/healthz"
        await pilot.press("ctrl+r")  # the view's priority key, inside an Input
        state = app.modules["hello-wat"]
        await wait_for(pilot, lambda: state.last_run is not None, what="run")
        assert state.last_run.response.status == 200
