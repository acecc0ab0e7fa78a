"""The Hooks view's hook time is a p50 of repeated evaluations in the worker (the figure
`workbench bench --mode warm` reports for the same rules), labelled as such, with the
send's own single sample beside it; benchmarks/bench_tui_hooks.py compares them."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Input

from tests.tui.conftest import built, screen_text, wait_for
from workbench.core.http import Request
from workbench.tui import runtime_jobs
from workbench.tui.app import WorkbenchApp


async def test_hooks_view_shows_a_labelled_p50(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the build")
        await pilot.press("3")
        await wait_for(pilot, lambda: bool(app.query("#req-path")), what="Runtime")
        app.query_one("#req-path", Input).value = "/healthz"  # answered by a hook
        app.set_focus(None)
        state = app.modules["hello-wat"]
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: state.last_run is not None, what="the response")
        await pilot.press("5")
        await wait_for(pilot, lambda: "hook time p50" in screen_text(app), what="hook time")
        text = " ".join(screen_text(app).split())
        match = re.search(r"hook time p50 ([\d,.]+) µs \((\d+) back-to-back evaluations", text)
        assert match is not None, text
        assert state.hooks_p50 is not None
        p50, samples = state.hooks_p50
        assert match.group(1) == f"{p50:,.1f}" and int(match.group(2)) == samples >= 1
        assert "workbench bench --mode warm" in text
        assert f"this send: {state.last_run.timing['hooks']:,.1f}" in text


def test_hooks_p50_is_none_without_hooks_and_positive_with(wat_module: Path) -> None:
    from workbench.config.module import load_module
    from workbench.tui.state import ModuleState

    config = load_module(wat_module)
    state = ModuleState(name="hello-wat", root=wat_module, config=config)
    request = Request("GET", "/healthz")
    off = runtime_jobs.hooks_p50(state, request, runtime_jobs.RunOptions(hooks=False))
    assert off is None
    on = runtime_jobs.hooks_p50(state, request, runtime_jobs.RunOptions(hooks=True))
    assert on is not None and on[0] > 0 and 1 <= on[1] <= runtime_jobs.HOOK_SAMPLES
