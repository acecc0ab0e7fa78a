"""`workbench build [PATH...] [--json]`: build every module once, for users and CI.

Modules build side by side (one per core) and are reported in the workspace's order.

Exit status 0 when every module built, 1 when any failed (compiler error, missing
toolchain, an output that is not wasm), 2 for a configuration mistake (a module.toml
whose sources match nothing, a prebuilt file that cannot be read, a workspace that cannot
be read): the worst of the modules' (`workbench.core.errors.exit_status`); the other
modules still build. A failed module keeps its previous .wasm.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from workbench.cli.render import console, err_console, print_json
from workbench.config.module import PROFILES, ModuleConfig
from workbench.config.workspace import load_workspace
from workbench.core.build.builder import BuildResult
from workbench.core.errors import UsageError, WorkbenchError
from workbench.core.units import human_bytes
from workbench.services.folder_trust import gated_build

NAME = "build"
HELP = "build modules (default: ./workbench.toml, else the current folder)"
ORDER = 10


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="workspace file/folder, module folder, or folder of modules")
    parser.add_argument("--profile", choices=PROFILES, help="override module.toml's profile")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="print the compiler command and its whole output")
    parser.add_argument("--trust", action="store_true",
                        help="build even when the folder's build runs its own code and it "
                             "is not trusted (CI; same as WORKBENCH_TRUST=1)")


def run(args: argparse.Namespace) -> int:
    ws = load_workspace(args.paths or None)
    if not ws.modules:
        raise UsageError(f"{ws.config_file or ws.root}: no modules to build",
                         hint="list module folders in workbench.toml `modules = [...]`, or "
                              "pass a module folder (see docs/config.md)")
    modules = [dataclasses.replace(cfg, profile=args.profile) if args.profile else cfg
               for cfg in ws.modules]
    docs: list[dict[str, Any]] = []
    failed = 0
    failures: list[tuple[ModuleConfig, BuildResult]] = []
    status = 0  # the worst of the modules' (workbench.core.errors.exit_status)
    for cfg, outcome in _build_all(modules, trust=args.trust):
        if isinstance(outcome, WorkbenchError):  # missing toolchain, no sources: this one only
            failed += 1
            status = max(status, outcome.exit_status)
            docs.append({"module": cfg.name, "ok": False, "error": outcome.to_json()})
            if not args.json:
                err_console.print(f"[red]✗[/] [bold]{cfg.name}[/]: {_escape(str(outcome))}",
                                  soft_wrap=True)
            continue
        failed += 0 if outcome.ok else 1
        if not outcome.ok:
            failures.append((cfg, outcome))
        docs.append(outcome.to_json())
        note = _sign(cfg, outcome) if outcome.ok else None
        if not args.json:
            _render(outcome, verbose=args.verbose)
            if note:
                err_console.print(f"[yellow]{_escape(note)}[/]", soft_wrap=True)
    status = max([status, *(_say_failed(cfg, r) for cfg, r in failures)])
    if args.json:
        print_json({"ok": failed == 0, "modules": docs,
                    "left_out": [m.to_json() for m in ws.left_out]})
        return status
    for gone in ws.left_out:  # optional_modules whose toolchain is not installed
        console.print(f"[dim]- {gone.name}: left out: {_escape(gone.reason)}"
                      + (f"\n    to include it: {_escape(gone.hint)}" if gone.hint else "")
                      + "[/]", soft_wrap=True)
    if len(modules) > 1:
        ok = len(modules) - failed
        style = "green" if failed == 0 else "red"
        console.print(f"[{style}]{ok}/{len(modules)} modules built[/]")
    return status


def _say_failed(cfg: ModuleConfig, r: BuildResult) -> int:
    """A failed build in one paragraph on stderr (the report above has the details, or
    the JSON document); its exit status."""
    from workbench.cli.failure import report_json_error

    prebuilt = r.toolchain == "prebuilt"  # its messages are about the one file: named
    first = next(((d.message if prebuilt else str(d)) for d in r.errors), "build failed")
    hint = ("`workbench build -v` shows the whole output" if not prebuilt
            else "rebuild it with your own toolchain; the workbench reads it again when it "
                 "changes" if r.failure_kind == "build" else None)
    where = str(cfg.output) if prebuilt else cfg.name
    kind = "untrusted" if r.untrusted else r.failure_kind
    return report_json_error(where, {"kind": kind, "message": first, "hint": hint})


def _sign(cfg: ModuleConfig, result: BuildResult) -> str | None:
    """module.toml `sign = ...` re-signs the output; a [trust] policy warns otherwise."""
    from workbench.services.trust import signing_step

    try:
        return signing_step(cfg.root, result.wasm_path)
    except WorkbenchError as err:
        return f"{cfg.name}: signing failed: {err}"


def _build_all(modules: list[ModuleConfig], *, trust: bool = False
               ) -> Iterator[tuple[ModuleConfig, BuildResult | WorkbenchError]]:
    """Build up to one module per core at once; yield results in the workspace's order.

    A first build on a fresh machine is dominated by one slow module (wagi-c compiles
    wasi-libc), so the others build beside it. Ctrl-C cancels every running build:
    their compilers are killed before the interrupt propagates.
    """
    cancel = threading.Event()

    def one(cfg: ModuleConfig) -> BuildResult | WorkbenchError:
        try:
            return gated_build(cfg, trust=trust, cancel=cancel)
        except WorkbenchError as err:
            return err

    workers = max(1, min(len(modules), os.cpu_count() or 1))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="workbench-build")
    try:
        futures = [pool.submit(one, cfg) for cfg in modules]
        for cfg, future in zip(modules, futures, strict=True):
            yield cfg, future.result()
    except BaseException:
        cancel.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _render(r: BuildResult, *, verbose: bool) -> None:
    if verbose:
        console.print(f"[dim]$ {r.command}[/]", soft_wrap=True)
        if r.output.strip():
            console.print(r.output.rstrip(), markup=False, highlight=False)
    if r.ok:
        size = human_bytes(r.size or 0)
        console.print(f"[green]✓[/] [bold]{r.module}[/]  {size}{delta_text(r.size_delta)}  "
                      f"[dim]{r.toolchain}/{r.profile} {r.duration_ms:.0f} ms → "
                      f"{_short(r.wasm_path)}[/]", soft_wrap=True)
        for d in r.diagnostics:
            console.print(f"    [yellow]{_escape(str(d))}[/]", highlight=False, soft_wrap=True)
        return
    head = "cancelled" if r.cancelled else (
        "not built (restricted mode)" if r.untrusted else "build failed")
    console.print(f"[red]✗[/] [bold]{r.module}[/]: {head} "
                  f"[dim]({r.toolchain}/{r.profile}, {r.duration_ms:.0f} ms)[/]")
    for d in r.diagnostics:
        colour = "red" if d.severity == "error" else "yellow"
        console.print(f"    [{colour}]{_escape(str(d))}[/]", highlight=False, soft_wrap=True)
    if not verbose and r.output.strip() and not covered(r):
        console.print(r.output.rstrip(), markup=False, highlight=False)
    if r.stale:
        console.print(f"    [dim]the previous module keeps serving (stale): "
                      f"{_short(r.wasm_path)}[/]", soft_wrap=True)


def delta_text(delta: int | None) -> str:
    """The size change against the previous build: "  (+12 B)", "  (-3 B)", "  (±0 B)"."""
    if delta is None:
        return ""
    return "  (±0 B)" if delta == 0 else f"  ({delta:+,} B)"


def covered(r: BuildResult) -> bool:
    """Do the parsed diagnostics already say what the output says? (then do not repeat it)"""
    parsed = [d for d in r.diagnostics if d.severity != "note"]
    generic = len(parsed) == 1 and parsed[0].file is None and \
        "build failed" in parsed[0].message
    return bool(parsed) and not generic


def _short(path: Path | None) -> str:
    """A path relative to the current folder when it is below it (shorter lines)."""
    if path is None:
        return "-"
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
