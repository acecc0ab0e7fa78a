"""A Spin app folder (spin.toml, manifest version 2) opened as it is: one module per HTTP
component, built with the component's own `build.command` (what `spin build` runs),
served at its trigger's route.

Each `[[trigger.http]]` whose component has a local `source` becomes a module:

- name: the component id (an inline component: the app name and the trigger's index);
- folder: the component's `build.workdir` when its source is inside it (`spin add` puts
  each component in its own folder), else the folder holding spin.toml;
- toolchain: "command" running `build.command` in that folder (trusted first, like any
  command), watching `build.watch` (everything in the folder when not given); without a
  build command: "prebuilt", the source file reloaded whenever another tool writes it;
- route: the trigger's route as a prefix ("/..." is "/", "/api/..." and "/users/:id" are
  "/api" and "/users"; an exact route "/hello" also answers below it here);
- a `wagi` executor: abi = "wagi";
- requires: the build command's program (cargo, npm...), so a missing one is named with
  what to install before anything runs.

Not read (the workbench does not host them): private routes, remote or registry
sources, variables, key-value stores, outbound hosts, files. A module.toml beside
spin.toml takes precedence (it describes one module, as anywhere else).
"""

from __future__ import annotations

import dataclasses
import re
import shlex
from pathlib import Path
from typing import Any

from workbench.config.check import Checker, read_toml
from workbench.config.module import MODULE_FILE, SPIN_FILE, ModuleConfig, module_from
from workbench.config.spin_v1 import is_v1, v1_as_v2
from workbench.core.errors import ConfigError
from workbench.core.runtime.limits import Chaos

TEMPLATE_HINT = ("a `spin new` template's spin.toml has {{ ... }} placeholders that "
                 "`spin new` fills in: open the app it made, or write the values")


def is_spin_app(folder: Path) -> bool:
    """A Spin app folder the workbench reads through spin.toml: a module.toml beside it
    takes precedence (it describes one module, as anywhere else)."""
    return (folder / SPIN_FILE).is_file() and not (folder / MODULE_FILE).is_file()


def load_spin_app(folder: Path, *, base_chaos: Chaos | None = None,
                  skipped: list[tuple[str, str]] | None = None) -> list[ModuleConfig]:
    """Every HTTP component of `folder/spin.toml` as a module. Raises ConfigError (file,
    line, what to do) for a manifest the workbench cannot read or that has none.
    `skipped` gets (component, why) for the HTTP components it cannot open (a remote
    source, a private route), so front ends can say so instead of omitting them."""
    folder = Path(folder).resolve()
    path = folder / SPIN_FILE
    try:
        doc, text = read_toml(path)
    except ConfigError as e:
        if not e.message.startswith("invalid TOML") or not _has_braces(path):
            raise
        raise ConfigError(e.message, file=e.file, line=e.line, column=e.column,
                          hint=TEMPLATE_HINT) from None
    ck = Checker(path, text)
    if is_v1(doc):  # Spin 2 and 3 still run these
        doc = v1_as_v2(ck, doc)
    version = doc.get("spin_manifest_version")
    if version != 2:
        said = ("no spin_manifest_version" if version is None
                else f"spin_manifest_version = {version!r}")
        raise ck.error("spin_manifest_version",
                       f"{said}: the workbench reads Spin manifests of version 1 and 2",
                       hint="a Spin 2 or later manifest starts with "
                            "spin_manifest_version = 2")
    app = _table(doc, "application")
    app_name = str(app.get("name") or folder.name)
    triggers = _table(doc, "trigger").get("http")
    if not isinstance(triggers, list) or not triggers:
        raise ck.error("trigger", "no [[trigger.http]] in spin.toml: nothing here answers "
                       "HTTP", hint="the workbench runs HTTP components; add a trigger, "
                       "or open the component's .wasm file")
    components = _table(doc, "component")
    modules: list[ModuleConfig] = []
    left: list[tuple[str, str]] = []
    http_ids = {t.get("component") for t in triggers  # (an inline one has no id)
                if isinstance(t, dict) and isinstance(t.get("component"), str)}
    roots = _own_roots(folder, {c: t for c, t in components.items() if c in http_ids})
    for index, trig in enumerate(triggers):
        if not isinstance(trig, dict):
            raise ck.error("trigger", f"[[trigger.http]] #{index + 1} is not a table")
        cid, table = _component(ck, trig, components, f"{app_name}-{index + 1}")
        route = trig.get("route")
        if isinstance(route, dict):
            left.append((cid, "a private route (local service chaining)"))
            continue
        source = table.get("source")
        if not isinstance(source, str):
            left.append((cid, "its source is not a local .wasm file (a URL or registry "
                               "package): the workbench builds and runs local files"))
            continue
        if any(m.name == cid for m in modules):  # one component at two routes: one
            continue  # build, one module, served at its first route
        cfg = _module(ck, folder, cid, table, source, _route(ck, route), trig, path,
                      base_chaos, roots.get(cid))
        modules.append(dataclasses.replace(cfg, spin_route=route))
    if not modules:
        raise ck.error("trigger", "no HTTP component here can be run locally: "
                       + "; ".join(f"{c}: {why}" for c, why in left),
                       hint="the workbench runs components whose source is a local .wasm "
                            "file")
    _distinct_folders(ck, modules)
    if skipped is not None:
        skipped.extend(left)
    return modules


