"""Warm edge requests answered on the event loop, when that is safe; the worker pool else.

Handing a request to a worker thread and back costs two thread wake-ups and two GIL
hand-offs: more than a small handler's whole run (docs/serve.md, "Inline runs"). So a
warm edge module first tries the request on the loop itself (`Harness.run_inline`):

- bounded by `INLINE_FUEL` (a millisecond or two of guest code), and by CPU time:
  host calls cost no fuel, so the inline watchdog (core/runtime/watchdog.py) stops a run
  that uses the loop's CPU for two of its 20 ms periods, without the epoch ticker
  having to run;
- a host function that writes (KV put/delete) or waits (a WASI sleep) stops the run
  before it acts, as do the budget and the watchdog: nothing visible happened, the
  instance is dropped and the request goes to the route's workers as before.

`InlinePolicy` backs off after such a miss: the next 1, 2, 4, ... up to `MAX_SKIP`
requests of that build go straight to the workers, and one answered inline resets it.
A handler that always loops, writes or sleeps therefore costs one abandoned try per
`MAX_SKIP` requests. Cold and fresh modes, WAGI, components, Extism plugins and modules
with configured host-call latency (chaos) always use the workers.
"""

from __future__ import annotations

from dataclasses import dataclass

INLINE_FUEL = 1_000_000  # fuel (~ wasm instructions) an inline run may use: ~1 ms of a tight loop
MAX_SKIP = 1024  # requests sent to the workers after repeated misses, at most


@dataclass
class InlineStats:
    """What the inline path did for one build (the app's and the docs' figures)."""

    answered: int = 0  # requests answered on the loop
    misses: int = 0  # tries given up (budget, a write or a sleep) and redone on a worker
    last_miss: str = ""  # why the latest try was given up


class InlinePolicy:
    """Whether the next request of a build should try the loop (loop thread only)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.stats = InlineStats()
        self._skip = 0
        self._next_skip = 1

    def should_try(self) -> bool:
        if not self.enabled:
            return False
        if self._skip:
            self._skip -= 1
            return False
        return True

    def answered(self) -> None:
        self.stats.answered += 1
        self._next_skip = 1

    def missed(self, why: str) -> None:
        self.stats.misses += 1
        self.stats.last_miss = why
        self._skip = self._next_skip
        self._next_skip = min(self._next_skip * 2, MAX_SKIP)
