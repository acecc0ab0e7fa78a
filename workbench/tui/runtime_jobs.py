"""Runtime work for the app's workers: one harness per module build, run and bench.

The harness (`core.runtime.harness.Harness`) is created lazily per (build, limits,
chaos) and reused, so the compiled module stays hot between sends. Bench is
`Harness.bench`, the same loop and figures as `workbench bench`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.services.kvstore import open_workspace_kv
from workbench.tui.bridge import core
from workbench.tui.state import ModuleState

MODES = ("cold", "fresh", "warm")
# A bench thread in a tight loop holds the GIL for most of every switch interval; the
# core's cooperative pause (1 ms every 10 ms) costs ~10% throughput and keeps key handling
# well under 100 ms.
YIELD_EVERY_MS = 10.0
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


@dataclass(frozen=True)
class BenchSnapshot:
    """What the bench panel shows: the core's live `BenchProgress` (per-phase stats and a
    histogram of `total` from the bench's own histograms), then the finished result's
    reference call p50."""

    progress: Any  # core.runtime.bench.BenchProgress
    final: bool = False
    cancelled: bool = False
    reference_us: float | None = None  # plain wasmtime Func.__call__ p50 (edge, finished)

    mode = property(lambda self: self.progress.mode)
    done = property(lambda self: self.progress.done)
    total = property(lambda self: self.progress.total)
    phases = property(lambda self: self.progress.phases)
    errors = property(lambda self: self.progress.error_count)
    buckets = property(lambda self: list(self.progress.bins))
    range_us = property(lambda self: self.progress.range_us)


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
    # the workspace KV store, as `workbench run` uses (and the app's KV panel shows)
    kv = open_workspace_kv(state.kv_root or state.root, limits)
    harness = harness_cls(state.wasm, limits=limits, chaos=chaos, kv=kv, name=state.name)
    state.harness = (key, harness)
    return harness


def hooks_for(state: ModuleState, enabled: bool) -> Any:
    """The module's hooks (reloaded from disk each time: a hooks file reloads on save)."""
    path = getattr(state.config, "hooks", None)
    if not enabled or path is None or not path.is_file():
        return None
    return core("core.hooks.rules", "load_hooks")(path)


def run_request(state: ModuleState, request: Any, opts: RunOptions) -> Any:
    """One request through the harness; handler failures come back in RunResult.error."""
    return harness_for(state, opts).run(request, opts.mode, hooks_for(state, opts.hooks))


def bench_live(state: ModuleState, request: Any, n: int, opts: RunOptions,
               cancel: threading.Event, emit: Callable[[BenchSnapshot], None],
               every_s: float = 0.1) -> BenchSnapshot:
    """`Harness.bench` (the loop `workbench bench` runs) with its live snapshots passed to
    `emit` every `every_s` seconds, pausing every YIELD_EVERY_MS so keys stay responsive;
    stops on `cancel`. The last snapshot carries the result's reference call p50."""
    harness = harness_for(state, opts)
    live: list[Any] = []

    def on_live(progress: Any) -> None:
        live[:] = [progress]
        emit(BenchSnapshot(progress))

    result = harness.bench(request, n, opts.mode, cancel=cancel,
                           hooks=hooks_for(state, opts.hooks), live=on_live,
                           live_every_s=every_s, yield_every_ms=YIELD_EVERY_MS)
    snap = BenchSnapshot(live[-1], final=True, cancelled=result.cancelled,
                         reference_us=result.reference_us)
    emit(snap)
    return snap
