"""Build one module: run its toolchain, keep the last good .wasm in service on failure.

`build_module(cfg, cancel=..., progress=...) -> BuildResult` is what `build`, `watch`,
`run`, `replay` and the TUI call. The compiler writes into a private folder and the
result replaces `<module>/build/<name>.wasm` only when the build succeeded and wasmtime
validated the bytes (`workbench.core.build.output`): a failed or cancelled build leaves
the previous module serving, and the result says so (`stale=True`, `wasm_path` = the
previous module). module.toml's `strip` is applied on the way in.
"""

from __future__ import annotations

import re
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.build.diagnostics import Diagnostic, error_count, relative_diagnostics
from workbench.core.build.output import OutputSlot, strip_custom
from workbench.core.build.toolchains import InProcessOutcome, Plan, plan_for
from workbench.core.build.toolchains.native import validation_error
from workbench.core.build.toolchains.process import run_process
from workbench.core.errors import BuildFailed, WorkbenchError
from workbench.core.files import FileRefused, read_wasm

if TYPE_CHECKING:
    from workbench.core.build.spec import BuildSpec

Progress = Callable[[str], None]
BUILD_TIMEOUT_S = 600.0  # a compiler that hangs this long is treated as cancelled


@dataclass(frozen=True)
class BuildResult:
    """The outcome of one build. `wasm_path` is the module in service after it."""

    module: str
    toolchain: str
    profile: str
    ok: bool
    wasm_path: Path | None  # the new module, or the last good one when stale, or None
    size: int | None  # bytes of wasm_path
    previous_size: int | None  # bytes of the module in service before this build
    duration_ms: float
    output: str  # whole compiler output
    diagnostics: tuple[Diagnostic, ...] = ()
    stale: bool = False  # failed/cancelled, and an older module keeps serving
    cancelled: bool = False
    command: str = ""
    untrusted: bool = False  # not built: the folder's code needs trust (services.trust)
    # a failure's error kind (`workbench.core.errors.exit_status`): "build", or "file" when
    # a prebuilt module could not be read at all (a path or permission mistake)
    failure_kind: str = "build"

    @property
    def size_delta(self) -> int | None:
        """Bytes gained (+) or lost (-) against the previous module; None without both."""
        if not self.ok or self.size is None or self.previous_size is None:
            return None
        return self.size - self.previous_size

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    def raise_for_status(self) -> BuildResult:
        """Return self when ok, else raise BuildFailed carrying output and diagnostics."""
        if self.ok:
            return self
        first = self.errors[0] if self.errors else None
        what = "cancelled" if self.cancelled else (str(first) if first else "build failed")
        hint = ("the previous module keeps serving (stale)" if self.stale
                else "nothing was built yet")
        raise BuildFailed(what, output=self.output, diagnostics=self.diagnostics,
                          where=self.module, hint=hint, result=self)

    def to_json(self) -> dict[str, Any]:
        return {
            "module": self.module, "toolchain": self.toolchain, "profile": self.profile,
            "ok": self.ok, "wasm_path": str(self.wasm_path) if self.wasm_path else None,
            "size": self.size, "previous_size": self.previous_size,
            "size_delta": self.size_delta, "duration_ms": round(self.duration_ms, 3),
            "output": self.output, "diagnostics": [d.to_json() for d in self.diagnostics],
            "stale": self.stale, "cancelled": self.cancelled, "command": self.command,
            "untrusted": self.untrusted,
        }


