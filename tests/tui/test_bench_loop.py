"""The app's bench is `Harness.bench` itself: the figures the CLI prints, shown live."""

from __future__ import annotations

import threading
from pathlib import Path
from unittest import mock

from tests.tui.conftest import built, wait_for
from workbench.core.http import Request
from workbench.core.runtime.bench import BenchProgress
from workbench.core.runtime.harness import Harness
from workbench.tui import runtime_jobs
from workbench.tui.app import WorkbenchApp


async def test_bench_live_is_harness_bench(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        state = app.modules["hello-wat"]
        snaps: list[runtime_jobs.BenchSnapshot] = []
        results = []
        real = Harness.bench

        def spy(self: Harness, *args: object, **kwargs: object) -> object:
            results.append(real(self, *args, **kwargs))  # type: ignore[arg-type]
            return results[-1]

        with mock.patch.object(Harness, "bench", spy):
            final = runtime_jobs.bench_live(state, Request("GET", "/"), 300,
                                            runtime_jobs.RunOptions(mode="warm"),
                                            threading.Event(), snaps.append, every_s=0.0)
        assert len(results) == 1  # one loop: the core's
        assert all(isinstance(s.progress, BenchProgress) for s in snaps)
        assert final.final and snaps[-1] is final and not any(s.final for s in snaps[:-1])
        assert final.phases == results[0].phases and final.done == results[0].n == 300
        assert final.reference_us == results[0].reference_us
        assert sum(final.buckets) == 300
