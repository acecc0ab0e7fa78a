"""Toolchains: how each `module.toml` toolchain turns sources into one .wasm file.

A toolchain produces a `Plan`: either a subprocess (argv, cwd, env) or an in-process
step (WAT), the file the tool writes, and the parser for its diagnostics. The builder
(`workbench.core.build.builder`) runs plans, so cancelling, timing and keeping the last good
module work the same for every language. Availability checks raise `ToolchainMissing`
with the command that installs what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.build.diagnostics import Diagnostic

if TYPE_CHECKING:
    from workbench.core.build.spec import BuildSpec


@dataclass(frozen=True, slots=True)
class InProcessOutcome:
    ok: bool
    output: str
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Plan:
    """One build step. Exactly one of `argv` and `in_process` is set."""

    toolchain: str
    cwd: Path
    produced: Path  # where the tool leaves the .wasm (moved into place on success)
    parse: Callable[[str], tuple[Diagnostic, ...]]
    argv: tuple[str, ...] | None = None
    env: dict[str, str] = field(default_factory=dict)
    in_process: Callable[[], InProcessOutcome] | None = None
    shown_env: tuple[str, ...] = ()  # `env` names `describe` spells out (RUSTC=...)
    notes: tuple[str, ...] = ()  # said beside every build (which compiler was chosen)

    def describe(self) -> str:
        """The command as a user could paste it (for the build log)."""
        if self.argv is None:
            return f"({self.toolchain}: in-process)"
        env = [f"{name}={_quote(self.env[name])}" for name in self.shown_env
               if name in self.env]
        return " ".join([*env, *(_quote(a) for a in self.argv)])


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def plan_for(cfg: BuildSpec, partial: Path) -> Plan:
    """The plan for a BuildSpec, writing to `partial` where the tool lets us choose."""
    from workbench.core.build.toolchains import assemblyscript, external, native, rust

    makers: dict[str, Callable[[BuildSpec, Path], Plan]] = {
        "wat": native.plan_wat, "c": native.plan_c, "zig": native.plan_zig,
        "rust": rust.plan_rust, "assemblyscript": assemblyscript.plan_asc,
        "command": external.plan_command,
    }
    plan = makers[cfg.toolchain](cfg, partial)
    check_requires(cfg)  # after the toolchain's own check, as check_available does
    return plan


def check_available(cfg: BuildSpec) -> None:
    """Raise ToolchainMissing (with the install hint) when `cfg`'s toolchain is absent.

    What a build would check first, without planning one: a workspace's
    `optional_modules` are listed only when this passes. The toolchain's own compiler
    comes first, then module.toml's `requires` (`workbench.core.build.requires`).
    """
    if cfg.toolchain == "rust":
        from workbench.core.build.toolchains import rust

        rust.find_rust(cfg.target, cfg.root)
    elif cfg.toolchain in ("c", "zig"):
        from workbench.core.build.toolchains import native  # (imports wasmtime)

        native.zig_command()
    elif cfg.toolchain == "assemblyscript":
        from workbench.core.build.toolchains import assemblyscript

        assemblyscript.check_installed(cfg.root)
    check_requires(cfg)


def check_requires(cfg: BuildSpec) -> None:
    """Raise ToolchainMissing when a tool in module.toml's `requires` is absent."""
    if cfg.requires:
        from workbench.core.build.requires import check_requirements

        where = f"{cfg.config_file}: requires" if cfg.config_file else None
        check_requirements(cfg.requires, where=where)