def size_of(path: Path) -> int | None:
    """Bytes of the module file at `path`; None when there is none (or a folder is there)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def build_module(cfg: BuildSpec, *, cancel: threading.Event | None = None,
                 progress: Progress | None = None) -> BuildResult:
    """Build `cfg`; raises ToolchainMissing (or ConfigError) when it cannot start."""
    started = time.perf_counter()
    if cfg.toolchain == "prebuilt":
        return _read_prebuilt(cfg, started)
    previous = size_of(cfg.output)
    slot = OutputSlot(cfg.build_dir, cfg.output,
                      direct=cfg.output if cfg.toolchain == "command" else None)
    plan = plan_for(cfg, slot.partial)

    def finish(ok: bool, output: str, diags: tuple[Diagnostic, ...] = (),
               cancelled: bool = False, returncode: int | None = None) -> BuildResult:
        if not ok:
            slot.rollback()
        slot.cleanup()
        diags = (*(Diagnostic(None, None, None, "note", n) for n in plan.notes), *diags)
        if not ok and not cancelled and error_count(diags) == 0:
            status = f" (exit status {returncode})" if returncode else ""
            summary = "build failed" if plan.argv is None else \
                f"{plan.toolchain} build failed{status}" + (
                    " (see output)" if output.strip() else ", with no output")
            diags = (*diags, Diagnostic(None, None, None, "error", summary))
        in_service = cfg.output if (ok or previous is not None) else None
        return BuildResult(
            module=cfg.name, toolchain=cfg.toolchain, profile=cfg.profile, ok=ok,
            wasm_path=in_service, size=size_of(cfg.output) if in_service else None,
            previous_size=previous, duration_ms=(time.perf_counter() - started) * 1000,
            output=output, diagnostics=diags, stale=not ok and previous is not None,
            cancelled=cancelled, command=plan.describe())

    if cancel is not None and cancel.is_set():
        return finish(False, "", cancelled=True)
    try:
        slot.prepare()
    except OSError as exc:
        return finish(False, "", (_os_diag("cannot prepare the build folder", exc),))
    if progress:
        progress(f"building {cfg.name}: {plan.describe()}")
    try:
        outcome = _execute(plan, cancel)
    except BaseException:  # Ctrl-C: the compiler is killed; leave nothing half-done
        slot.rollback()
        slot.cleanup()
        raise
    if outcome.cancelled:
        return finish(False, outcome.output, cancelled=True)
    diags = relative_diagnostics(outcome.diagnostics, cfg.root)
    if not outcome.ok:
        return finish(False, outcome.output, (*diags, *_hints(cfg, outcome.output)),
                      returncode=outcome.returncode)
    produced = slot.produced(plan.produced)
    try:
        original = produced.read_bytes()
    except OSError:
        where = "$WORKBENCH_OUTPUT" if cfg.toolchain == "command" else str(plan.produced)
        message = f"the build wrote no module (expected at {where})"
        return finish(False, outcome.output, (*diags, Diagnostic(
            None, None, None, "error", message), *_hints(cfg, message)))
    # a WAT error is in the source; any other toolchain's is in the file it wrote (named by
    # its path: the module's name here read "m0: m0: error: ..." once BuildFailed added it)
    invalid = validation_error(original, cfg.sources[0] if cfg.toolchain == "wat"
                               else _shown(cfg.output, cfg.root))
    if invalid is not None:
        return finish(False, outcome.output, (*diags, invalid))
    try:
        data = strip_custom(original, cfg.strip_mode)
        slot.install(data, produced, original)
    except OSError as exc:
        return finish(False, outcome.output, (*diags, _os_diag(f"cannot write {cfg.output}", exc)))
    except WorkbenchError as exc:  # the module could not be read back for stripping
        return finish(False, outcome.output, (*diags, Diagnostic(
            None, None, None, "error", f"cannot strip the module: {exc.message}")))
    return finish(True, outcome.output, diags)


# prebuilt file -> its size when this process last read it valid: the other tool has
# already replaced the file when we see it, so the size change is counted from here
_prebuilt_sizes: dict[Path, int] = {}


def _read_prebuilt(cfg: BuildSpec, started: float) -> BuildResult:
    """toolchain = "prebuilt": another tool writes the module; a "build" checks that it is
    there and valid, and serves it as is (nothing is written or run)."""
    def result(ok: bool, diags: tuple[Diagnostic, ...] = (), kind: str = "build"
               ) -> BuildResult:
        previous = _prebuilt_sizes.get(cfg.output)
        if ok:
            _prebuilt_sizes[cfg.output] = len(data)
        return BuildResult(
            module=cfg.name, toolchain="prebuilt", profile=cfg.profile, ok=ok,
            wasm_path=cfg.output if ok else None, size=len(data) if ok else None,
            previous_size=previous, duration_ms=(time.perf_counter() - started) * 1000,
            output="", diagnostics=diags, command=f"(prebuilt: reads {cfg.output})",
            failure_kind=kind)

    data = b""
    try:  # a regular file of bounded size (a FIFO at the path must not hang the build)
        data = read_wasm(cfg.output)
    except FileRefused as exc:
        return result(False, (Diagnostic(None, None, None, "error",
                                         f"{cfg.output}: {exc.message}"), Diagnostic(
            None, None, None, "note", "build it with your own toolchain: the workbench "
            "reads the file whenever it changes")), "file")
    if data[:4] != b"\0asm":
        what = "it is empty" if not data else f"it starts with {data[:8]!r}"
        return result(False, (Diagnostic(cfg.output.name, None, None, "error",
                                         f"not a WebAssembly module: {what}"), Diagnostic(
            None, None, None, "note", "a module starts with \\0asm; if a tool is still "
            "writing it, its next change reloads it")))
    invalid = validation_error(data, cfg.output.name)
    if invalid is not None:  # often a tool still writing it: the next change reloads it
        return result(False, (invalid,))
    return result(True)


def _shown(path: Path, root: Path) -> str:
    """`path` relative to the module folder when it is inside it."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _os_diag(what: str, exc: OSError) -> Diagnostic:
    return Diagnostic(None, None, None, "error", f"{what}: {exc.strerror or exc}")


