"""gzip -9 sizes, exact or estimated, and a job that computes one on a worker thread.

Kept apart from `inspect` (and light: zlib and threading only) so `workbench inspect
--json` can read the file and start compressing before the wasm reader is even imported:
on a 14-18 MB module the gzip figure costs as much as the parse.
"""

from __future__ import annotations

import threading
import zlib


def gzip_size(data: bytes | memoryview) -> int:
    """Bytes of `gzip -9 -n` output (10-byte header, deflate, 8-byte trailer, no name)."""
    return len(zlib.compress(data, 9, wbits=31))


def gzip_estimate(data: bytes | memoryview, samples: int = 96, chunk: int = 8192) -> int:
    """gzip -9 size estimated from evenly spaced samples, each compressed at level 9 with
    the 32 KiB before it as a preset dictionary (deflate's window), so a sample costs what
    it costs inside the whole stream. ~0.75 MB compressed instead of the whole file:
    within ~3% on real 2-16 MB modules (benchmarks/bench_inspect.py prints the error).
    Level 9 on a whole repetitive 14 MB module takes ~2 s, more than the entire parse."""
    size = len(data)
    if size <= samples * chunk * 4:
        return gzip_size(data)
    view = memoryview(data)
    step = size // samples
    out = 0
    for i in range(samples):
        at = i * step + (step - chunk) // 2
        z = zlib.compressobj(9, zlib.DEFLATED, -15, zdict=bytes(view[max(0, at - 32768):at]))
        out += len(z.compress(view[at:at + chunk])) + len(z.flush())
    return round(size * out / (samples * chunk)) + 18  # + gzip header and trailer


# above this, `inspect` estimates the gzip -9 size unless asked for the exact figure
EXACT_GZIP_LIMIT = 4 * 1024 * 1024


class GzipJob:
    """gzip -9 size (exact or estimated) on a worker thread; zlib releases the GIL."""

    def __init__(self, data: bytes | memoryview, exact: bool):
        self.exact = exact
        self._out: list[int] = []
        measure = gzip_size if exact else gzip_estimate
        self._thread = threading.Thread(target=lambda: self._out.append(measure(data)),
                                        daemon=True)
        self._thread.start()

    def result(self) -> int:
        self._thread.join()
        return self._out[0]


def start(path: str, exact_gzip: bool | None = None) -> tuple[bytes, GzipJob] | None:
    """Read `path` and start its gzip job; None when it cannot be read (the caller's
    normal path then reports the error)."""
    from workbench.core.files import FileRefused, read_wasm

    try:
        data = read_wasm(path)  # a FIFO or /dev/zero is refused, not read for ever
    except FileRefused:
        return None
    exact = len(data) <= EXACT_GZIP_LIMIT if exact_gzip is None else exact_gzip
    return data, GzipJob(data, exact)
