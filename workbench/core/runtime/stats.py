"""An HDR-style log-linear histogram of durations, in microseconds.

Values are recorded as integer nanoseconds. Below 256 ns every value has its own bucket;
above, each power-of-two range is split into 128 linear buckets, so a bucket is at most
1/128 (0.78%) of its value wide and the reported midpoint is within 0.4% of any value in
it: better than the 1% the stats promise, in a dict of a few hundred entries at most.
"""

from __future__ import annotations

from workbench.core.runtime.result import PhaseStats

_SUB_BITS = 8  # 2**8 = 256 top values; 128..255 after normalisation -> 128 buckets per octave


class Histogram:
    __slots__ = ("_counts", "count", "total", "max", "min")

    def __init__(self) -> None:
        self._counts: dict[int, int] = {}
        self.count = 0
        self.total = 0.0
        self.max = 0.0
        self.min = float("inf")

    def record(self, us: float) -> None:
        ns = int(us * 1000.0)
        if ns < 0:
            ns = 0
        shift = ns.bit_length() - _SUB_BITS
        key = ns if shift <= 0 else (shift << _SUB_BITS) | (ns >> shift)
        self._counts[key] = self._counts.get(key, 0) + 1
        self.count += 1
        self.total += us
        if us > self.max:
            self.max = us
        if us < self.min:
            self.min = us

    @staticmethod
    def _value_us(key: int) -> float:
        shift = key >> _SUB_BITS
        if shift == 0:
            return key / 1000.0
        top = key & ((1 << _SUB_BITS) - 1)
        low = top << shift
        return (low + (1 << shift) / 2.0) / 1000.0  # bucket midpoint

    def percentile(self, p: float) -> float:
        """Value at percentile `p` (0..100): the smallest bucket covering p% of samples."""
        if not self.count:
            return 0.0
        target = max(1, int(p / 100.0 * self.count + 0.9999999))
        seen = 0
        for key in sorted(self._counts):
            seen += self._counts[key]
            if seen >= target:
                return min(self._value_us(key), self.max)
        return self.max

    def buckets(self) -> list[tuple[float, int]]:
        """(bucket midpoint in us, count) for every non-empty bucket, in value order."""
        return [(self._value_us(k), self._counts[k]) for k in sorted(self._counts)]

    def bins(self, n: int = 32, lo_p: float = 0.1, hi_p: float = 99.0
             ) -> tuple[tuple[int, ...], tuple[float, float]]:
        """Counts in `n` equal-width bins from percentile `lo_p` to `hi_p` (values outside
        go to the end bins; the far tail would flatten a plot), and the (lo, hi) range."""
        if not self.count:
            return (), (0.0, 0.0)
        lo, hi = self.percentile(lo_p), self.percentile(hi_p)
        if hi <= lo:
            return (self.count,), (lo, hi)
        width = (hi - lo) / n
        out = [0] * n
        for value, count in self.buckets():
            out[min(n - 1, max(0, int((value - lo) / width)))] += count
        return tuple(out), (lo, hi)

    def merge(self, other: Histogram) -> None:
        for k, c in other._counts.items():
            self._counts[k] = self._counts.get(k, 0) + c
        self.count += other.count
        self.total += other.total
        self.max = max(self.max, other.max)
        self.min = min(self.min, other.min)

    def stats(self) -> PhaseStats:
        return PhaseStats(
            count=self.count, p50=self.percentile(50), p90=self.percentile(90),
            p99=self.percentile(99), p999=self.percentile(99.9), max=self.max,
            mean=self.total / self.count if self.count else 0.0)
