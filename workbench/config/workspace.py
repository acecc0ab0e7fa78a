"""Turning command-line paths into one `Workspace`.

A path may be a workbench.toml file, a folder holding one, a module folder, or a folder
whose child folders are modules (so `workbench build sample_modules` and
`workbench build my-handler` both do the obvious thing). A module folder inside a
workspace (a workbench.toml in a folder above it) gets that workspace's settings, as
`run` and `replay` do: `workbench watch sample_modules/json-api-c` knows `{{host}}`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.config.check import Checker, read_toml
from workbench.config.module import (
    DEFAULT_DEBOUNCE_MS,
    WORKSPACE_FILE,
    WORKSPACE_KEYS,
    LeftOut,
    ModuleConfig,
    Workspace,
    is_module_folder,
    load_module,
    load_wasm_file,
    not_a_module,
)
from workbench.config.optional import KEY as OPTIONAL_KEY
from workbench.config.optional import load_optional
from workbench.config.spin import is_spin_app, load_spin_app
from workbench.config.tables import parse_chaos
from workbench.core.errors import ConfigError, WorkbenchError
from workbench.core.runtime.limits import Chaos


def load_workspace(paths: list[Path] | tuple[Path, ...] | None = None,
                   broken: Broken | None = None) -> Workspace:
    """Load every path into one workspace; settings come from the first workbench.toml.

    `broken`: a module folder whose module.toml cannot be read is appended there with its
    error instead of failing the whole workspace (the app lists the others)."""
    paths = [Path(p) for p in (paths or [Path.cwd()])]
    modules: list[ModuleConfig] = []
    left_out: list[LeftOut] = []
    settings_ws: Workspace | None = None
    for raw in paths:
        path = raw.resolve()
        if not path.exists():
            raise ConfigError("no such file or folder", file=str(raw),
                              hint="pass a module folder, a workspace folder or workbench.toml")
        if path.is_file() and path.name == "module.toml":
            path = path.parent
        ws_file = path if path.is_file() else path / WORKSPACE_FILE
        if path.is_file() and path.suffix == ".wasm":  # a module another tool built
            settings_ws = settings_ws or _enclosing_workspace(path.parent)
            base = settings_ws.chaos if settings_ws else None
            modules.append(load_wasm_file(path, base_chaos=base))
        elif ws_file.is_file() and ws_file.suffix == ".toml":
            ws = _load_workspace_file(ws_file, broken=broken)
            settings_ws = settings_ws or ws
            modules.extend(ws.modules)
            left_out.extend(ws.left_out)
        elif not path.is_dir():  # another file, or a device / socket / fifo
            raise ConfigError("expected a folder, a workbench.toml or a .wasm file",
                              file=str(raw))
        elif is_module_folder(path):
            settings_ws = settings_ws or _enclosing_workspace(path)
            base = settings_ws.chaos if settings_ws else None
            modules.extend(_load(path, base, broken, left_out))
        else:
            children = _module_children(path)
            if not children and any(path.glob("*.wat")):
                raise not_a_module(path)  # several .wat files: says which to pick
            if not children:
                raise ConfigError(
                    "no modules here: no workbench.toml, module.toml or obvious source",
                    file=str(raw), hint="add a module.toml (see docs/config.md)")
            settings_ws = settings_ws or _enclosing_workspace(path)
            base = settings_ws.chaos if settings_ws else None
            modules.extend(m for c in children for m in _load(c, base, broken, left_out))
    _check_unique(modules)
    if settings_ws is not None:
        return Workspace(root=settings_ws.root, modules=tuple(modules),
                         variables=settings_ws.variables, chaos=settings_ws.chaos,
                         debounce_ms=settings_ws.debounce_ms, settings=settings_ws.settings,
                         config_file=settings_ws.config_file, left_out=tuple(left_out))
    root = paths[0].resolve()
    return Workspace(root=root if root.is_dir() else root.parent, modules=tuple(modules),
                     left_out=tuple(left_out))


def nearest_workspace_file(start: Path) -> Path | None:
    """The workbench.toml in `start` or the nearest folder above it, if any."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / WORKSPACE_FILE
        if candidate.is_file():
            return candidate
    return None


def workspace_root(start: Path) -> Path:
    """The workspace folder of `start` (where .workbench/ lives), else the current folder."""
    found = nearest_workspace_file(start)
    return found.parent if found else Path.cwd()


def workspace_settings(start: Path) -> Workspace | None:
    """The settings (variables, chaos, ...) of `workspace_root(start)`'s workbench.toml,
    without loading its modules; None when there is none. A broken file is a ConfigError."""
    found = workspace_root(start) / WORKSPACE_FILE
    return _load_workspace_file(found, with_modules=False) if found.is_file() else None


def workspace_variables(start: Path) -> dict[str, Any]:
    """`[variables]` for `{{name}}` in saved requests near `start` (empty outside one)."""
    ws = workspace_settings(start)
    return dict(ws.variables) if ws else {}


def _enclosing_workspace(folder: Path) -> Workspace | None:
    """The workspace of the nearest workbench.toml above `folder` (its settings only)."""
    found = nearest_workspace_file(folder.resolve().parent)
    return _load_workspace_file(found, with_modules=False) if found else None


def _module_children(folder: Path) -> list[Path]:
    return sorted(c for c in folder.iterdir()
                  if c.is_dir() and not c.name.startswith(".") and is_module_folder(c))


Broken = list[tuple[Path, WorkbenchError]]


