"""Replay work for the app's workers: the module's saved requests through `core.replay`.

Wiring only, as `core.build_replay.make_replay_hook` does for `workbench watch`: load
the entries and hooks, make a Harness for the module in service with its configured
limits and chaos, and let `core.replay.replay` run, assert and diff against the last
responses stored in the module's `.workbench/` folder.
"""

from __future__ import annotations

import threading
from typing import Any

from workbench.tui.bridge import core
from workbench.tui.state import ModuleState


def replay_module(state: ModuleState, entries: list[Any] | None = None,
                  cancel: threading.Event | None = None) -> Any:
    """Replay `entries` (default: every saved request of the module) -> ReplayReport."""
    cfg: Any = state.config
    if entries is None:
        if cfg.requests is None or not cfg.requests.exists():
            return None
        entries = core("core.requests.files", "load_requests")(cfg.requests, dict(state.variables))
    if not entries:
        return None
    hooks = None
    if cfg.hooks is not None and cfg.hooks.is_file():
        hooks = core("core.hooks.rules", "load_hooks")(cfg.hooks)
    harness_cls = core("core.runtime.harness", "Harness")
    if state.replay_kv is None:
        state.replay_kv = core("core.runtime.kv", "KvStore")(None)
    kv = state.replay_kv
    from workbench.tui.runtime_jobs import granted_secrets

    harness = harness_cls(state.wasm, limits=cfg.limits, chaos=cfg.chaos, kv=kv,
                          name=state.name, secrets=granted_secrets(state))
    store = cfg.root / core("services.loop", "LAST_RESPONSES")
    replay = core("core.requests.replay", "replay")
    return replay(entries, harness, hooks=hooks, store=store, module=state.name,
                  cancel=cancel)


def entry_key(entry: Any) -> str:
    """Identity of a saved request in the app (file:line is unique)."""
    return f"{entry.file}:{entry.line}"
