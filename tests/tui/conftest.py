"""Fixtures for the app tests: tmp copies of the WAT sample, a private config dir, waits.

Every test runs with XDG_CONFIG_HOME in tmp, so the user's real config (theme choice) is
never read or written. Waits poll app state (never sleep a fixed time and hope).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.conftest import SAMPLES

HELLO = SAMPLES / "hello-wat"


@pytest.fixture(autouse=True)
def private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cfg = tmp_path / "xdg"
    cfg.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(cfg))
    return cfg


def copy_module(dst: Path, name: str | None = None) -> Path:
    """A copy of the hello-wat sample (sources only), optionally renamed."""
    shutil.copytree(HELLO, dst, ignore=shutil.ignore_patterns("build", ".workbench"))
    if name is not None:
        toml = dst / "module.toml"
        toml.write_text(toml.read_text().replace('name = "hello-wat"', f'name = "{name}"'))
    return dst


@pytest.fixture
def wat_module(tmp_path: Path) -> Path:
    return copy_module(tmp_path / "hello-wat")


async def wait_for(pilot: Pilot, check: Callable[[], bool], timeout: float = 15.0,
                   what: str = "condition") -> None:
    """Poll `check` between UI refreshes until true; fail with `what` after `timeout`."""
    import time

    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


def built(app: object, *names: str) -> Callable[[], bool]:
    def check() -> bool:
        mods = app.modules  # type: ignore[attr-defined]
        wanted = names or tuple(mods)
        return bool(wanted) and all(
            n in mods and mods[n].build in ("ok", "stale", "failed") for n in wanted)
    return check


def plain(widget: object) -> str:
    """The text a Static shows (rich renderables rendered without styles)."""
    import io

    from rich.console import Console

    content = widget.content  # type: ignore[attr-defined]
    if isinstance(content, str):
        return content
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(content)
    return console.export_text()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace (workbench.toml with the {{host}} variable) holding a hello-wat copy."""
    root = tmp_path / "ws"
    root.mkdir()
    copy_module(root / "hello-wat")
    (root / "workbench.toml").write_text(
        'modules = ["hello-wat"]\ndebounce_ms = 50\n\n[variables]\nhost = "example.com"\n')
    return root


def screen_lines(app: object) -> list[str]:
    """The terminal screen as the user sees it, one string per row (no styles)."""
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return [strip.text for strip in strips]


def screen_text(app: object) -> str:
    return "\n".join(screen_lines(app))


def highlighted(app: object, colour: str) -> list[str]:
    """Runs of on-screen text whose background is the named colour (e.g. the find bar's
    match highlight), as the terminal would paint them."""
    from rich.color import Color

    want = Color.parse(colour).get_truecolor()
    out: list[str] = []
    for strip in app.screen._compositor.render_strips():  # type: ignore[attr-defined]
        run = ""
        for seg in strip:
            bg = seg.style.bgcolor if seg.style else None
            if bg is not None and bg.get_truecolor() == want:
                run += seg.text
            elif run:
                out.append(run)
                run = ""
        if run:
            out.append(run)
    return out


async def purity_note(pilot: Pilot, app: Any, name: str) -> str:
    """Run the purity check from the Requests view (4, then p) and return its note."""
    state = app.modules[name]
    await pilot.press("4")
    await wait_for(pilot, lambda: bool(app.query("#purity-note")), what="Requests")
    app.query_one("#entries-table").focus()
    await pilot.press("p")
    await wait_for(pilot, lambda: hasattr(state.extras.get("purity"), "verdict"),
                   timeout=60, what="the purity report")
    await pilot.pause()
    return plain(app.query_one("#purity-note"))