def _has_braces(path: Path) -> bool:
    """Whether spin.toml holds a `{{` (an un-rendered template's placeholder)."""
    try:
        return b"{{" in path.read_bytes()
    except OSError:
        return False


def _table(doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key)
    return value if isinstance(value, dict) else {}


def load_spin_component(folder: Path, name: str | None = None, *,
                        base_chaos: Chaos | None = None) -> ModuleConfig:
    """One component of the Spin app in `folder`: `name`, or the only one there is."""
    modules = load_spin_app(folder, base_chaos=base_chaos)
    if name is not None:
        for m in modules:
            if m.name == name:
                return m
        raise ConfigError(f"spin.toml has no HTTP component named {name!r} any more",
                          file=str(Path(folder) / SPIN_FILE),
                          hint="components here: " + ", ".join(m.name for m in modules))
    if len(modules) > 1:
        raise ConfigError(
            f"this Spin app has {len(modules)} HTTP components "
            f"({', '.join(m.name for m in modules)}): which one?",
            file=str(Path(folder) / SPIN_FILE),
            hint="pass the component's .wasm file (" + ", ".join(
                _shown(m.output) for m in modules[:3]) + "); the app and `workbench serve` "
                 "open the whole Spin app folder")
    return modules[0]


def _shown(path: Path) -> str:
    """`path` relative to the working folder when it is below it (as a user types it)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _component(ck: Checker, trig: dict[str, Any], components: dict[str, Any],
               inline_name: str) -> tuple[str, dict[str, Any]]:
    comp = trig.get("component")
    if isinstance(comp, dict):  # an inline component
        return inline_name, comp
    if not isinstance(comp, str):
        raise ck.error("component", "a [[trigger.http]] needs component = \"<id>\"")
    table = components.get(comp)
    if not isinstance(table, dict):
        raise ck.error("component", f"component = {comp!r}: no [component.{comp}] table",
                       hint="components here: " + (", ".join(components) or "none"))
    return comp, table


def _route(ck: Checker, route: Any) -> str:
    """A Spin route as a prefix: wildcards ("/...") and parameters (":id") cut."""
    if not isinstance(route, str) or not route.startswith("/"):
        raise ck.error("route", f"route = {route!r} is not a Spin route",
                       hint='for example route = "/..." or route = "/api/..."')
    kept: list[str] = []
    for segment in route.split("/")[1:]:
        if segment == "..." or segment.startswith(":"):
            break
        if segment:
            kept.append(segment)
    return "/" + "/".join(kept)


def _module(ck: Checker, folder: Path, cid: str, table: dict[str, Any], source: str,
            route: str, trig: dict[str, Any], path: Path,
            base_chaos: Chaos | None, own_root: Path | None) -> ModuleConfig:
    build = _table(table, "build")
    workdir = (folder / str(build.get("workdir", "."))).resolve()
    wasm = (folder / source).resolve()
    command = build.get("command")
    if isinstance(command, list):  # several commands: run in order
        command = " && ".join(str(c) for c in command)
    program = str(command or "").lstrip()  # `{{.Dir}}` further on is the shell's (Go's)
    for key, value in (("source", source), ("command", command)):
        if isinstance(value, str) and "{{" in (value if key == "source" else program[:2]):
            raise ck.error(key, f"{key} = {value!r} holds a {{{{ ... }}}} expression: "
                           "Spin expands variables in a component's variables, "
                           "environment and allowed_outbound_hosts, not in source or "
                           "build.command", hint=TEMPLATE_HINT)
    if folder not in wasm.parents:
        raise ck.error("source", f"source = {source!r} of component {cid!r} is {wasm}, "
                       "outside the Spin app's folder: the workbench builds and reloads "
                       "files inside it", hint=f"open the .wasm file itself: workbench {wasm}")
    if command and workdir != folder:  # the build's folder, even when it writes its
        root = workdir  # .wasm elsewhere in the app (finicky-whiskers: ../components/)
    elif own_root is not None:  # several builds from the app folder (_own_roots)
        root = own_root
    else:
        root = workdir if workdir != folder and workdir in wasm.parents else folder
    elsewhere = root not in wasm.parents and folder in wasm.parents
    doc: dict[str, Any] = {"name": cid, "route": route,
                           "output": wasm.relative_to(root).as_posix()
                           if root in wasm.parents else source}
    if elsewhere:
        del doc["output"]  # set below: module.toml's `output` stays inside its folder
    executor = trig.get("executor")
    if isinstance(executor, dict) and executor.get("type") == "wagi":
        doc["abi"] = "wagi"
    if not command:
        return module_from(root, doc, ck, "prebuilt", path, base_chaos)
    doc["command"] = str(command)
    tool = str(command).split(maxsplit=1)[0] if str(command).strip() else ""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.+-]*", tool):  # cargo, npm, componentize-py...
        doc["requires"] = [tool]  # missing: "install cargo", not a shell's exit 127
    if root != workdir:  # the command runs in its workdir, as `spin build` runs it
        doc["command"] = f"cd {shlex.quote(str(workdir))} && {command}"
    watch = build.get("watch")
    if isinstance(watch, list) and watch:  # globs relative to the workdir
        top = "" if root == workdir else root.relative_to(workdir).as_posix() + "/"
        inside = [str(w)[len(top):] for w in watch if str(w).startswith(top)]
        if inside:  # (a folder of its own: the globs below it)
            doc["sources"] = inside
    cfg = module_from(root, doc, ck, "command", path, base_chaos)
    return dataclasses.replace(cfg, output=wasm) if elsewhere else cfg


def _own_roots(folder: Path, components: dict[str, Any]) -> dict[str, Path]:
    """A folder of its own for each component built from the app folder itself (no
    build.workdir) when there are several: the top folder of its source, when those
    differ (spin's examples/spin-wagi-http: "wagi-http-cpp/main.wasm" and
    "http-rust/target/..."). The command still runs in the app folder."""
    tops: dict[str, str] = {}
    for cid, table in components.items():
        if not isinstance(table, dict) or not isinstance(table.get("source"), str):
            continue
        build = _table(table, "build")
        if not build.get("command") or str(build.get("workdir", ".")) not in (".", "./"):
            continue
        tops[cid] = _top(table["source"])
        if tops[cid] in _BUILD_FOLDERS | {""}:  # a Cargo workspace's target/: the folder
            watched = {_top(str(w)) for w in build.get("watch") or [] if _top(str(w))}
            if len(watched) == 1:  # its build.watch globs are in (AuthorWorks/authorworks)
                tops[cid] = watched.pop()
    if len(tops) < 2:
        return {}
    counts = {t: list(tops.values()).count(t) for t in tops.values()}
    return {cid: folder / top for cid, top in tops.items()
            if top and counts[top] == 1 and top not in _BUILD_FOLDERS}


_BUILD_FOLDERS = {"target", "dist", "build", "out", "bin", "pkg"}


def _top(relpath: str) -> str:
    """The first folder of a relative path ("" for a file of the app folder itself)."""
    parts = [p for p in Path(relpath).parts if p != "."]
    return parts[0] if len(parts) > 1 and parts[0] not in ("..", "*", "**") else ""


def _distinct_folders(ck: Checker, modules: list[ModuleConfig]) -> None:
    """The watcher tells built modules apart by their folder: two components building in
    one folder would share it (`spin add` gives each a workdir)."""
    seen: dict[Path, str] = {}
    for m in modules:
        if m.toolchain == "prebuilt":
            continue
        other = seen.get(m.root)
        if other is not None:
            raise ck.error("workdir", f"components {other!r} and {m.name!r} both build in "
                           f"{m.root}: the workbench keeps one built module per folder",
                           hint="give each component its own build.workdir (as `spin add` "
                                "does), or open each component's .wasm file")
        seen[m.root] = m.name
