"""A log-scale latency histogram from the bench's HDR buckets (pure functions).

Latencies span decades (a warm call in µs, a cold compile in ms, a chaos delay of 2 ms),
so the bins are equal in log(µs) from the fastest to the slowest sample: the far tail
keeps its own bins instead of flattening the plot, and the axis reads in decades.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def log_bins(buckets: Sequence[tuple[float, int]], n: int = 32
             ) -> tuple[list[int], float, float]:
    """Counts in `n` bins equal in log(value) from min to max, and (min, max) in µs."""
    values = [(max(v, 0.001), c) for v, c in buckets if c]
    if not values:
        return [], 0.0, 0.0
    lo, hi = min(v for v, _ in values), max(v for v, _ in values)
    if hi <= lo * 1.0001:
        return [sum(c for _, c in values)], lo, hi
    span = math.log(hi) - math.log(lo)
    out = [0] * n
    for v, c in values:
        out[min(n - 1, int((math.log(v) - math.log(lo)) / span * n))] += c
    return out, lo, hi


def us_label(us: float) -> str:
    """1.5µs / 250µs / 2.3ms / 1.2s: short, for an axis."""
    if us >= 1_000_000:
        return f"{us / 1_000_000:.3g}s"
    if us >= 1000:
        return f"{us / 1000:.3g}ms"
    return f"{us:.3g}µs"


def log_axis(lo: float, hi: float, width: int) -> str:
    """A `width`-cell axis under a log histogram: lo at the left, hi at the right and
    every power of ten between them where it falls (labels never overlap)."""
    if width < 8 or hi <= lo:
        return us_label(lo)
    cells = [" "] * width
    right = us_label(hi)
    marks = [(0, us_label(lo)), (width - len(right), right)]
    span = math.log10(hi) - math.log10(lo)
    decade = 10 ** math.ceil(math.log10(lo))
    while decade < hi:
        pos = round((math.log10(decade) - math.log10(lo)) / span * (width - 1))
        marks.append((pos, "╵" + us_label(decade)))
        decade *= 10
    taken: list[tuple[int, int]] = []
    for pos, label in marks:  # the ends first, then each decade that fits between
        end = pos + len(label)
        if pos < 0 or end > width or any(pos <= b and end >= a - 1 for a, b in taken):
            continue
        cells[pos:end] = label
        taken.append((pos, end))
    return "".join(cells).rstrip()
