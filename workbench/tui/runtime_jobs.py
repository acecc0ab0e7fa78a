"""Runtime work for the app's workers: one harness per module build, run and bench.

The harness (`core.runtime.harness.Harness`) is created lazily per (build, limits,
chaos) and reused, so the compiled module stays hot between sends. Bench uses the
harness's own `run` and the core `Histogram`; see `bench_live` for why it loops here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.tui.bridge import core
from workbench.tui.state import ModuleState

MODES = ("cold", "fresh", "warm")
# A bench thread in a tight loop holds the GIL for most of every switch interval; sleeping
# 1 ms every 10 ms costs ~10% throughput and keeps key handling well under 100 ms.
YIELD_EVERY_S = 0.010
YIELD_S = 0.001
# Used by the chaos switch when neither module.toml nor workbench.toml configures chaos.
CHAOS_PRESET: dict[str, Any] = {"kv_failure_rate": 0.25, "secret_failure_rate": 0.25,
                                "latency_ms": {"kv_get": 2.0, "kv_put": 2.0}}


@dataclass(frozen=True)
class RunOptions:
    """The Runtime view's switches, as the worker needs them."""

    mode: str = "fresh"
    hooks: bool = True
    chaos: bool = False
    timeout_ms: int | None = None
    fuel: int | None = None


@dataclass
class BenchSnapshot:
    """Live figures while a bench runs: per-phase stats (core PhaseStats) and a histogram."""

    mode: str
    done: int
    total: int
    phases: dict[str, Any] = field(default_factory=dict)
    buckets: list[int] = field(default_factory=list)  # `total` phase, for the sparkline
    range_us: tuple[float, float] = (0.0, 0.0)  # what the buckets span (p0.1 .. p99)
    errors: int = 0
    elapsed_s: float = 0.0
    cancelled: bool = False
    final: bool = False
    reference_us: float | None = None  # plain wasmtime Func.__call__ p50 (edge, finished)


def harness_for(state: ModuleState, opts: RunOptions) -> Any:
    """The module's harness for these options, created on first use (in a worker)."""
    limits_cls = core("core.runtime.limits", "Limits")
    chaos_cls = core("core.runtime.limits", "Chaos")
    base = getattr(state.config, "limits", None) or limits_cls()
    changes = {}
    if opts.timeout_ms:
        changes["timeout_ms"] = opts.timeout_ms
    if opts.fuel:
        changes["fuel"] = opts.fuel
    limits = type(base)(**{**base.to_json(), **changes})
    configured = getattr(state.config, "chaos", None)
    if not opts.chaos:
        chaos = chaos_cls()
    elif configured is not None and configured.active:
        chaos = configured
    else:  # nothing configured: a preset so the switch always shows something
        chaos = chaos_cls(**CHAOS_PRESET)
    key = (id(state.wasm), limits, repr(chaos))
    cached = state.harness
    if cached is not None and cached[0] == key:
        return cached[1]
    harness_cls = core("core.runtime.harness", "Harness")
    harness = harness_cls(state.wasm, limits=limits, chaos=chaos, name=state.name)
    state.harness = (key, harness)
    return harness


def hooks_for(state: ModuleState, enabled: bool) -> Any:
    """The module's hooks (reloaded from disk each time: a hooks file reloads on save)."""
    path = getattr(state.config, "hooks", None)
    if not enabled or path is None or not path.is_file():
        return None
    return core("core.hooks", "load_hooks")(path)


def run_request(state: ModuleState, request: Any, opts: RunOptions) -> Any:
    """One request through the harness; handler failures come back in RunResult.error."""
    return harness_for(state, opts).run(request, opts.mode, hooks_for(state, opts.hooks))


def bench_live(state: ModuleState, request: Any, n: int, opts: RunOptions,
               cancel: threading.Event, emit: Callable[[BenchSnapshot], None],
               every_s: float = 0.1) -> BenchSnapshot:
    """`n` requests with a live snapshot every `every_s` seconds; stops on `cancel`.

    Why not `Harness.bench`: its progress callback reports only (done, total), and live
    percentiles need the histograms while they fill. This loop uses the same pieces
    (`Harness.run`, core `Histogram.stats`), including the warm-up call in warm mode.
    """
    histogram_cls = core("core.runtime.stats", "Histogram")
    harness = harness_for(state, opts)
    hooks = hooks_for(state, opts.hooks)
    hists: dict[str, Any] = {}
    errors = 0
    if opts.mode == "warm":
        harness.run(request, "warm", hooks)
    start = last_emit = last_yield = time.perf_counter()
    done = 0
    for done in range(1, n + 1):
        if cancel.is_set():
            done -= 1
            break
        result = harness.run(request, opts.mode, hooks)
        for phase, us in result.timing.items():
            hist = hists.get(phase)
            if hist is None:
                hist = hists[phase] = histogram_cls()
            hist.record(us)
        errors += result.error is not None
        now = time.perf_counter()
        if now - last_yield >= YIELD_EVERY_S:
            time.sleep(YIELD_S)  # let the UI thread take the GIL: keys stay responsive
            last_yield = now
        if now - last_emit >= every_s:
            last_emit = now
            emit(_snapshot(opts.mode, done, n, hists, errors, now - start))
    snap = _snapshot(opts.mode, done, n, hists, errors, time.perf_counter() - start)
    snap.cancelled = cancel.is_set()
    if not snap.cancelled and done and harness.abi.name == "edge":
        # the same reference `Harness.bench` measures, so overhead reads alike in CLI and app
        plain_call_p50 = core("core.runtime.bench", "plain_call_p50")
        snap.reference_us = plain_call_p50(harness, request, min(max(done, 200), 2000), cancel)
    snap.final = True
    emit(snap)
    return snap


def _snapshot(mode: str, done: int, n: int, hists: dict[str, Any], errors: int,
              elapsed: float) -> BenchSnapshot:
    phases = {k: h.stats() for k, h in hists.items()}
    total = hists.get("total")
    lo_hi = (total.percentile(0.1), total.percentile(99)) if total is not None and \
        total.count else (0.0, 0.0)
    return BenchSnapshot(mode, done, n, phases, _buckets(total), lo_hi, errors, elapsed)


def _buckets(hist: Any, bins: int = 32) -> list[int]:
    """Counts in `bins` equal-width bins from p0 to p99 (the tail would flatten the plot)."""
    if hist is None or not hist.count:
        return []
    lo, hi = hist.percentile(0.1), hist.percentile(99)
    if hi <= lo:
        return [hist.count]
    width = (hi - lo) / bins
    out = [0] * bins
    for key, count in hist._counts.items():
        value = hist._value_us(key)
        idx = min(bins - 1, max(0, int((value - lo) / width)))
        out[idx] += count
    return out
