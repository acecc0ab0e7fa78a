"""A bounded pool of worker threads for handler calls, fed from an asyncio event loop.

wasmtime calls go through ctypes, which releases the GIL, so N workers run N handlers at
once (a CPU-heavy handler scales with cores) and a handler looping until its timeout
holds one worker, never the event loop. The queue is bounded: `submit` raises
`PoolFull` at `workers + queue` requests in flight, and the server answers 503.

Cheaper than `loop.run_in_executor` (measured in docs/serve.md):
- in: a `queue.SimpleQueue` (a put only wakes a worker that is waiting);
- out: finished calls go on a deque, and a worker wakes the loop (one
  `call_soon_threadsafe`, a write to the loop's self-pipe) only when no wake-up is pending
  already, so under load one wake-up settles a batch of requests; no result ever waits
  for a later call to finish.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class PoolFull(Exception):
    """Every worker is busy and the queue is full."""


class WorkerPool(Generic[T]):
    def __init__(self, workers: int, queue_size: int, *, name: str = "serve"):
        if workers < 1 or queue_size < 0:
            raise ValueError("workers must be >= 1 and queue_size >= 0")
        self.workers = workers
        self.queue_size = queue_size
        self._q: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._pending = 0  # submitted and not yet finished; touched on the loop thread only
        self._done: deque[tuple[asyncio.Future[Any], Any, BaseException | None]] = deque()
        self._wake_posted = False  # a _drain is scheduled on the loop and has not run yet
        self._loop: asyncio.AbstractEventLoop | None = None
        self._threads = [threading.Thread(target=self._work, name=f"{name}-{i}", daemon=True)
                         for i in range(workers)]
        self._started = False
        self._closed = False

    @property
    def capacity(self) -> int:
        return self.workers + self.queue_size

    @property
    def pending(self) -> int:
        return self._pending

    def start(self) -> None:
        if not self._started:
            self._started = True
            for t in self._threads:
                t.start()

    def submit(self, fn: Callable[..., T], *args: Any) -> asyncio.Future[tuple[T, float]]:
        """Run `fn(*args)` on a worker; the future gets (result, microseconds queued).

        Call from the event loop thread. Raises PoolFull when at capacity. An exception
        from `fn` is set on the future."""
        if self._closed:
            raise PoolFull("the pool is shutting down")
        if self._pending >= self.capacity:
            raise PoolFull(f"{self.workers} workers busy and {self.queue_size} queued")
        if not self._started:
            self.start()
        loop = self._loop
        if loop is None:
            loop = self._loop = asyncio.get_running_loop()
        fut: asyncio.Future[tuple[T, float]] = loop.create_future()
        self._pending += 1
        self._q.put((fut, fn, args, time.perf_counter_ns()))
        return fut

    def _drain(self) -> None:
        """On the loop: settle every finished call (the flag is cleared first, so a call
        finishing meanwhile either lands in this drain or posts a new wake-up)."""
        self._wake_posted = False
        done = self._done
        while done:
            fut, result, error = done.popleft()
            # Counted free when the worker is, not when the request gave up waiting.
            self._pending -= 1
            if fut.done():  # the request was cancelled (client gone, shutdown)
                continue
            if error is not None:
                fut.set_exception(error)
            else:
                fut.set_result(result)

    def _work(self) -> None:
        done = self._done
        while True:
            item = self._q.get()
            if item is None:
                return
            fut, fn, args, t_in = item
            waited = (time.perf_counter_ns() - t_in) / 1000
            try:
                done.append((fut, (fn(*args), waited), None))
            except BaseException as e:  # noqa: BLE001 - handed to the awaiting request
                done.append((fut, None, e))
            if not self._wake_posted:
                self._wake_posted = True
                loop = self._loop
                try:
                    if loop is not None:
                        loop.call_soon_threadsafe(self._drain)
                except RuntimeError:  # the loop is closed: nobody is waiting any more
                    pass

    def close(self, timeout: float = 1.0) -> bool:
        """Stop the workers after the queued work; True when all ended within `timeout`."""
        self._closed = True
        if not self._started:
            return True
        for _ in self._threads:
            self._q.put(None)
        deadline = time.monotonic() + timeout
        for t in self._threads:
            t.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._threads)
