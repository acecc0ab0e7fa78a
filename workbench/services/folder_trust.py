"""The trust gate every build entry point goes through (CLI build/check/watch/replay/run/
bench, the app's build worker).

`gated_build(cfg, trust=...)` builds when the module's build runs nothing of the folder's
(WAT; C/Zig whose includes stay in the folder) or the folder is trusted; otherwise it
builds nothing and returns a `BuildResult` with `untrusted=True` whose output says what
was not run, why, and how to allow it. The module built earlier (if any) keeps serving,
so restricted mode still inspects and runs what is already built.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from workbench.config.folder_trust import TrustStatus, trust_status
from workbench.config.module import ModuleConfig
from workbench.core.build.builder import BuildResult, build_module, size_of
from workbench.core.build.diagnostics import Diagnostic


def gated_build(cfg: ModuleConfig, *, trust: bool = False,
                cancel: threading.Event | None = None,
                progress: Callable[[str], None] | None = None) -> BuildResult:
    """`build_module(cfg)` when allowed, else a not-built result saying why.

    module.toml `requires` is checked first (it runs nothing): a missing tool is the
    error to fix before trusting the folder is worth asking about.
    """
    if cfg.requires:
        from workbench.core.build.toolchains import check_requires

        check_requires(cfg)
    status = trust_status(cfg, override=trust)
    if status.may_build:
        return build_module(cfg, cancel=cancel, progress=progress)
    return not_built(cfg, status)


def not_built(cfg: ModuleConfig, status: TrustStatus) -> BuildResult:
    """The result of a build the trust gate refused (nothing ran)."""
    previous = size_of(cfg.output)
    message = status.explain()
    head = message.splitlines()[0].split(": ", 1)[1]
    diags = (Diagnostic(None, None, None, "error", head),
             Diagnostic(None, None, None, "note",
                        f"to build it: workbench trust {cfg.root} (or pass --trust; "
                        "WORKBENCH_TRUST=1 in CI)"))
    return BuildResult(
        module=cfg.name, toolchain=cfg.toolchain, profile=cfg.profile, ok=False,
        wasm_path=cfg.output if previous is not None else None, size=previous,
        previous_size=previous, duration_ms=0.0, output=message + "\n", diagnostics=diags,
        stale=previous is not None, command="", untrusted=True)


def builder(trust: bool) -> Callable[..., BuildResult]:
    """A `build` collaborator for `Watcher(build=...)` with the trust gate applied."""
    def build(cfg: ModuleConfig, **kwargs: object) -> BuildResult:
        return gated_build(cfg, trust=trust, **kwargs)  # type: ignore[arg-type]

    return build


def build_for_run(cfg: ModuleConfig, *, trust: bool = False) -> tuple[BuildResult, str | None]:
    """Build (through the gate) for run/bench/replay: the module to run and a warning.

    A failed or refused build with an older module in service runs that one, with a
    warning saying so; with nothing built the error says why (untrusted: how to trust).
    """
    from workbench.core.errors import BuildFailed

    result = gated_build(cfg, trust=trust)
    if result.ok:
        return result, None
    if result.stale and result.wasm_path is not None:
        if result.untrusted:
            return result, (result.output.rstrip() + "\n  running the module built earlier "
                            f"instead: {result.wasm_path}")
        first = result.errors[0] if result.errors else "build failed"
        return result, (f"{cfg.name}: build failed: {first}\n"
                        f"  running the last good build instead (stale): {result.wasm_path}")
    if result.untrusted:
        head = result.output.splitlines()[0]
        refused = BuildFailed(head.split(": ", 1)[1], where=cfg.name, result=result,
                              hint=f"workbench trust {cfg.root}   (or pass --trust; "
                                   "WORKBENCH_TRUST=1 in CI)")
        refused.kind = "untrusted"  # nothing was built: a trust decision (exit status 2)
        raise refused
    result.raise_for_status()
    return result, None
