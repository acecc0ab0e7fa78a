"""The Rust toolchain: a rustc that has the wasm32 standard library, and its cargo.

`cargo` on PATH is not enough: rustup's toolchain often lacks the wasm32 target while
Debian's `rustc` (with `libstd-rust-dev-wasm32`) has it, or the other way round. So every
candidate rustc is asked where its target libraries are (`rustc --print target-libdir
--target T`) and the first whose folder holds `libcore-*.rlib` wins. Candidates, in order:
`$RUSTC`, the `rustc` on PATH, `/usr/bin/rustc`, `~/.cargo/bin/rustc`. The build runs the
cargo next to that rustc (else the one on PATH) with `RUSTC=<that rustc>`, and the build
log shows both (`Plan.describe`).

WASI: rustc 1.78+ names the target `wasm32-wasip1`; older ones (Debian's 1.63)
`wasm32-wasi`. Both are tried, and the triple found decides cargo's output folder.

When no candidate has the target, `ToolchainMissing` lists what each one lacks and says
what to install (`rustup target add T`, or Debian's packages).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.build.diagnostics import parse_rustc
from workbench.core.build.toolchains import Plan
from workbench.core.errors import ConfigError, ToolchainMissing

if TYPE_CHECKING:
    from workbench.core.build.spec import BuildSpec

DEBIAN_PACKAGES = "rustc cargo libstd-rust-dev-wasm32"
PROBE_TIMEOUT_S = 30.0  # a rustup proxy may first sync a toolchain


@dataclass(frozen=True)
class RustToolchain:
    """The rustc (and cargo) a Rust build uses for one wasm32 target."""

    rustc: str
    cargo: str
    version: str  # `rustc --version`, e.g. "rustc 1.63.0"
    triple: str  # as this rustc names the target (wasm32-wasi or wasm32-wasip1)
    libdir: str
    skipped: tuple[str, ...] = ()  # earlier candidates and why they were passed over

    def describe(self) -> str:
        return f"{self.version} ({self.rustc}) with {self.cargo}, target {self.triple}"

    def to_json(self) -> dict[str, Any]:
        return {"rustc": self.rustc, "cargo": self.cargo, "version": self.version,
                "triple": self.triple, "libdir": self.libdir, "skipped": list(self.skipped)}


def triples(target: str) -> tuple[str, ...]:
    """The rustc target names for a module.toml target, newest spelling first."""
    if target == "wasm32-wasi":
        return ("wasm32-wasip1", "wasm32-wasi")
    return ("wasm32-unknown-unknown",)


def candidates(environ: dict[str, str] | None = None) -> tuple[str, ...]:
    """Existing rustc executables to try, in order, without duplicates."""
    env = os.environ if environ is None else environ
    found: list[str] = []
    listed = [env.get("RUSTC") or None, shutil.which("rustc", path=env.get("PATH")),
              "/usr/bin/rustc", str(Path(env.get("HOME") or "~").expanduser()
                                    / ".cargo" / "bin" / "rustc")]
    for path in listed:
        if path and os.access(path, os.X_OK) and not os.path.isdir(path) and path not in found:
            found.append(path)
    return tuple(found)


def _run(argv: list[str], cwd: Path) -> str | None:
    """stdout of argv, or None when it cannot run or fails."""
    try:
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                              timeout=PROBE_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def probe(rustc: str, wanted: tuple[str, ...], cwd: Path) -> tuple[str, str, str] | str:
    """(version, triple, libdir) when `rustc` has one of `wanted`'s std; else why not."""
    version = _run([rustc, "--version"], cwd)
    if version is None:
        return "`rustc --version` failed"
    short = " ".join(version.split()[:2])
    for triple in wanted:
        libdir = _run([rustc, "--print", "target-libdir", "--target", triple], cwd)
        if libdir and any(Path(libdir).glob("libcore-*.rlib")):
            return short, triple, libdir
    return f"{short} has no {' or '.join(wanted)} standard library"


def _cargo_for(rustc: str) -> str | None:
    sibling = Path(rustc).with_name("cargo")
    if os.access(sibling, os.X_OK) and sibling.is_file():
        return str(sibling)
    return shutil.which("cargo")


def install_hint(target: str) -> str:
    triple = triples(target)[0]
    return (f"with rustup: `rustup target add {triple}`; on Debian/Ubuntu: "
            f"`apt install {DEBIAN_PACKAGES}`"
            + (" (its rustc names the target wasm32-wasi)" if target == "wasm32-wasi" else ""))


def find_rust(target: str, cwd: Path) -> RustToolchain:
    """The first candidate rustc with `target`'s std (cached while it stays found)."""
    return _find(triples(target), candidates(), cwd.resolve(), target)


@lru_cache(maxsize=16)
def _find(wanted: tuple[str, ...], rustcs: tuple[str, ...], cwd: Path,
          target: str) -> RustToolchain:
    skipped: list[str] = []
    for rustc in rustcs:
        found = probe(rustc, wanted, cwd)
        if isinstance(found, str):
            skipped.append(f"{rustc}: {found}")
            continue
        cargo = _cargo_for(rustc)
        if cargo is None:
            skipped.append(f"{rustc}: no cargo beside it or on PATH")
            continue
        return RustToolchain(rustc, cargo, *found, skipped=tuple(skipped))
    # Raising keeps failures out of the cache: installing the target is seen at once.
    tried = "; ".join(skipped) if skipped else "no rustc on PATH, in /usr/bin or ~/.cargo/bin"
    raise ToolchainMissing(f"no Rust compiler here can build {wanted[0]} ({tried})",
                           where=str(cwd), hint=install_hint(target))


def plan_rust(cfg: BuildSpec, partial: Path) -> Plan:
    """`cargo build --target T` with the rustc `find_rust` chose (RUSTC= in the log)."""
    chosen = find_rust(cfg.target, cfg.root)
    package = _package_name(cfg.root / "Cargo.toml")
    target_dir = cfg.build_dir / "cargo"
    argv = [chosen.cargo, "build", "--target", chosen.triple, "--target-dir",
            str(target_dir), "--color", "never"]
    if cfg.profile == "release":
        argv.append("--release")
    argv += list(cfg.flags)
    produced = target_dir / chosen.triple / ("release" if cfg.profile == "release" else
                                             "debug") / f"{package.replace('-', '_')}.wasm"
    return Plan("rust", cfg.root, produced, parse_rustc, argv=tuple(argv),
                env={"RUSTC": chosen.rustc}, shown_env=("RUSTC",),
                notes=(f"using {chosen.describe()}",
                       *(f"skipped {why}" for why in chosen.skipped)))


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
