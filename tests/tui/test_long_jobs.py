"""Every long job shows on screen as soon as it starts: build, bench ("sending…", then
progress with an ETA), exact gzip, replay and the purity check. The jobs are held at
their start by an Event (no timing in the tests): what is asserted is on screen while
the job has not finished, i.e. it did not wait for a result to say something."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from tests.tui.conftest import built, screen_text, wait_for
from workbench.tui import gzip_actions, runtime_jobs
from workbench.tui.app import WorkbenchApp
from workbench.tui.progress import Job
from workbench.tui.widgets.bench_panel import errors_text, progress_text
from workbench.tui.widgets.histogram import log_axis, log_bins


def _hold(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> threading.Event:
    """Make `owner.name` wait for the returned Event before doing its work."""
    gate = threading.Event()
    real = getattr(owner, name)

    def held(*args: Any, **kwargs: Any) -> Any:
        gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)
    return gate


async def test_bench_says_sending_at_once_then_shows_progress(
        wat_module: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = _hold(monkeypatch, runtime_jobs, "harness_for")
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the build")
        await pilot.press("3")
        await wait_for(pilot, lambda: bool(app.query("#opt-n")), what="the Runtime view")
        app.query_one("#opt-n", Input).value = "400"
        app.set_focus(None)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert "fresh: sending…" in screen_text(app)  # before any request has finished
        gate.set()
        state = app.modules["hello-wat"]
        await wait_for(pilot, lambda: "fresh" in state.bench and state.bench["fresh"].final,
                       what="the bench")
        await pilot.pause()
        text = screen_text(app)
        assert "sending…" not in text
        assert "fresh: done, 400/400 requests" in text
        assert "log scale" in text


def test_progress_line_has_an_eta_and_errors_name_their_cause() -> None:
    from workbench.core.runtime.bench import BenchProgress
    from workbench.core.runtime.result import PhaseStats

    stats = PhaseStats(count=1000, p50=10, p90=20, p99=30, p999=40, max=50, mean=12)
    prog = BenchProgress("warm", 1000, 4000, {"total": stats}, {"trap": 7, "fuel": 2}, {},
                         2.0, first_errors={"trap": "unreachable executed\nat f",
                                            "fuel": "fuel exhausted"},
                         buckets_us=((9.5, 900), (120.0, 90), (2500.0, 10)))
    snap = runtime_jobs.BenchSnapshot(prog)
    line = progress_text(snap).plain
    assert "1,000/4,000 requests · 2.0 s · ETA 6.0 s · 500 req/s" in line
    errors = errors_text(snap).plain.splitlines()
    assert "9 of 1,000" in errors[0]
    assert errors[1].split() [:2] == ["7", "trap"] and "first: unreachable executed at f" \
        in errors[1]
    assert "fuel exhausted" in errors[2]
    counts, lo, hi = log_bins(prog.buckets_us, n=8)
    assert (lo, hi) == (9.5, 2500.0) and sum(counts) == 1000
    assert counts[0] == 900 and counts[-1] == 10  # decades apart: each keeps its own bin
    axis = log_axis(lo, hi, 40)
    assert axis.startswith("9.5µs") and axis.endswith("2.5ms") and "╵100µs" in axis


async def test_bench_errors_are_listed_on_screen_with_the_first_message(
        wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the build")
        await pilot.press("3")
        await wait_for(pilot, lambda: bool(app.query("#opt-n")), what="the Runtime view")
        app.query_one("#opt-n", Input).value = "50"
        app.query_one("#opt-fuel", Input).value = "10"  # every request runs out of fuel
        app.set_focus(None)
        await pilot.press("ctrl+b")
        state = app.modules["hello-wat"]
        await wait_for(pilot, lambda: "fresh" in state.bench and state.bench["fresh"].final,
                       what="the bench")
        await pilot.pause()
        text = screen_text(app)
        assert "errors in fresh (50 of 50 requests), by kind:" in text
        assert "50  fuel  first: fuel exhausted" in text


async def test_exact_gzip_shows_progress_then_the_exact_figure(
        wat_module: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from workbench.core.size.gzip import gzip_size

    gate = _hold(monkeypatch, gzip_actions, "exact_gzip_size")
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the build")
        state = app.modules["hello-wat"]
        # as if over the 4 MiB limit: the build estimated the gzip size
        state.report = replace(state.report, gzip_exact=False, gzip_size=700)
        app.refresh_views()
        await pilot.pause()
        assert "gzip ~700 B (estimated; g: exact)" in screen_text(app)
        await pilot.press("g")
        await pilot.pause()
        text = screen_text(app)
        assert "exact gzip -9 0%… 0.0 s" in text or "exact gzip -9 0%…" in text
        assert "hello-wat: exact gzip -9" in text  # the status line too
        gate.set()
        await wait_for(pilot, lambda: "gzip_exact" in state.extras, what="the exact size")
        await pilot.pause()
        assert f"gzip {gzip_size(state.wasm):,} B (exact)" in screen_text(app)
        assert "exact gzip -9 " not in screen_text(app)


async def test_replay_and_purity_show_progress_while_running(
        wat_module: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.services import purity
    from workbench.tui import replay_jobs

    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the build")
        gate = _hold(monkeypatch, replay_jobs, "replay_module")
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        text = screen_text(app)
        assert "◐ hello-wat: replaying…" in text  # status line
        assert "5 saved requests  · ◐ replaying… " in text  # the Requests view
        assert "not replayed yet (r replays all)" not in text
        gate.set()
        state = app.modules["hello-wat"]
        await wait_for(pilot, lambda: state.replay is not None, what="the replay")
        await wait_for(pilot, lambda: "replaying" not in screen_text(app), what="done")
        gate = _hold(monkeypatch, purity, "purity_of")
        await pilot.press("p")
        await pilot.pause()
        text = screen_text(app)
        assert "◐ purity check… " in text and "◐ hello-wat: purity check…" in text
        gate.set()
        await wait_for(pilot, lambda: state.extras.get("purity") != "running", what="purity")
        await pilot.pause()
        assert "purity check…" not in screen_text(app)


async def test_a_build_shows_its_elapsed_time_at_once(wat_module: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.tui import jobs

    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the build")
        gate = _hold(monkeypatch, jobs, "build")
        await pilot.press("6")
        await pilot.press("b")
        await wait_for(pilot, lambda: app.modules["hello-wat"].build == "building",
                       what="building")
        await pilot.pause()
        text = screen_text(app)
        assert "◐ building hello-wat…" in text and "◐ building… " in text
        gate.set()
        await wait_for(pilot, built(app), what="the rebuild")


def test_job_text() -> None:
    assert Job("replay", "m", 10.0, 3, 12).text(11.25) == "replaying 3/12… 1.2 s"
    assert Job("gzip", "m", 0.0, 34, 100).text(2.0) == "exact gzip -9 34%… 2.0 s"
    assert Job("purity", "m", 0.0).text(0.4) == "purity check… 0.4 s"


async def test_progress_tick_while_the_size_view_is_not_composed(
        wat_module: Path) -> None:
    """The half-second tick ran into a Size view without its children while the app
    closed (CI, once): the tick and the view's progress line then do nothing."""
    from workbench.tui.widgets.size_view import SizeView
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the build")
        state = app.modules[app.selected or ""]
        state.build, module = "building", state.module
        state.module = None
        await app.query_one("#size-summary").remove()
        app._tick_progress()  # the size view is active and lacks its summary
        SizeView().show_progress(state)  # never composed
        state.build, state.module = "ok", module
