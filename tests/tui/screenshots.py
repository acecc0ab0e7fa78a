"""Save the README/docs screenshots (SVG) of the app on the bundled samples.

    python -m tests.tui.screenshots            # writes docs/screenshots/*.svg

Runs the real app headless (App.run_test) on sample_modules/, drives it with the same
keys a user would press, and saves `App.save_screenshot` SVGs. Figures that vary from
run to run (timings) are visible in these images; that is fine for documentation and is
why they are not the snapshot tests.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from textual.pilot import Pilot

from tests.tui.conftest import built, wait_for
from workbench.config.shipped import samples_dir
from workbench.tui.app import WorkbenchApp

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


async def select(pilot: Pilot, name: str) -> None:
    app: WorkbenchApp = pilot.app  # type: ignore[assignment]
    app.module_list().select_name(name)
    await wait_for(pilot, lambda: app.selected == name, what=f"select {name}")
    await pilot.pause()


async def shoot(pilot: Pilot, name: str) -> None:
    app = pilot.app
    app.clear_notifications()
    await pilot.pause(0.2)
    app.save_screenshot(str(OUT / f"{name}.svg"))
    print("wrote", OUT / f"{name}.svg")


async def main(theme: str = "workbench-dark") -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = WorkbenchApp([samples_dir()], theme=theme, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), timeout=120, what="sample builds")
        await wait_for(pilot, lambda: all(m.replay is not None or m.build != "ok"
                                          for m in app.modules.values()), timeout=60,
                       what="replays")
        await select(pilot, "size-problem")
        await pilot.press("1")
        await shoot(pilot, "size")
        tabs = app.query_one("#size-tabs")
        tabs.active = "size-sources"  # type: ignore[attr-defined]
        await pilot.pause()
        tree = app.query_one("#sources-tree")
        tree.root.children[0].expand()  # type: ignore[attr-defined]
        await shoot(pilot, "size-sources")
        tabs.active = "size-strip"  # type: ignore[attr-defined]
        await shoot(pilot, "size-strip-budget")
        await select(pilot, "json-api-c")
        await pilot.press("2")
        await shoot(pilot, "signatures")
        await pilot.press("3")
        app.query_one("#req-path").value = "/users/2"  # type: ignore[attr-defined]
        await pilot.press("ctrl+r")
        state = app.modules["json-api-c"]
        await wait_for(pilot, lambda: state.last_run is not None, what="run")
        await shoot(pilot, "runtime")
        app.query_one("#opt-n").value = "2000"  # type: ignore[attr-defined]
        app.set_focus(None)
        await pilot.press("B")  # bench cold, fresh and warm in turn
        await wait_for(pilot, lambda: all(m in state.bench and state.bench[m].final
                                          for m in ("cold", "fresh", "warm")),
                       timeout=120, what="bench")
        await shoot(pilot, "bench")
        await pilot.press("4")
        await shoot(pilot, "requests")
        await pilot.press("5")
        await shoot(pilot, "hooks")
        await pilot.press("6")
        await shoot(pilot, "build")
    light = WorkbenchApp([samples_dir()], theme="workbench-light", watch=False)
    async with light.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(light), timeout=120, what="sample builds")
        await select(pilot, "size-problem")
        await shoot(pilot, "size-light")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as cfg:
        os.environ["XDG_CONFIG_HOME"] = cfg  # never touch the user's saved theme
        asyncio.run(main())
