"""`g` in the Size view: the exact gzip -9 size of a module whose size was estimated.

Above `core.size.gzip.EXACT_GZIP_LIMIT` (4 MiB) the build worker estimates the gzip size
(a few seconds saved on a 14-18 MB module); `g` computes the exact figure in a worker,
in 1 MiB steps so the Size view and the status line show "exact gzip -9 34%… 1.2 s"
from the start. The figure is kept with the build it was computed for.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable

from textual import work

from workbench.tui.base import AppBase
from workbench.tui.messages import JobUpdate

CHUNK = 1 << 20


def exact_gzip_size(data: bytes, progress: Callable[[int, int], None] | None = None,
                    chunk: int = CHUNK) -> int:
    """Bytes of `gzip -9 -n` output, as `core.size.gzip.gzip_size` (same zlib stream:
    level 9, gzip wrapper, default memLevel), fed in `chunk`s with `progress(done, total)`
    after each."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = 0
    view = memoryview(data)
    for at in range(0, len(data), chunk):
        out += len(z.compress(view[at:at + chunk]))
        if progress is not None:
            progress(min(at + chunk, len(data)), len(data))
    return out + len(z.flush())


class Bytes:
    """The module's bytes as a worker argument: Textual names a worker after the repr of
    its arguments, and the repr of 18 MB of bytes takes the UI thread seconds."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __repr__(self) -> str:
        return f"<{len(self.data):,} bytes>"


class GzipMixin(AppBase):
    def action_exact_gzip(self) -> None:
        state = self.modules.get(self.selected or "")
        if state is None or state.wasm is None:
            self.notify("Build the module first.", severity="warning")
            return
        if getattr(state.report, "gzip_exact", True) or "gzip_exact" in state.extras:
            self.notify(f"{state.name}: the gzip -9 size shown is already exact.", timeout=3)
            return
        if self.job(state.name, "gzip") is not None:  # type: ignore[attr-defined]
            return
        self.job_started(state.name, "gzip", len(state.wasm))  # type: ignore[attr-defined]
        self.call_after_refresh(self.gzip_worker, state.name, Bytes(state.wasm))

    @work(thread=True, exclusive=False, group="gzip", exit_on_error=False)
    def gzip_worker(self, name: str, held: Bytes) -> None:
        data, last = held.data, [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if now - last[0] >= 0.1 or done == total:
                last[0] = now
                self.post_message(JobUpdate(name, "gzip", done, total))

        try:
            size = exact_gzip_size(data, progress)
        finally:
            self.post_message(JobUpdate(name, "gzip", ended=True))
        self.call_from_thread(self._gzip_done, name, data, size)

    def _gzip_done(self, name: str, data: bytes, size: int) -> None:
        state = self.modules.get(name)
        if state is None or state.wasm is not data:  # rebuilt meanwhile: not this build's
            return
        state.extras["gzip_exact"] = size
        self.refresh_views(name)
        self.notify(f"{name}: gzip -9 is {size:,} B exactly.", timeout=4)