def _hints(cfg: BuildSpec, output: str) -> tuple[Diagnostic, ...]:
    """Notes for failures whose compiler message does not say what to do."""
    if cfg.toolchain == "rust" and "wrote no module" in output:
        return (Diagnostic("Cargo.toml", None, None, "note",
                           'a Rust handler is a library: add [lib] crate-type = ["cdylib"] '
                           "(a WAGI handler is a binary: src/main.rs)"),)
    if cfg.target == "wasm32-freestanding" and re.search(
            r"'(stdio|stdlib|string|unistd)\.h' file not found", output):
        return (Diagnostic(None, None, None, "note",
                           "edge (wasm32-freestanding) builds have no libc: a WAGI handler "
                           'needs abi = "wagi" in module.toml; an edge handler can copy '
                           "sample_modules/json-api-c/edge.h"),)
    if "exported via --export not found" in output:
        return (Diagnostic(None, None, None, "note",
                           "an edge module defines alloc(len) and handle(ptr, len) "
                           "(docs/handler-abi.md); a WAGI handler with main() needs "
                           'abi = "wagi" in module.toml'),)
    return ()


@dataclass(frozen=True, slots=True)
class _Outcome:
    ok: bool
    output: str
    diagnostics: tuple[Diagnostic, ...]
    cancelled: bool = False
    returncode: int | None = None


def _execute(plan: Plan, cancel: threading.Event | None) -> _Outcome:
    if plan.in_process is not None:
        res: InProcessOutcome = plan.in_process()
        return _Outcome(res.ok, res.output, res.diagnostics)
    assert plan.argv is not None
    try:
        proc = run_process(plan.argv, cwd=plan.cwd, env=plan.env, cancel=cancel,
                           timeout_s=BUILD_TIMEOUT_S)
    except OSError as exc:  # the compiler (or the shell) could not be started
        return _Outcome(False, "", (_os_diag(f"cannot run {plan.argv[0]}", exc),))
    if proc.cancelled:
        return _Outcome(False, proc.output, (), cancelled=True)
    return _Outcome(proc.returncode == 0, proc.output, plan.parse(proc.output),
                    returncode=proc.returncode)


