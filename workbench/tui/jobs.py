"""The work the app's thread workers do: each is a short call into `workbench.core`.

These run off the UI thread and must not touch widgets. They return frozen core results
(or raise WorkbenchError / Unavailable) and the worker posts them as messages. Keeping
them plain functions makes them testable without an app.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.tui.bridge import Unavailable, core
from workbench.tui.state import ModuleState


@dataclass(frozen=True)
class Built:
    """What one build + inspect produced, ready to be posted to the app."""

    wasm: bytes
    wasm_path: Path | None
    module: Any
    report: Any
    abi: Any
    result: Any


def discover(paths: list[Path]) -> tuple[list[ModuleState], Any, list[str]]:
    """Read the workspace (or module folders) into states; nothing is built here."""
    load_workspace = core("config", "load_workspace")
    workspace = load_workspace(paths)
    modules = [ModuleState(name=m.name, root=m.root, config=m) for m in workspace.modules]
    return modules, workspace, []


def build(state: ModuleState) -> Built:
    """Build the module (when the build core exists), then read and inspect the binary."""
    result: Any = None
    wasm_path: Path | None = None
    try:
        build_module = core("core.build", "build_module")
    except Unavailable:
        build_module = None
    if build_module is not None and state.config is not None:
        result = build_module(state.config)
        wasm_path = _first_path(result, ("output", "wasm_path", "path"))
        wasm = _first_bytes(result)
        if wasm is None and wasm_path is not None:
            wasm = wasm_path.read_bytes()
    else:
        wasm_path = _existing_output(state)
        if wasm_path is None:
            raise Unavailable("workbench.core.build.build_module",
                              "and no built .wasm found to load")
        wasm = wasm_path.read_bytes()
    if wasm is None:
        raise Unavailable("a built module", "the build returned no output")
    return inspect_bytes(wasm, wasm_path, result)


def inspect_bytes(wasm: bytes, wasm_path: Path | None, result: Any = None) -> Built:
    """Parse and inspect a binary with the core reader and report builder."""
    parse_module = core("core.wasm", "parse_module")
    module = parse_module(wasm, file=str(wasm_path) if wasm_path else None)
    report = None
    try:
        inspect = core("core.inspect", "inspect_module")
        report = inspect(module, file=str(wasm_path) if wasm_path else None)
    except Unavailable:
        report = None
    abi = None
    try:
        abi = core("core.runtime.abi", "detect_abi")(module)
    except Unavailable:
        abi = None
    return Built(wasm=wasm, wasm_path=wasm_path, module=module, report=report, abi=abi,
                 result=result)


def _first_path(obj: Any, names: tuple[str, ...]) -> Path | None:
    for name in names:
        value = getattr(obj, name, None)
        if isinstance(value, (str, Path)):
            return Path(value)
    return None


def _first_bytes(obj: Any) -> bytes | None:
    for name in ("wasm", "data", "binary"):
        value = getattr(obj, name, None)
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value)
    return None


def _existing_output(state: ModuleState) -> Path | None:
    """The configured output if it exists, else a lone .wasm in the folder."""
    out = getattr(state.config, "output", None)
    if out is not None and Path(out).is_file():
        return Path(out)
    found = sorted(state.root.glob("*.wasm"))
    return found[0] if found else None


def now_ms() -> float:
    return time.perf_counter() * 1000.0


def size_extras(built: Built, state: ModuleState) -> dict[str, Any]:
    """Sources (DWARF), diff vs the previous build, strip preview and budget.

    Each value is the core's result, or the Unavailable/WorkbenchError it raised, so the
    Size view can show each part independently.
    """
    out: dict[str, Any] = {}
    calls: list[tuple[str, str, str, tuple[Any, ...]]] = [
        ("sections", "core.size", "by_section", (built.module,)),
        ("functions", "core.size", "by_function", (built.module,)),
        ("data", "core.size", "by_data", (built.module,)),
        ("sources", "core.dwarf", "attribute", (built.module,)),
        ("strip", "core.strip", "preview", (built.module,)),
    ]
    budget = getattr(state.config, "budget", None)
    if budget is not None:
        calls.append(("budget", "core.budget", "check", (built.module, budget)))
    if state.module is not None:
        calls.append(("diff", "core.diff", "diff_modules", (state.module, built.module)))
    for key, mod, attr, args in calls:
        try:
            out[key] = core(mod, attr)(*args)
        except Exception as err:  # noqa: BLE001 - shown in the view, one part at a time
            out[key] = err
    return out
