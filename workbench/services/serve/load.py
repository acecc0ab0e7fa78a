"""PATH... -> the route table: what `workbench serve` and the app's server serve.

A .wasm file is served alone at `/`. Folders go through the config layer
(`load_workspace`) and the build layer (through the trust gate), as `workbench run` does: each
module is built once here (a failed build with an older output serves that, stale), and
its limits, chaos and hooks file come from module.toml. The KV store and secrets are the
workspace's (`KvStore.for_workspace`, `Secrets.for_workspace`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from workbench.config.module import ModuleConfig
from workbench.config.workspace import load_workspace, workspace_root
from workbench.core.build.builder import BuildResult
from workbench.core.errors import UsageError, WorkbenchError
from workbench.core.runtime.kv import KvStore
from workbench.core.runtime.secrets import Secrets
from workbench.services.folder_trust import gated_build
from workbench.services.serve.module import ModuleSource, ServedModule
from workbench.services.serve.routes import Route, RouteTable, mount_for, normalize_prefix


@dataclass(frozen=True)
class ServeOptions:
    mode: str = "warm"
    cache_dir: Path | None = None
    hooks: Path | None = None  # one hooks file for every route (instead of the configured)
    no_hooks: bool = False
    inline: bool = True  # warm edge requests may run on the event loop (inline.py)
    trust: bool = False  # build untrusted folders' own build code (--trust; folder_trust.py)


@dataclass
class Loaded:
    """The table, plus what live reload needs (module configs) and what to tell the user."""

    table: RouteTable
    modules: tuple[ModuleConfig, ...]
    kv: KvStore
    secrets: Secrets
    warnings: list[str]
    debounce_ms: int | None = None


def load_routes(paths: list[Path], opts: ServeOptions,
                built: Mapping[str, BuildResult | None] | None = None) -> Loaded:
    """Build what needs building and make one route per module. Raises UsageError /
    ConfigError for what cannot be served at all (no module, clashing routes).

    Builds go through the trust gate (services/folder_trust.py): a folder whose build runs
    its own code is not built unless trusted (`opts.trust`: --trust); an output built
    earlier is served then, with a warning. `built`: the builds a caller already has (the
    app), by module name; those modules are not built again, and a module missing from it
    (or None) is not built here either: it waits for the caller's build (`serve_adopt`)."""
    if len(paths) == 1 and paths[0].is_file() and paths[0].suffix in (".wasm", ".wat"):
        wasm = paths[0]
        root = workspace_root(wasm)
        kv, secrets = KvStore.for_workspace(root), Secrets.for_workspace(root)
        source = ModuleSource(wasm.stem, wasm, hooks=opts.hooks)
        route = Route("/", wasm.stem, source)
        _attach_hooks(route, opts.hooks, opts)
        # a lone file is never rebuilt here: one that cannot be served (malformed, not a
        # handler, a platform the workbench does not run) is an error now, not a server
        # answering 503 forever
        route.current = ServedModule(source, build=1, mode=opts.mode, kv=kv,
                                     secrets=secrets, cache_dir=opts.cache_dir,
                                     inline=opts.inline)
        route.builds = 1
        return Loaded(RouteTable([route]), (), kv, secrets, [])
    for p in paths:  # .wasm files beside others are prebuilt modules, routed by name
        if p.is_file() and p.suffix == ".wat":
            raise UsageError(f"{p}: a .wat file is served alone",
                             hint="serve one .wat, or module folders / .wasm files / a "
                                  "workspace")
    ws = load_workspace(paths or None)
    if not ws.modules:
        raise UsageError(f"{ws.config_file or ws.root}: no modules to serve",
                         hint="pass a module folder, a .wasm file or a workspace")
    kv, secrets = KvStore.for_workspace(ws.root), Secrets.for_workspace(ws.root)
    routes, warnings = [], []
    for gone in ws.left_out:  # optional modules without their toolchain, Spin components
        warnings.append(f"{gone.name}: not served: {gone.reason}"  # with a remote source
                        + (f" ({gone.hint})" if gone.hint else ""))
    lone = len(ws.modules) == 1
    for cfg in ws.modules:
        where = str(cfg.config_file or cfg.root)
        mount, strip = mount_for(cfg.route, cfg.name, lone)
        route = Route(normalize_prefix(mount, where), cfg.name, root=cfg.root, strip=strip,
                      spin=cfg.spin_route)
        _attach_hooks(route, cfg.hooks, opts)
        if built is not None:  # the caller's builds (the app says what failed)
            result = built.get(cfg.name)
            if result is None:
                route.problem = "not built yet"
            else:
                adopt_build(route, cfg, result, kv, secrets, opts)
            routes.append(route)
            continue
        try:
            result = gated_build(cfg, trust=opts.trust)
        except WorkbenchError as e:  # toolchain missing, sources match nothing...
            route.problem = f"cannot build: {e}"
            warnings.append(f"{cfg.name}: {route.problem}")
            routes.append(route)
            continue
        warning = adopt_build(route, cfg, result, kv, secrets, opts)
        if warning:
            warnings.append(warning)
        routes.append(route)
    return Loaded(RouteTable(routes), ws.modules, kv, secrets, warnings, ws.debounce_ms)


def source_of(cfg: ModuleConfig, wasm: Path, opts: ServeOptions) -> ModuleSource:
    return ModuleSource(cfg.name, wasm, cfg.limits, cfg.chaos,
                        None if opts.no_hooks else (opts.hooks or cfg.hooks), cfg.host)


def adopt_build(route: Route, cfg: ModuleConfig, result: BuildResult, kv: KvStore,
                secrets: Secrets, opts: ServeOptions) -> str | None:
    """Make the route serve `result` (or keep it without a build); returns a warning."""
    warning = None
    if not result.ok:
        if result.untrusted:  # the trust gate ran nothing: say how to allow it
            head = result.errors[0].message if result.errors else "not built: not trusted"
            problem = f"{head}; to build it: workbench trust {cfg.root} (or --trust)"
            served_earlier = "serving the module built earlier"
        else:
            problem = f"build failed: {result.errors[0] if result.errors else 'build failed'}"
            served_earlier = "serving the last good build (stale)"
        if not (result.stale and result.wasm_path is not None):
            route.problem = problem
            return f"{cfg.name}: {problem}"
        warning = f"{cfg.name}: {problem}; {served_earlier}"
    if result.wasm_path is None:
        route.problem = "the build produced no module"
        return f"{cfg.name}: {route.problem}"
    route.source = source_of(cfg, result.wasm_path, opts)
    err = _load_build(route, kv, secrets, opts)
    return err or warning


def _load_build(route: Route, kv: KvStore, secrets: Secrets, opts: ServeOptions) -> str | None:
    assert route.source is not None
    try:
        route.current = ServedModule(route.source, build=route.builds + 1, mode=opts.mode,
                                     kv=kv, secrets=secrets, cache_dir=opts.cache_dir,
                                     inline=opts.inline)
    except WorkbenchError as e:  # malformed module, ABI mismatch
        route.problem = f"cannot serve: {e}"
        return f"{route.name}: {route.problem}"
    route.builds += 1
    return None


def _attach_hooks(route: Route, configured: Path | None, opts: ServeOptions) -> None:
    if opts.no_hooks:
        return
    path = opts.hooks or configured
    if path is not None:
        from workbench.core.hooks.rules import HooksFile

        # raises HooksError for a bad file: fix it first; a save shows within 50 ms
        route.hooks = HooksFile(path, recheck_s=0.05)
