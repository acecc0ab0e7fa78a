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
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.build.diagnostics import parse_rustc
from workbench.core.build.toolchains import Plan
from workbench.core.errors import ConfigError, ToolchainMissing

if TYPE_CHECKING:
    from workbench.core.build.spec import BuildSpec

DEBIAN_PACKAGES = "rustc cargo libstd-rust-dev-wasm32"
PROBE_TIMEOUT_S = 30.0  # a rustup proxy may first sync a toolchain
SYSTEM_RUSTC = ("/usr/bin/rustc",)  # Debian/Ubuntu's, when PATH puts rustup's first


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


def candidates(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Existing rustc executables to try, in order, without duplicates."""
    env = os.environ if environ is None else environ
    found: list[str] = []
    home = Path(env.get("HOME") or "~").expanduser()
    listed = [env.get("RUSTC") or None, shutil.which("rustc", path=env.get("PATH")),
              *SYSTEM_RUSTC, str(home / ".cargo" / "bin" / "rustc")]
    for path in listed:
        if path and os.access(path, os.X_OK) and not os.path.isdir(path) and path not in found:
            found.append(path)
    return tuple(found)


def _run(argv: list[str]) -> str | None:
    """stdout of argv, or None when it cannot run or fails.

    Run in the root folder, never the module's: a rustup proxy obeys the
    `rust-toolchain.toml` of its working folder, which may name any program (and a
    workspace load must not run a folder's code; the trust-gated build does obey it).
    """
    try:
        proc = subprocess.run(argv, cwd=os.path.abspath(os.sep), capture_output=True, text=True,
                              timeout=PROBE_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def probe(rustc: str, wanted: tuple[str, ...]) -> tuple[str, str, str] | str:
    """(version, triple, libdir) when `rustc` has one of `wanted`'s std; else why not."""
    version = _run([rustc, "--version"])
    if version is None:
        return "`rustc --version` failed"
    short = " ".join(version.split()[:2])
    for triple in wanted:
        libdir = _run([rustc, "--print", "target-libdir", "--target", triple])
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
    return (f"with rustup (https://rustup.rs): `rustup target add {triple}`; "
            f"on Debian/Ubuntu: `apt install {DEBIAN_PACKAGES}`"
            + (" (its rustc names the target wasm32-wasi)" if target == "wasm32-wasi" else ""))


_FOUND: dict[tuple[Any, ...], RustToolchain] = {}
_MISSING: dict[tuple[Any, ...], tuple[float, ToolchainMissing]] = {}
MISSING_TTL_S = 10.0  # a failed search is repeated after this (installing is seen soon)


def find_rust(target: str, cwd: Path) -> RustToolchain:
    """The first candidate rustc with `target`'s std. Found: cached for the process (a
    workspace load and every build ask); missing: cached for MISSING_TTL_S."""
    key = (triples(target), candidates())
    found = _FOUND.get(key)
    if found is not None:
        return found
    now = time.monotonic()
    missed = _MISSING.get(key)
    if missed is not None and now - missed[0] < MISSING_TTL_S:
        err = missed[1]
        raise ToolchainMissing(err.message, where=str(cwd), hint=err.hint)
    try:
        found = search(key[0], key[1], target)
    except ToolchainMissing as exc:
        _MISSING[key] = (now, exc)
        raise ToolchainMissing(exc.message, where=str(cwd), hint=exc.hint) from None
    _FOUND[key] = found
    return found


def search(wanted: tuple[str, ...], rustcs: tuple[str, ...], target: str) -> RustToolchain:
    """Probe `rustcs` in order (uncached)."""
    skipped: list[str] = []
    for rustc in rustcs:
        found = probe(rustc, wanted)
        if isinstance(found, str):
            skipped.append(f"{rustc}: {found}")
            continue
        cargo = _cargo_for(rustc)
        if cargo is None:
            skipped.append(f"{rustc}: no cargo beside it or on PATH")
            continue
        return RustToolchain(rustc, cargo, *found, skipped=tuple(skipped))
    tried = "; ".join(skipped) if skipped else "no rustc on PATH, in /usr/bin or ~/.cargo/bin"
    raise ToolchainMissing(f"no Rust compiler here can build {wanted[0]} ({tried})",
                           hint=install_hint(target))


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
