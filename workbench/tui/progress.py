"""Long jobs other than builds and benches (replay, purity, exact gzip): what runs, since
when and how far it got, shown in the status line and the view concerned.

Workers report through `JobsMixin.job_started / job_progress / job_ended` (thread-safe:
they hop to the UI thread); the app's half-second tick re-renders the elapsed time, so a
job shows within 0.5 s of starting (at once, in fact: `job_started` renders).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from workbench.tui.base import AppBase
from workbench.tui.messages import JobUpdate

LABELS = {"replay": "replaying", "purity": "purity check", "gzip": "exact gzip -9"}


@dataclass
class Job:
    kind: str  # replay / purity / gzip
    module: str
    started: float  # time.monotonic()
    done: int = 0
    total: int = 0  # 0: unknown (elapsed time only)

    def text(self, now: float | None = None) -> str:
        """'replaying 3/12… 0.8 s', 'exact gzip -9 34%… 1.2 s', 'purity check… 0.4 s'."""
        secs = (time.monotonic() if now is None else now) - self.started
        label = LABELS.get(self.kind, self.kind)
        if self.total and self.kind == "gzip":
            label += f" {self.done * 100 // self.total}%"
        elif self.total:
            label += f" {self.done}/{self.total}"
        return f"{label}… {secs:,.1f} s"


class JobsMixin(AppBase):
    """The app's table of running jobs (UI thread only; workers use the call_* helpers)."""

    def _jobs(self) -> dict[tuple[str, str], Job]:
        if not hasattr(self, "_running_jobs"):
            self._running_jobs: dict[tuple[str, str], Job] = {}
        return self._running_jobs

    def job(self, module: str, kind: str) -> Job | None:
        return self._jobs().get((module, kind))

    def job_started(self, module: str, kind: str, total: int = 0) -> None:
        self._jobs()[(module, kind)] = Job(kind, module, time.monotonic(), 0, total)
        self._job_changed(module)

    def job_progress(self, module: str, kind: str, done: int, total: int) -> None:
        job = self._jobs().get((module, kind))
        if job is not None:
            job.done, job.total = done, total
            self._job_changed(module)

    def job_ended(self, module: str, kind: str) -> None:
        if self._jobs().pop((module, kind), None) is not None:
            self._job_changed(module)

    def on_job_update(self, msg: JobUpdate) -> None:
        if msg.ended:
            self.job_ended(msg.module, msg.kind)
        else:
            self.job_progress(msg.module, msg.kind, msg.done, msg.total)

    def job_status(self) -> list[str]:
        """The status line's job text, longest wording first (the line takes the first
        that fits): the selected module's oldest job, else any; [] when none runs."""
        jobs = sorted(self._jobs().values(), key=lambda j: (j.module != self.selected,
                                                            j.started))
        if not jobs:
            return []
        first = jobs[0]
        more = f" +{len(jobs) - 1}" if len(jobs) > 1 else ""
        return [f"◐ {first.module}: {first.text()}{more}", f"◐ {first.text()}{more}"]

    def _tick_jobs(self) -> None:
        if self._jobs():
            self._update_status()
            self._render_job_views()

    def _job_changed(self, module: str) -> None:
        if not self.ui_alive:
            return
        self._update_status()
        if module == self.selected:
            self._render_job_views()

    def _render_job_views(self) -> None:
        """Update the progress line of the view in front (Requests: replay and purity;
        Size: exact gzip) without re-rendering its tables."""
        view = self.view(self.active_view_id())
        show = getattr(view, "show_progress", None)
        state = self.modules.get(self.selected or "")
        if show is not None and state is not None and view.children:
            show(state)
