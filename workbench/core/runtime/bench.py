"""`Harness.bench`: many requests, per-phase percentiles, and the harness's own overhead.

Every sample also yields `around_guest`: its `total` minus the phases that are not the
harness's own work (hooks, compile / cache_load, instantiate, handler), i.e. writing the
request (with the `alloc` call), reading and parsing the response and building the result.

The overhead against wasmtime-py is measured in the same run, so machine noise affects
both sides:
- `reference_us`: p50 of wasmtime-py's plain `Func.__call__(store, ptr, len)` on `handle`
  of a separate warm instance (edge modules only): the issue's yardstick;
- `overhead_us` (warm mode only): harness `total` p50 minus `reference_us`. Negative means
  the whole harness request (request written, `handle` called through the fast path,
  response parsed) costs less than one plain public-API call. In cold and fresh modes a
  warm plain call is no yardstick for a request that instantiates, so it is None;
- `around_guest_us`: p50 of the per-sample `around_guest` values.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import wasmtime

from workbench.core.http import Request
from workbench.core.runtime.edge import EdgeInstance
from workbench.core.runtime.hostfns import HostState
from workbench.core.runtime.result import BenchResult, PhaseStats, RunError, RunResult
from workbench.core.runtime.runner import deadline_ticks
from workbench.core.runtime.stats import Histogram

if TYPE_CHECKING:
    from workbench.core.runtime.harness import Harness

REFERENCE_MAX = 2000
YIELD_S = 0.001  # the pause of `yield_every_ms`: ~10% throughput at 10 ms, keys < 100 ms


@dataclass(frozen=True)
class BenchProgress:
    """A live view of a running bench, from the same histograms its result is made of."""

    mode: str
    done: int
    total: int  # requests asked for
    phases: dict[str, PhaseStats]
    errors: dict[str, int]  # error kind -> count
    faults: dict[str, int]  # chaos fault -> times injected
    elapsed_s: float
    bins: tuple[int, ...] = ()  # `total` phase counts, equal-width bins over range_us
    range_us: tuple[float, float] = (0.0, 0.0)  # p0.1 .. p99 of `total`
    first_errors: dict[str, str] = field(default_factory=dict)  # kind -> its first message
    buckets_us: tuple[tuple[float, int], ...] = ()  # `total`: (bucket midpoint, count)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def snapshot(mode: str, done: int, n: int, hists: dict[str, Histogram], errors: Counter[str],
             faults: Counter[str], elapsed_s: float, bins: int = 32,
             first_errors: dict[str, str] | None = None) -> BenchProgress:
    total = hists.get("total")
    counts, span = total.bins(bins) if total is not None else ((), (0.0, 0.0))
    return BenchProgress(mode, done, n, {k: h.stats() for k, h in hists.items()},
                         dict(errors), dict(faults), elapsed_s, counts, span,
                         dict(first_errors or {}),
                         tuple(total.buckets()) if total is not None else ())


@dataclass(frozen=True)
class BenchOptions:
    """What a bench run does: `n` requests in `mode`, hooks first, and how it reports.

    `progress(done, n)` after each request; `live` receives a `BenchProgress` (per-phase
    stats, errors, faults, a histogram of `total`) every `live_every_s` seconds and once
    at the end of the loop; `yield_every_ms` pauses 1 ms that often so a UI thread keeps
    the GIL moving."""

    n: int
    mode: str = "warm"
    hooks: Any = None
    progress: Callable[[int, int], None] | None = None
    live: Callable[[BenchProgress], None] | None = None
    live_every_s: float = 0.1
    yield_every_ms: float | None = None


def run_bench(h: Harness, request: Request, opts: BenchOptions,
              cancel: threading.Event | None = None) -> BenchResult:
    n, mode, hooks, progress = opts.n, opts.mode, opts.hooks, opts.progress
    live, live_every_s, yield_every_ms = opts.live, opts.live_every_s, opts.yield_every_ms
    hists: dict[str, Histogram] = {}
    around_hist = Histogram()
    errors: Counter[str] = Counter()
    first_errors: dict[str, str] = {}  # kind -> the first message of that kind
    faults: Counter[str] = Counter()
    last: RunResult | None = None
    fuel = 0
    # Not a sample: compile/link once (fresh, warm), fill the compiled-module cache and
    # link (cold), create the warm instance, so every sample measures the same thing.
    h.run(request, mode, hooks)
    step = max(1, n // 100)
    done = 0
    cancelled = False
    start = last_live = last_yield = time.perf_counter()
    yield_s = yield_every_ms / 1000 if yield_every_ms is not None else None
    for i in range(n):
        if cancel is not None and cancel.is_set():
            cancelled = True
            break
        r = h.run(request, mode, hooks)
        guest = 0.0
        for k, v in r.timing.items():
            hist = hists.get(k)
            if hist is None:
                hist = hists[k] = Histogram()
            hist.record(v)
            if k not in ("total", "host"):  # `host` (components) is inside `handler`
                guest += v
        if r.abi != "hook" and "handler" in r.timing:
            around_hist.record(r.timing["total"] - guest)
        for fault in r.faults:
            faults[fault] += 1
        if r.error is not None:
            errors[r.error.kind] += 1
            first_errors.setdefault(r.error.kind, r.error.message)
        else:
            fuel = r.fuel
        last = r
        done = i + 1
        if progress is not None and (done % step == 0 or done == n):
            progress(done, n)
        if yield_s is not None or live is not None:
            now = time.perf_counter()
            if yield_s is not None and now - last_yield >= yield_s:
                time.sleep(YIELD_S)  # cooperative pause: another thread takes the GIL
                last_yield = now
            if live is not None and now - last_live >= live_every_s:
                last_live = now
                live(snapshot(mode, done, n, hists, errors, faults, now - start,
                              first_errors=first_errors))
    if live is not None:
        live(snapshot(mode, done, n, hists, errors, faults, time.perf_counter() - start,
                      first_errors=first_errors))
    phases = {k: v.stats() for k, v in hists.items()}
    reference = None
    if not cancelled and last is not None and last.abi == "edge" and h.abi.name == "edge":
        reference = plain_call_p50(h, request, min(max(done, 200), REFERENCE_MAX), cancel)
    overhead = None
    if "total" in phases and reference is not None and mode == "warm":
        overhead = phases["total"].p50 - reference
    around = around_hist.stats() if around_hist.count else None
    return BenchResult(n=done, mode=mode, phases=phases, errors=dict(errors),
                       overhead_us=overhead, reference_us=reference,
                       around_guest_us=around.p50 if around else None, fuel=fuel,
                       cancelled=cancelled, last=last, around_guest=around,
                       faults=dict(faults))


def plain_call_p50(h: Harness, request: Request, iterations: int,
                   cancel: threading.Event | None = None) -> float | None:
    """p50 of wasmtime-py's public `Func.__call__` on `handle`, request written once.

    The reference calls run under the module's own limits (fuel and deadline reset before
    every call, outside the timed interval) and against a scratch copy of the KV store
    with no fault injection (`Harness.scratch_host_state`)."""
    with h.scratch_host_state() as state:
        created = h.instantiate_edge(None, state)
        if isinstance(created, RunError):
            return None
        return _plain_loop(h, created, request, iterations, cancel, state)


def _plain_loop(h: Harness, inst: EdgeInstance, request: Request, iterations: int,
                cancel: threading.Event | None, state: HostState) -> float | None:
    store = inst.store
    handle, alloc = inst.funcs["handle"], inst.funcs["alloc"]
    data = h.request_bytes(request)
    limits = h.limits
    ticks = deadline_ticks(limits.timeout_ms)
    hist = Histogram()
    try:
        store.set_fuel(limits.fuel)
        store.set_epoch_deadline(ticks)
        state.arm(limits.timeout_ms)
        ptr = alloc(store, len(data))
        inst.mem.write(ptr, data)
        for _ in range(iterations):
            if cancel is not None and cancel.is_set():
                break
            store.set_fuel(limits.fuel)
            store.set_epoch_deadline(ticks)
            h.touch_ticker()
            state.arm(limits.timeout_ms)  # a WASI sleep ends at the deadline too
            t0 = time.perf_counter_ns()
            handle(store, ptr, len(data))
            hist.record((time.perf_counter_ns() - t0) / 1000)
    except (wasmtime.Trap, wasmtime.WasmtimeError):
        pass  # a trap, fuel or deadline ends the reference loop; the samples say why
    return hist.percentile(50) if hist.count else None
