"""Replay work for the app's workers: the module's saved requests through `core.replay`.

Wiring only, as `services.loop.make_replay_hook` does for `workbench watch`: load
the entries and hooks, make a Harness for the module in service with its configured
limits and chaos, and let `core.replay.replay` run, assert and diff against the last
responses stored in the module's `.workbench/` folder.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from workbench.services.loop import LAST_RESPONSES
from workbench.tui.state import ModuleState

if TYPE_CHECKING:
    from workbench.core.requests.replay import ReplayReport


def replay_module(state: ModuleState, entries: list[Any] | None = None,
                  cancel: threading.Event | None = None,
                  progress: Any = None) -> ReplayReport | None:
    """Replay `entries` (default: every saved request of the module) -> ReplayReport."""
    from workbench.core.hooks.rules import load_hooks
    from workbench.core.requests.files import load_requests
    from workbench.core.requests.replay import replay
    from workbench.core.runtime.harness import Harness  # wasmtime: loaded on first use
    from workbench.core.runtime.kv import KvStore

    cfg: Any = state.config
    if entries is None:
        if cfg.requests is None or not cfg.requests.exists():
            return None
        entries = load_requests(cfg.requests, dict(state.variables))
    if not entries:
        return None
    hooks = None
    if cfg.hooks is not None and cfg.hooks.is_file():
        hooks = load_hooks(cfg.hooks)
    if state.replay_kv is None:
        state.replay_kv = KvStore(None)
    kv = state.replay_kv
    if state.wasm is None:
        return None
    if state.wasm_path is not None:  # [trust] require_signed: refuse as `workbench replay`
        from workbench.services.trust import enforce_signature

        enforce_signature(state.wasm_path, state.kv_root or state.root)
    from workbench.tui.runtime_jobs import granted_secrets

    harness = Harness(state.wasm, limits=cfg.limits, chaos=cfg.chaos, kv=kv, name=state.name,
                      secrets=granted_secrets(state), host=cfg.host)
    store = cfg.root / LAST_RESPONSES
    return replay(entries, harness, hooks=hooks, store=store, module=state.name,
                  cancel=cancel, progress=progress)


def entry_key(entry: Any) -> str:
    """Identity of a saved request in the app (file:line is unique)."""
    return f"{entry.file}:{entry.line}"
