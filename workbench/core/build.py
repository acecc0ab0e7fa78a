"""Build one module: run its toolchain, keep the last good .wasm in service on failure.

`build_module(cfg, cancel=..., progress=...) -> BuildResult` is what `build`, `watch`,
`run`, `replay` and the TUI call. The compiler writes to a private partial file that is
moved over `<module>/build/<name>.wasm` only when the build succeeded and wasmtime
validated the bytes: a failed or cancelled build therefore leaves the previous module
serving, and the result says so (`stale=True`, `wasm_path` = the previous module).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.diagnostics import Diagnostic, error_count
from workbench.core.errors import BuildFailed
from workbench.core.toolchains import InProcessOutcome, Plan, plan_for
from workbench.core.toolchains.native import validation_error
from workbench.core.toolchains.process import run_process

if TYPE_CHECKING:
    from workbench.config import ModuleConfig

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
        raise BuildFailed(what, output=self.output,
                          diagnostics=self.diagnostics, where=self.module, hint=hint)

    def to_json(self) -> dict[str, Any]:
        return {
            "module": self.module, "toolchain": self.toolchain, "profile": self.profile,
            "ok": self.ok, "wasm_path": str(self.wasm_path) if self.wasm_path else None,
            "size": self.size, "previous_size": self.previous_size,
            "size_delta": self.size_delta, "duration_ms": round(self.duration_ms, 3),
            "output": self.output, "diagnostics": [d.to_json() for d in self.diagnostics],
            "stale": self.stale, "cancelled": self.cancelled, "command": self.command,
        }


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def build_module(cfg: ModuleConfig, *, cancel: threading.Event | None = None,
                 progress: Progress | None = None) -> BuildResult:
    """Build `cfg`; raises ToolchainMissing when its toolchain is not installed."""
    started = time.perf_counter()
    previous = _size(cfg.output)
    # A private folder per build, but the file keeps the output's name: wasm-ld records
    # the output name in the module, and a varying name would make identical sources
    # produce different bytes (and spurious size deltas).
    private = cfg.build_dir / f".partial-{os.getpid()}-{threading.get_ident()}"
    private.mkdir(parents=True, exist_ok=True)
    partial = private / cfg.output.name
    cfg.output.parent.mkdir(parents=True, exist_ok=True)
    plan = plan_for(cfg, partial)

    def finish(ok: bool, output: str, diags: tuple[Diagnostic, ...] = (),
               cancelled: bool = False) -> BuildResult:
        _cleanup(partial)
        if not ok and not cancelled and error_count(diags) == 0:
            summary = "build failed" if plan.argv is None else \
                f"{plan.toolchain} build failed (see output)"
            diags = (*diags, Diagnostic(None, None, None, "error", summary))
        in_service = cfg.output if (ok or previous is not None) else None
        return BuildResult(
            module=cfg.name, toolchain=cfg.toolchain, profile=cfg.profile, ok=ok,
            wasm_path=in_service, size=_size(cfg.output) if in_service else None,
            previous_size=previous, duration_ms=(time.perf_counter() - started) * 1000,
            output=output, diagnostics=diags, stale=not ok and previous is not None,
            cancelled=cancelled, command=plan.describe())

    if cancel is not None and cancel.is_set():
        return finish(False, "", cancelled=True)
    if progress:
        progress(f"building {cfg.name}: {plan.describe()}")
    outcome = _execute(plan, cancel)
    if outcome.cancelled:
        return finish(False, outcome.output, cancelled=True)
    if not outcome.ok:
        return finish(False, outcome.output, outcome.diagnostics)
    if not plan.produced.is_file():
        return finish(False, outcome.output, (*outcome.diagnostics, Diagnostic(
            None, None, None, "error", f"the build wrote no module at {plan.produced}")))
    data = plan.produced.read_bytes()
    invalid = validation_error(data, cfg.sources[0] if cfg.toolchain == "wat" else cfg.name)
    if invalid is not None:
        return finish(False, outcome.output, (*outcome.diagnostics, invalid))
    if plan.produced != cfg.output:
        cfg.output.parent.mkdir(parents=True, exist_ok=True)
        if plan.produced == partial:
            os.replace(partial, cfg.output)  # atomic: a reader never sees half a module
        else:
            tmp = partial.with_suffix(".copy")
            shutil.copyfile(plan.produced, tmp)
            os.replace(tmp, cfg.output)
    return finish(True, outcome.output, outcome.diagnostics)


@dataclass(frozen=True, slots=True)
class _Outcome:
    ok: bool
    output: str
    diagnostics: tuple[Diagnostic, ...]
    cancelled: bool = False


def _execute(plan: Plan, cancel: threading.Event | None) -> _Outcome:
    if plan.in_process is not None:
        res: InProcessOutcome = plan.in_process()
        return _Outcome(res.ok, res.output, res.diagnostics)
    assert plan.argv is not None
    proc = run_process(plan.argv, cwd=plan.cwd, env=plan.env, cancel=cancel,
                       timeout_s=BUILD_TIMEOUT_S)
    if proc.cancelled:
        return _Outcome(False, proc.output, (), cancelled=True)
    return _Outcome(proc.returncode == 0, proc.output, plan.parse(proc.output))


def _cleanup(partial: Path) -> None:
    shutil.rmtree(partial.parent, ignore_errors=True)
