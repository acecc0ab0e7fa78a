"""Rust (cargo) and custom-command toolchains (AssemblyScript: `assemblyscript.py`).

These use tools the user installs themselves, so each checks first and raises
`ToolchainMissing` naming the exact install command rather than failing inside the tool.
"""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.build.diagnostics import parse_any, parse_rustc
from workbench.core.build.toolchains import Plan
from workbench.core.errors import ConfigError, ToolchainMissing

if TYPE_CHECKING:
    from workbench.core.build.spec import BuildSpec


@lru_cache(maxsize=1)
def rust_targets() -> frozenset[str]:
    """Installed rustup targets (empty when rustup is absent). Cached: rustup is slow."""
    if shutil.which("rustup") is None:
        return frozenset()
    try:
        out = subprocess.run(["rustup", "target", "list", "--installed"], capture_output=True,
                             text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in out.splitlines() if line.strip())


def rust_triple(cfg: BuildSpec) -> str:
    return "wasm32-wasip1" if cfg.target == "wasm32-wasi" else "wasm32-unknown-unknown"


def plan_rust(cfg: BuildSpec, partial: Path) -> Plan:
    cargo = shutil.which("cargo")
    triple = rust_triple(cfg)
    if cargo is None:
        raise ToolchainMissing("cargo is not installed", where=str(cfg.root),
                               hint=f"install Rust from https://rustup.rs, then "
                                    f"`rustup target add {triple}`")
    if triple not in rust_targets():
        hint = f"rustup target add {triple}" if shutil.which("rustup") else (
            f"install the {triple} standard library for your Rust (with rustup: "
            f"`rustup target add {triple}`)")
        raise ToolchainMissing(f"the Rust target {triple} is not installed",
                               where=str(cfg.root), hint=hint)
    package = _package_name(cfg.root / "Cargo.toml")
    target_dir = cfg.build_dir / "cargo"
    argv = [cargo, "build", "--target", triple, "--target-dir", str(target_dir),
            "--color", "never"]
    if cfg.profile == "release":
        argv.append("--release")
    argv += list(cfg.flags)
    produced = target_dir / triple / ("release" if cfg.profile == "release" else "debug") \
        / f"{package.replace('-', '_')}.wasm"
    return Plan("rust", cfg.root, produced, parse_rustc, argv=tuple(argv))


def _package_name(path: Path) -> str:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read Cargo.toml: {exc}", file=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", file=str(path)) from None
    name = doc.get("package", {}).get("name") if isinstance(doc.get("package"), dict) else None
    if not isinstance(name, str):
        raise ConfigError("Cargo.toml has no [package] name", file=str(path), key="package.name",
                          hint="point workbench at the crate that builds the handler (a "
                               "workspace root has no package)")
    return name


def plan_command(cfg: BuildSpec, partial: Path) -> Plan:
    assert cfg.command is not None  # config validation guarantees it
    shell = shutil.which("sh") or "/bin/sh"
    # The command writes a private file that replaces `output` only when it is a valid
    # module; a command that writes `output` itself is backed up and rolled back on failure.
    env = {"WORKBENCH_OUTPUT": str(partial), "WORKBENCH_PROFILE": cfg.profile,
           "WORKBENCH_TARGET": cfg.target, "WORKBENCH_MODULE": cfg.name,
           "WORKBENCH_MODULE_DIR": str(cfg.root)}
    return Plan("command", cfg.root, partial, parse_any, argv=(shell, "-c", cfg.command),
                env=env)
