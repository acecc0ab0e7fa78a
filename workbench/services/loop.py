"""The watcher's `after_build` hook that replays a module's saved requests.

Save -> rebuild -> replay is the workbench's loop. This wires the replay layer
(`workbench.core.requests.replay`) into `Watcher(after_build=...)`: after each successful build,
the module's `requests` are replayed through a fresh Harness with its hooks and limits,
and the report comes back as an `AfterBuild(module, "replay", report)` event. Request
files and hooks are read again on every build, so editing them takes effect at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.build.builder import BuildResult
from workbench.core.build.events import AfterBuild

if TYPE_CHECKING:
    from workbench.config.module import ModuleConfig
    from workbench.core.build.watch import AfterBuildHook

LAST_RESPONSES = Path(".workbench") / "last_responses.json"


def make_replay_hook(variables: Mapping[str, str] | None = None, *, kv: Any = None,
                     use_hooks: bool = True, keep_last: bool = True) -> AfterBuildHook:
    """An after_build hook replaying `cfg.requests`. `kv`: a shared KvStore (None: memory)."""
    from workbench.config.workspace import workspace_root
    from workbench.core.hooks.rules import load_hooks
    from workbench.core.requests.files import load_requests
    from workbench.core.requests.replay import replay
    from workbench.core.runtime.harness import Harness
    from workbench.core.runtime.kv import KvStore
    from workbench.core.runtime.secrets import Secrets

    store_kv = kv if kv is not None else KvStore(None)

    def after_build(cfg: ModuleConfig, result: BuildResult) -> AfterBuild | None:
        from workbench.services.trust import enforce_signature, sign_build_output

        if result.ok:
            sign_build_output(cfg.root, result.wasm_path)  # module.toml sign = "..."
        if cfg.requests is None or result.wasm_path is None:
            return None
        enforce_signature(result.wasm_path, cfg.root)  # raises SignatureRejected
        entries = load_requests(cfg.requests, dict(variables or {}))
        if not entries:
            return None
        hooks = load_hooks(cfg.hooks) if (use_hooks and cfg.hooks is not None) else None
        root = workspace_root(cfg.root)
        secrets = Secrets.for_workspace(root).granted(getattr(cfg, "secrets", ()))
        harness = Harness(result.wasm_path, limits=cfg.limits, chaos=cfg.chaos, kv=store_kv,
                          name=cfg.name, secrets=secrets, host=cfg.host)
        store = cfg.root / LAST_RESPONSES if keep_last else None
        report = replay(entries, harness, hooks=hooks, store=store, module=cfg.name,
                        save=keep_last)
        return AfterBuild(cfg.name, "replay", report)

    return after_build


def reload_module(cfg: Any) -> Any:
    """Re-read a module's config after its module.toml (or spin.toml) changed (the
    Watcher's `reload`)."""
    from workbench.config.folders import reload_module as reload

    return reload(cfg, base_chaos=cfg.chaos)
