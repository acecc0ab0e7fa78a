"""WAT (in-process), C and Zig (through the `ziglang` PyPI package) toolchains.

Zig's bundled clang and wasm-ld make C and Zig builds work on a machine with nothing but
pip. Edge modules are wasm32-freestanding without libc (`-nostdlib`, `--no-entry`, the
ABI's exports spelled out); WAGI modules are wasm32-wasi commands linked with zig's
wasi-libc. The debug profile keeps DWARF (`-g`) so source attribution works; release
optimises for size, which is what edge platforms limit.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import wasmtime

from workbench.core.build.diagnostics import Diagnostic, parse_clang, parse_wat
from workbench.core.build.sources import source_files
from workbench.core.build.toolchains import InProcessOutcome, Plan
from workbench.core.errors import ConfigError, ToolchainMissing
from workbench.core.files import SOURCE_LIMIT, FileRefused, read_limited

if TYPE_CHECKING:
    from workbench.core.build.spec import BuildSpec

ZIG_HINT = "pip install ziglang   (C and Zig modules build with zig's bundled clang)"


def _sources(cfg: BuildSpec, suffix: str) -> list[str]:
    files = [p for p in source_files(cfg.root, cfg.sources) if p.suffix == suffix]
    return [p.relative_to(cfg.root).as_posix() for p in files]


def zig_command() -> list[str]:
    """`python -m ziglang`, or ToolchainMissing when the package is not installed."""
    if importlib.util.find_spec("ziglang") is None:
        raise ToolchainMissing("the ziglang package is not installed", hint=ZIG_HINT)
    return [sys.executable, "-m", "ziglang"]


def _no_sources(cfg: BuildSpec, what: str) -> ConfigError:
    line = None
    if cfg.config_file is not None:
        try:
            text = cfg.config_file.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        m = re.search(r"^[ \t]*sources[ \t]*=", text, re.M)
        line = text.count("\n", 0, m.start()) + 1 if m else None
    return ConfigError(f"no {what} source matches sources = {list(cfg.sources)}",
                       file=str(cfg.config_file or cfg.root / "module.toml"),
                       key="sources" if cfg.config_file else None, line=line,
                       hint=f"globs are relative to {cfg.root}")


def plan_wat(cfg: BuildSpec, partial: Path) -> Plan:
    files = _sources(cfg, ".wat")
    if not files:
        raise _no_sources(cfg, ".wat")
    rel = files[0]  # a WAT module is one file; extra .wat files are ignored

    def compile_wat() -> InProcessOutcome:
        try:
            # Confined: a .wat symlinked to /proc/self/environ must not print the
            # environment in a syntax error.
            source = read_limited(cfg.root / rel, inside=cfg.root, limit=SOURCE_LIMIT)
            data = bytes(wasmtime.wat2wasm(source.decode("utf-8")))
        except FileRefused as exc:
            return InProcessOutcome(False, f"{rel}: {exc.message}\n", parse_wat(
                exc.message, rel))
        except (wasmtime.WasmtimeError, UnicodeDecodeError, OSError) as exc:
            message = (f"not UTF-8 text ({exc.reason} at byte {exc.start})"
                       if isinstance(exc, UnicodeDecodeError) else str(exc))
            return InProcessOutcome(False, f"{rel}: {message}\n", parse_wat(message, rel))
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        return InProcessOutcome(True, "", ())

    return Plan("wat", cfg.root, partial, lambda out: parse_wat(out, rel),
                in_process=compile_wat)


def plan_c(cfg: BuildSpec, partial: Path) -> Plan:
    files = _sources(cfg, ".c")
    if not files:
        raise _no_sources(cfg, ".c")
    argv = [*zig_command(), "cc", f"--target={cfg.target}"]
    if cfg.target == "wasm32-freestanding":
        # No libc here; zig still links compiler-rt when clang needs it (e.g. __multi3).
        # UBSan (zig's default for -O0) needs a runtime freestanding modules do not have.
        argv += ["-fno-sanitize=undefined", "-Wl,--no-entry"]
        argv += [f"-Wl,--export={name}" for name in cfg.exports if name != "memory"]
    argv += ["-O0"] if cfg.profile == "debug" else ["-Oz"]
    if cfg.profile == "debug" or cfg.strip_mode != "all":
        # Without -g zig links with -s (no name section either). With -g the builder
        # strips what `strip` asks for; -g does not change the generated code.
        argv.append("-g")
    # DWARF names files relative to the module folder: no home paths inside the module,
    # and the same sources build to the same bytes wherever the folder lives.
    argv.append(f"-fdebug-prefix-map={cfg.root}=.")
    argv += ["-Wall", *cfg.flags, "-o", str(partial), *files]
    return Plan("c", cfg.root, partial, parse_clang, argv=tuple(argv))


def zig_root(cfg: BuildSpec) -> str | None:
    for candidate in ("main.zig", "src/main.zig"):
        if (cfg.root / candidate).is_file():
            return candidate
    files = _sources(cfg, ".zig")
    return files[0] if len(files) == 1 else None


def plan_zig(cfg: BuildSpec, partial: Path) -> Plan:
    root = zig_root(cfg)
    if root is None:
        raise _no_sources(cfg, "main.zig (or a single .zig)")
    mode = "Debug" if cfg.profile == "debug" else "ReleaseSmall"
    argv = [*zig_command(), "build-exe", root, "-target", cfg.target, "-O", mode]
    if cfg.profile == "release" and cfg.strip_mode != "all":
        argv.append("-fno-strip")  # keep names (and DWARF, which `strip` then removes)
    if cfg.target == "wasm32-freestanding":
        argv += ["-fno-entry", "-rdynamic"]
    argv += ["--cache-dir", str(cfg.build_dir / "zig-cache"), *cfg.flags,
             f"-femit-bin={partial}"]
    return Plan("zig", cfg.root, partial, parse_clang, argv=tuple(argv))


def validation_error(data: bytes, file: str) -> Diagnostic | None:
    """wasmtime's validator on the built bytes: a WAT type error surfaces here. Bytes that
    are no wasm binary at all (a `command` build copying a prebuilt file: empty, text,
    truncated) are described by the workbench's reader, with the offset; wasmtime's own
    message for them is a multi-line dump (`expected=[ 0x0, 0x61, ...`). A component is
    only read (the runtime validates it when it compiles it), so a damaged one fails
    here rather than at its first request."""
    if data[:8] == b"\0asm\x0d\x00\x01\x00":
        return _malformed(data, file)
    try:
        wasmtime.Module.validate(_engine(), data)
    except wasmtime.WasmtimeError as exc:
        malformed = _malformed(data, file)
        if malformed is not None:
            return malformed
        first = str(exc).strip().splitlines()
        return Diagnostic(file, None, None, "error", " ".join(first[:2]) or "invalid module")
    return None


def _malformed(data: bytes, file: str) -> Diagnostic | None:
    from workbench.core.errors import MalformedModule
    from workbench.core.wasm.reader import parse_module

    try:
        parse_module(data)
    except MalformedModule as err:
        return Diagnostic(file, None, None, "error",
                          f"the built module is malformed at offset 0x{err.offset:x}: "
                          f"{err.message}")
    return None


_ENGINE: list[wasmtime.Engine] = []


def _engine() -> wasmtime.Engine:
    if not _ENGINE:
        _ENGINE.append(wasmtime.Engine())
    return _ENGINE[0]
