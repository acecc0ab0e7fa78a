"""The work the app's thread workers do: each is a short call into `workbench.core`.

These run off the UI thread and must not touch widgets. They return frozen core results
(or raise WorkbenchError / Unavailable) and the worker posts them as messages. Keeping
them plain functions makes them testable without an app.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.config.folders import load_module, reload_module
from workbench.config.workspace import load_workspace
from workbench.core.abi.detect import detect_abi
from workbench.core.hooks.rules import load_hooks
from workbench.core.requests.files import load_requests
from workbench.core.size import breakdown
from workbench.core.size.budget import check_budget
from workbench.core.size.diff import diff_modules
from workbench.core.size.dwarf.attribute import attribute
from workbench.core.size.history import record_build
from workbench.core.size.inspect import inspect_module
from workbench.core.size.strip import strip_preview
from workbench.core.wasm import parse_module
from workbench.tui.state import ModuleState
from workbench.tui.unavailable import Unavailable

IDENTICAL = "identical"  # extras["diff"] after a rebuild that produced the same bytes


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
    broken: list[tuple[Path, Any]] = []
    workspace = load_workspace(paths, broken=broken)
    variables = dict(getattr(workspace, "variables", {}) or {})
    modules = [ModuleState(name=m.name, root=m.root, config=m, variables=variables)
               for m in workspace.modules]
    names = {m.name for m in modules}
    for folder, err in broken:  # listed with the error; b reads module.toml again
        name = folder.name if folder.name not in names else str(folder)
        names.add(name)
        modules.append(ModuleState(name=name, root=folder, variables=variables,
                                   build="failed", build_error=err,
                                   error=str(err).splitlines()[0]))
    problems = [f"{err}\n(the module is listed; fix the file, then press b on it)"
                for _, err in broken]
    return modules, workspace, problems


def load_config(state: ModuleState, workspace: Any) -> None:
    """A module listed with a broken module.toml: read it again (raises while broken)."""
    if state.config is None:
        state.config = reload_config(state, workspace)
        state.config_error = None


def reload_config(state: ModuleState, workspace: Any) -> Any:
    """module.toml read again (with the workspace's chaos as its base, as at startup)."""
    chaos = getattr(workspace, "chaos", None)
    if state.config is not None:  # from where it came (a Spin app: its component)
        return reload_module(state.config, base_chaos=chaos)
    return load_module(state.root, base_chaos=chaos)


def build(state: ModuleState, cancel: Any = None) -> Built:
    """Build the module with the core build, then read and inspect the module in service.

    A failed build returns the last good module (BuildResult.stale) when there is one:
    the caller checks `built.result.ok`. Raises BuildFailed when nothing can be served.
    """
    if state.config is None:
        raise Unavailable("the module's configuration", "module.toml could not be read")
    from workbench.services.folder_trust import gated_build

    # Restricted mode: a folder whose build runs its own code builds only once trusted
    # (`workbench trust PATH`, `workbench --trust`); the result then says what did not run.
    result = gated_build(state.config, cancel=cancel)
    if result.wasm_path is None:
        result.raise_for_status()  # BuildFailed carries the result (the Build view shows it)
        raise Unavailable("a built module", "the build reported no output")
    wasm_path = Path(result.wasm_path)
    return inspect_bytes(wasm_path.read_bytes(), wasm_path, result)


def inspect_bytes(wasm: bytes, wasm_path: Path | None, result: Any = None) -> Built:
    """Parse and inspect a binary with the core reader and report builder."""
    module = parse_module(wasm, file=str(wasm_path) if wasm_path else None)
    report = inspect_module(module, file=str(wasm_path) if wasm_path else None)
    abi = detect_abi(module)
    return Built(wasm=wasm, wasm_path=wasm_path, module=module, report=report, abi=abi,
                 result=result)


def size_extras(built: Built, state: ModuleState) -> dict[str, Any]:
    """Size views, DWARF sources, diff vs the module in service, strip preview, budget.

    Each value is the core's result, or the Unavailable/WorkbenchError it raised, so the
    Size view can show each part independently. Runs in the build worker.
    """
    out: dict[str, Any] = {}
    module = built.module
    gz = getattr(built.report, "gzip_size", None)
    for key, attr in (("sections", "by_section"), ("functions", "by_function"),
                      ("data", "by_data")):
        out[key] = _call(lambda a=attr: getattr(breakdown, a)(module))
    out["sources"] = _call(lambda: attribute(module))
    out["strip"] = _call(lambda: strip_preview(module, original_gzip=gz))
    budget = getattr(state.config, "budget", None)
    if budget is not None and not budget.empty:
        out["budget"] = _call(lambda: check_budget(
            module, budget, gz, name=state.name))
    else:
        out["budget"] = "none"
    if state.module is not None and state.wasm != built.wasm:
        old_src = state.extras.get("sources")
        new_src = out["sources"]
        both = not isinstance(old_src, Exception | None) and not isinstance(new_src, Exception)
        out["diff"] = _call(lambda: diff_modules(
            state.module, module, old_src if both else None, new_src if both else None))
    elif state.module is not None:
        out["diff"] = IDENTICAL  # same bytes rebuilt: the diff is ±0, not the last change
    shared = state.config is not None and state.config.toolchain == "prebuilt"
    out["history"] = record_build(state.root, len(built.wasm), gz,
                                  name=state.name if shared else None)
    out["signature"] = _call(lambda: signature_state(built))
    out.update(module_files(state))
    return out


def signature_state(built: Built) -> str:
    """One line for the Signatures view: verified against the workspace's [trust] keys,
    refused (and why), or whether the module carries a signature section at all."""
    from workbench.services.trust import check_policy, trust_policy

    signed = any(s.name == "signature" for s in built.module.sections if s.is_custom)
    policy = trust_policy(built.wasm_path) if built.wasm_path is not None else None
    if policy is None or not policy.keys:
        return ("signed (no [trust] keys in workbench.toml to verify it against)" if signed
                else "not signed (workbench sign MODULE --key KEY)")
    assert built.wasm_path is not None
    verdict = check_policy(built.wasm_path, policy)
    required = " — required by [trust]" if policy.require_signed else ""
    return str(verdict).replace("\n", "; ") + required


def module_files(state: ModuleState, variables: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    """The module's hooks (core.hooks.load_hooks) and saved requests (core.requests)."""
    out: dict[str, Any] = {}
    hooks_path = getattr(state.config, "hooks", None)
    if hooks_path is None or not Path(hooks_path).is_file():
        out["hooks"] = "none"
    else:
        out["hooks"] = _call(lambda: load_hooks(hooks_path))
    req_path = getattr(state.config, "requests", None)
    if req_path is None or not Path(req_path).exists():
        out["requests"] = "none"
    else:
        out["requests"] = _call(lambda: load_requests(
            req_path, variables or state_variables(state)))
    return out


def state_variables(state: ModuleState) -> dict[str, Any]:
    """Workspace variables for {{name}} in saved requests (set by the app on discovery)."""
    return dict(getattr(state, "variables", {}) or {})


def _call(fn: Any) -> Any:
    try:
        return fn()
    except Exception as err:  # noqa: BLE001 - shown in the view, one part at a time
        return err
