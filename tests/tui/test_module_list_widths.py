"""The module list at 80x24 (mark, name, size, replay) and 120x40 (+ Δ and budget %):
what is on screen, with long names cut by an ellipsis and no number cut at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.tui.conftest import built, copy_module, screen_lines, wait_for
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.module_cells import budget_cell, compact_delta, shorten


def _sidebar(app: WorkbenchApp) -> list[str]:
    width = app.query_one("#sidebar").region.width
    return [line[:width] for line in screen_lines(app)[1:12]]


def _workspace(tmp_path: Path) -> Path:
    copy_module(tmp_path / "hello-wat")
    copy_module(tmp_path / "a-module-with-a-long-name", "a-module-with-a-long-name")
    toml = tmp_path / "a-module-with-a-long-name" / "module.toml"
    toml.write_text(toml.read_text().replace("max_bytes = 2048", "max_bytes = 500"))
    return tmp_path


async def _ready(app: WorkbenchApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await wait_for(pilot, built(app), what="the builds")
    await wait_for(pilot, lambda: all(m.budget_over is not None and m.replay_counts
                                      for m in app.modules.values()), what="budget, replay")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_module_list_on_screen(tmp_path: Path, size: tuple[int, int]) -> None:
    root = _workspace(tmp_path)
    app = WorkbenchApp([root / "hello-wat", root / "a-module-with-a-long-name"], watch=False)
    async with app.run_test(size=size) as pilot:
        await _ready(app, pilot)
        rows = _sidebar(app)
        header = rows[0]
        hello = next(r for r in rows if "hello-wat" in r)
        long = next(r for r in rows if "a-module" in r)
        assert "993B" in hello and "5✓" in hello
        assert "…" in long and "a-module-with-a-long-name" not in long  # cut, with an ellipsis
        assert "▲" in long  # over its 500 B budget
        if size[0] < 100:
            assert "budget" not in header and "Δ" not in header
            assert "%" not in hello
        else:
            assert "budget" in header and "Δ" in header
            # 993 B of 2048 B (the sample's max_bytes) = 48%; 993 of 500 = 199%
            assert "48%" in hello and "199%" in long
        for row in (hello, long):  # the row ends inside the sidebar, before its border
            assert row.endswith(" ") or row.endswith("│")


async def test_module_list_switches_layout_on_resize(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    app = WorkbenchApp([root / "hello-wat"], watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        assert "budget" in _sidebar(app)[0]
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: "budget" not in _sidebar(app)[0], what="narrow list")
        hello = next(r for r in _sidebar(app) if "hello-wat" in r)
        assert "993B" in hello and "5✓" in hello


def test_cells_never_cut_numbers() -> None:
    from workbench.core.size.budget import BudgetLine, BudgetReport

    over = BudgetReport((BudgetLine("max_bytes", 54_800, 7_650),
                         BudgetLine("max_gzip_bytes", 100, 1000)))
    assert budget_cell(over).plain.strip() == "716%"
    assert budget_cell(None).plain.strip() == "—"
    assert compact_delta(-123456) == "-120.6K" and compact_delta(12) == "+12"
    assert shorten("size-problem", 12) == "size-problem" and shorten("abcdefghijklmn", 12) \
        == "abcdefghijk…"
    assert SAMPLES.is_dir()