def _load(folder: Path, chaos: Chaos | None, broken: Broken | None,
          left_out: list[LeftOut] | None = None) -> list[ModuleConfig]:
    """load_module (every component of a Spin app), or (with `broken`) the folder and its
    error kept aside for the caller. `left_out` gets a Spin app's HTTP components that
    cannot be opened (a remote source...), with why."""
    def load() -> list[ModuleConfig]:
        if is_spin_app(folder):
            skipped: list[tuple[str, str]] = []
            found = load_spin_app(folder, base_chaos=chaos, skipped=skipped)
            if left_out is not None:
                left_out.extend(LeftOut(name, folder.resolve(), why, None)
                                for name, why in skipped)
            return found
        return [load_module(folder, base_chaos=chaos)]

    if broken is None:
        return load()
    try:
        return load()
    except WorkbenchError as e:  # a broken module.toml: the other modules still load
        broken.append((folder, e))
        return []


def _load_workspace_file(path: Path, *, with_modules: bool = True,
                         broken: Broken | None = None) -> Workspace:
    doc, text = read_toml(path)
    ck = Checker(path, text)
    ck.check_keys(doc, WORKSPACE_KEYS)
    root = path.parent
    chaos = parse_chaos(ck, doc, Chaos())
    debounce = ck.integer(doc, "debounce_ms", minimum=0)
    if debounce is not None and debounce > 5000:
        raise ck.error("debounce_ms", "debounce_ms above 5000 ms makes saves feel lost",
                       hint="allowed: 0..5000 (default 50)")
    variables = _variables(ck, doc)
    settings: dict[str, Any] = dict(ck.table(doc, "settings"))
    for key in ("theme", "kv_file", "secrets_file"):
        value = ck.string(doc, key)
        if value is not None:
            settings[key] = value
    replay = ck.boolean(doc, "replay_on_build")
    settings["replay_on_build"] = True if replay is None else replay
    folders = ck.strings(doc, "modules")
    optional = ck.strings(doc, OPTIONAL_KEY) or ()
    modules: list[ModuleConfig] = []
    left_out: list[LeftOut] = []
    spin_left: list[LeftOut] = []  # Spin components that cannot be opened
    if not with_modules:
        pass  # settings only: the caller loads the module folders it was given
    elif folders is None:
        modules = [m for c in _module_children(root)
                   for m in _load(c, chaos, broken, spin_left)]
    else:
        modules = _listed_modules(ck, root, folders, chaos, broken, spin_left)
    if with_modules and optional:
        listed, left_out = load_optional(ck, optional, root, chaos)
        have = {m.root for m in modules}
        modules.extend(m for m in listed if m.root not in have)
        if folders is None:  # every child folder was taken: drop the ones left out
            gone = {k.root for k in left_out}
            modules = [m for m in modules if m.root not in gone]
        else:  # named in `modules` too: listed (its build says what is missing)
            left_out = [k for k in left_out if k.root not in have]
    return Workspace(root=root, modules=tuple(modules), variables=variables, chaos=chaos,
                     debounce_ms=DEFAULT_DEBOUNCE_MS if debounce is None else debounce,
                     settings=settings, config_file=path,
                     left_out=tuple(left_out + spin_left))


def _listed_modules(ck: Checker, root: Path, folders: tuple[str, ...], chaos: Chaos,
                    broken: Broken | None = None,
                    left_out: list[LeftOut] | None = None) -> list[ModuleConfig]:
    """The module folders `modules = [...]` names: paths, or globs inside the workspace
    folder. Each folder is read once however often it is listed (a Spin app's folder
    gives all its components)."""
    modules: dict[Path, list[ModuleConfig]] = {}
    for entry in folders:
        pattern = any(ch in entry for ch in "*?[")
        if pattern and (Path(entry).is_absolute() or ".." in Path(entry).parts):
            raise ck.error("modules", f"the glob {entry!r} leaves the workspace folder",
                           hint=f"globs match folders inside {root}; name a folder outside "
                                "it as a plain path")
        try:
            matches = sorted(root.glob(entry)) if pattern else [root / entry]
            found = [m for m in matches if m.is_dir()]
        except (OSError, ValueError, NotImplementedError) as e:
            raise ck.error("modules", f"cannot match {entry!r}: {e}",
                           hint=f"paths are relative to {root}") from None
        if pattern:  # a glob picks the module folders among what it matches
            found = [m for m in found if not m.name.startswith(".") and is_module_folder(m)]
            if not found:
                raise ck.error("modules", f"no module folder matches {entry!r}",
                               hint=f"paths are relative to {root}; a module folder has "
                                    "a module.toml or one obvious source")
        if not found:
            raise ck.error("modules", f"module folder {entry!r} does not exist",
                           hint=f"paths are relative to {root}")
        for folder in found:
            key = folder.resolve()
            if key in modules:
                continue
            if not is_module_folder(folder):
                raise ck.error("modules", f"{entry!r} is not a module folder",
                               hint="it needs a module.toml or one obvious source")
            modules[key] = _load(folder, chaos, broken, left_out)
    return [cfg for found in modules.values() for cfg in found]


def _variables(ck: Checker, doc: dict[str, Any]) -> dict[str, str]:
    tbl = ck.table(doc, "variables")
    out: dict[str, str] = {}
    for key, value in tbl.items():
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, str | int | float):
            out[key] = str(value)
        else:
            raise ck.error(f"variables.{key}", f"variables.{key} must be a string or number",
                           hint='for example host = "example.com"')
    return out


def _check_unique(modules: list[ModuleConfig]) -> None:
    seen: dict[str, ModuleConfig] = {}
    for m in modules:
        other = seen.get(m.name)
        if other is not None and other.root != m.root:
            raise ConfigError(
                f"two modules are named {m.name!r}: {other.root} and {m.root}",
                file=str(m.config_file or m.root), key="name",
                hint="give one of them another name in its module.toml")
        seen[m.name] = m
    # the same folder given twice is one module; .wasm files of one folder are several
    modules[:] = list({(m.root, m.output): m for m in modules}.values())
