"""Runtime work for the app's workers: one harness per module build, run and bench.

The harness (`core.runtime.harness.Harness`) is created lazily per (build, limits,
chaos) and reused, so the compiled module stays hot between sends. Bench is
`Harness.bench`, the same loop and figures as `workbench bench`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.services.kvstore import open_workspace_kv
from workbench.tui.state import ModuleState
from workbench.tui.unavailable import Unavailable

if TYPE_CHECKING:
    pass

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
    around_us: float | None = None  # p50 of the harness's own work per request (finished)

    mode = property(lambda self: self.progress.mode)
    done = property(lambda self: self.progress.done)
    total = property(lambda self: self.progress.total)
    phases = property(lambda self: self.progress.phases)
    errors = property(lambda self: self.progress.error_count)
    buckets = property(lambda self: list(self.progress.bins))
    range_us = property(lambda self: self.progress.range_us)


def harness_for(state: ModuleState, opts: RunOptions) -> Any:
    """The module's harness for these options, created on first use (in a worker)."""
    from workbench.core.runtime.harness import Harness  # wasmtime: loaded on first use
    from workbench.core.runtime.limits import Chaos, Limits

    base = getattr(state.config, "limits", None) or Limits()
    changes = {}
    if opts.timeout_ms:
        changes["timeout_ms"] = opts.timeout_ms
    if opts.fuel:
        changes["fuel"] = opts.fuel
    limits = type(base)(**{**base.to_json(), **changes})
    configured = getattr(state.config, "chaos", None)
    if not opts.chaos:
        chaos = Chaos()
    elif configured is not None and configured.active:
        chaos = configured
    else:  # nothing configured: a preset so the switch always shows something
        chaos = Chaos(**CHAOS_PRESET)
    host = getattr(state.config, "host", None)
    # a module.toml edit of [[outbound]] / [extism] needs a new harness, even with no rebuild
    key = (id(state.wasm), limits, repr(chaos), host)  # HostConfig: frozen, compared by value
    cached = state.harness
    if cached is not None and cached[0] == key:
        return cached[1]
    # the workspace KV store, as `workbench run` uses (and the app's KV panel shows)
    if state.wasm is None:
        raise Unavailable("a built module", "build it first (b)")
    if state.wasm_path is not None:  # [trust] require_signed: refuse as `workbench run` does
        from workbench.services.trust import enforce_signature

        enforce_signature(state.wasm_path, state.kv_root or state.root)
    kv = open_workspace_kv(state.kv_root or state.root, limits)
    harness = Harness(state.wasm, limits=limits, chaos=chaos, kv=kv, name=state.name,
                      secrets=granted_secrets(state), host=host)
    state.harness = (key, harness)
    return harness


def granted_secrets(state: ModuleState) -> Any:
    """The workspace's secrets, of which the handler reads those module.toml grants
    (as `workbench run` does); every one of them is redacted from what the app shows."""
    from workbench.core.runtime.secrets import Secrets

    secrets = Secrets.for_workspace(state.kv_root or state.root)
    return secrets.granted(getattr(state.config, "secrets", ()))


def hooks_for(state: ModuleState, enabled: bool) -> Any:
    """The module's hooks: re-parsed only when the file changed (core.hooks.reload)."""
    path = getattr(state.config, "hooks", None)
    if not enabled or path is None or not path.is_file():
        return None
    from workbench.core.hooks.reload import cached_hooks

    return cached_hooks(path)


def run_request(state: ModuleState, request: Any, opts: RunOptions) -> Any:
    """One request through the harness; handler failures come back in RunResult.error."""
    return harness_for(state, opts).run(request, opts.mode, hooks_for(state, opts.hooks))


HOOK_SAMPLES = 200
HOOK_BUDGET_S = 0.02


def hooks_p50(state: ModuleState, request: Any, opts: RunOptions) -> tuple[float, int] | None:
    """(p50 µs, samples) of the module's hooks on `request`, evaluated up to HOOK_SAMPLES
    times (at most HOOK_BUDGET_S) right after a send, in the same worker thread.

    One request's hook time is a single sample: the first evaluation after an edit, a GIL
    hand-over to the UI thread or a cache miss make it 10-100x the steady figure. The p50
    of repeated evaluations is what `workbench bench` reports for the same rules
    (benchmarks/bench_tui_hooks.py compares the two). Hook rules are stateless, so
    evaluating them again changes nothing."""
    import statistics
    import time

    hooks = hooks_for(state, opts.hooks)
    if hooks is None:
        return None
    samples: list[float] = []
    end = time.perf_counter() + HOOK_BUDGET_S
    for _ in range(HOOK_SAMPLES):
        samples.append(float(hooks.evaluate(request).elapsed_us))
        if time.perf_counter() > end:
            break
    return statistics.median(samples), len(samples)


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

    from workbench.core.runtime.bench import BenchOptions

    options = BenchOptions(n, opts.mode, hooks=hooks_for(state, opts.hooks), live=on_live,
                           live_every_s=every_s, yield_every_ms=YIELD_EVERY_MS)
    result = harness.bench(request, options, cancel=cancel)
    snap = BenchSnapshot(live[-1], final=True, cancelled=result.cancelled,
                         reference_us=result.reference_us, around_us=result.around_guest_us)
    emit(snap)
    return snap
