"""workbench.toml (a workspace) and module.toml (one handler module).

`load_module(folder)` reads one module folder; a folder without module.toml still works
when it holds one obvious source (`*.wat`, `main.c`, `main.zig`, `Cargo.toml`,
`asconfig.json`), so pointing the workbench at a fresh folder needs no ceremony.
`load_workspace(paths)` turns command-line paths (workspace files, workspace folders,
module folders, or folders of module folders) into one `Workspace`.
The file formats are documented in docs/config.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.config.check import Checker, read_toml
from workbench.config.host import parse_host
from workbench.config.requires import parse_requires
from workbench.config.tables import parse_budget, parse_chaos, parse_limits
from workbench.core.build.requires import Requirement
from workbench.core.errors import ConfigError
from workbench.core.runtime.host_config import HostConfig
from workbench.core.runtime.limits import Chaos, Limits
from workbench.core.size.budget import Budget

MODULE_FILE = "module.toml"
SPIN_FILE = "spin.toml"  # a Spin app's manifest (config/spin.py)
WORKSPACE_FILE = "workbench.toml"
TOOLCHAINS = ("wat", "c", "zig", "rust", "assemblyscript", "command", "prebuilt")
PROFILES = ("debug", "release")
ABIS = ("edge", "wagi", "auto")
STRIPS = ("none", "debug", "all")  # custom sections a build keeps: all / all but DWARF / none
TARGETS = ("wasm32-freestanding", "wasm32-wasi")
MODULE_KEYS = ("name", "toolchain", "sources", "command", "output", "profile", "abi", "target",
               "flags", "exports", "strip", "hooks", "requests", "budget", "limits", "chaos",
               "sign", "secrets", "route",  # sign: workbench.config.trust (signatures)
               "outbound", "extism",  # workbench.config.host
               "requires")  # workbench.config.requires
WORKSPACE_KEYS = ("modules", "variables", "chaos", "debounce_ms", "theme", "replay_on_build",
                  "kv_file", "secrets_file", "settings", "optional_modules",
                  "trust", "purity")  # workbench.config.trust / .purity
DEFAULT_DEBOUNCE_MS = 50

# Source globs watched (and handed to the compiler where it takes files) per toolchain.
DEFAULT_SOURCES: dict[str, tuple[str, ...]] = {
    "wat": ("*.wat",),
    "c": ("**/*.c", "**/*.h"),
    "zig": ("**/*.zig",),
    "rust": ("src/**/*.rs", "Cargo.toml"),
    "assemblyscript": ("assembly/**/*.ts", "asconfig.json", "package.json"),
    "command": ("**/*",),
    "prebuilt": (),  # the output file itself (see module_from)
}
# The edge ABI's exports; C needs them spelled out for wasm-ld.
EDGE_EXPORTS = ("memory", "alloc", "handle")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")  # a file name, with room


@dataclass(frozen=True)
class ModuleConfig:
    """One module: where its sources are, how to build it, and how to run it."""

    name: str
    root: Path
    toolchain: str
    sources: tuple[str, ...]
    command: str | None
    output: Path
    profile: str = "release"
    abi: str = "auto"
    target: str = "wasm32-freestanding"
    budget: Budget = field(default_factory=Budget)
    limits: Limits = field(default_factory=Limits)
    chaos: Chaos = field(default_factory=Chaos)
    hooks: Path | None = None
    requests: Path | None = None
    flags: tuple[str, ...] = ()  # extra compiler arguments
    exports: tuple[str, ...] = EDGE_EXPORTS  # symbols exported by C builds (edge ABI)
    config_file: Path | None = None  # None when inferred from the folder's contents
    strip: str | None = None  # "none" | "debug" | "all"; None: the default, see strip_mode
    secrets: tuple[str, ...] = ()  # names from .workbench/secrets.toml this module may read
    route: str | None = None  # path prefix `workbench serve` routes here (None: the default)
    host: HostConfig = field(default_factory=HostConfig)  # [[outbound]] stubs, [extism]
    requires: tuple[Requirement, ...] = ()  # tools the build runs (checked before it)
    spin_route: str | None = None  # a Spin trigger's route as written (config/spin.py)

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def strip_mode(self) -> str:
        """What the build strips: `strip` when set, else "debug" for C/Zig release builds
        (DWARF goes, the name section stays so size views show function names) and
        "none" otherwise (debug builds keep DWARF; other toolchains' output is kept as is).
        """
        if self.strip is not None:
            return self.strip
        if self.toolchain in ("c", "zig") and self.profile == "release":
            return "debug"
        return "none"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "root": str(self.root), "toolchain": self.toolchain,
            "sources": list(self.sources), "command": self.command,
            "output": str(self.output), "profile": self.profile, "abi": self.abi,
            "target": self.target, "budget": self.budget.to_json(),
            "limits": self.limits.to_json(), "chaos": self.chaos.to_json(),
            "hooks": str(self.hooks) if self.hooks else None,
            "requests": str(self.requests) if self.requests else None,
            "flags": list(self.flags), "exports": list(self.exports),
            "strip": self.strip_mode,
            "config_file": str(self.config_file) if self.config_file else None,
            "secrets": list(self.secrets),
            "route": self.route,
            "host": self.host.to_json(),
            "requires": [r.to_json() for r in self.requires],
            "spin_route": self.spin_route,
        }


@dataclass(frozen=True)
class Workspace:
    """Modules opened together, plus settings shared by all of them."""

    root: Path
    modules: tuple[ModuleConfig, ...]
    variables: dict[str, str] = field(default_factory=dict)
    chaos: Chaos = field(default_factory=Chaos)
    debounce_ms: int = DEFAULT_DEBOUNCE_MS
    settings: dict[str, Any] = field(default_factory=dict)
    config_file: Path | None = None
    left_out: tuple[LeftOut, ...] = ()  # optional_modules whose toolchain is missing

    def module(self, name: str) -> ModuleConfig | None:
        return next((m for m in self.modules if m.name == name), None)

    def to_json(self) -> dict[str, Any]:
        return {"root": str(self.root), "modules": [m.to_json() for m in self.modules],
                "variables": dict(self.variables), "chaos": self.chaos.to_json(),
                "debounce_ms": self.debounce_ms, "settings": dict(self.settings),
                "config_file": str(self.config_file) if self.config_file else None,
                "left_out": [m.to_json() for m in self.left_out]}


@dataclass(frozen=True)
class LeftOut:
    """A workspace's optional module that is not opened: its toolchain is not installed."""

    name: str
    root: Path
    reason: str
    hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "root": str(self.root), "reason": self.reason,
                "hint": self.hint}


def infer_toolchain(folder: Path) -> str | None:
    """The toolchain a folder without module.toml obviously uses, or None if unclear
    (no known source, or several .wat files: which one is the module?)."""
    if (folder / "Cargo.toml").is_file():
        return "rust"
    if (folder / "asconfig.json").is_file():
        return "assemblyscript"
    if (folder / "main.zig").is_file() or (folder / "src" / "main.zig").is_file():
        return "zig"
    if (folder / "main.c").is_file() or (folder / "src" / "main.c").is_file():
        return "c"
    if len(list(folder.glob("*.wat"))) == 1:
        return "wat"
    if not list(folder.glob("*.wat")) and len(list(folder.glob("*.wasm"))) == 1:
        return "prebuilt"  # a module another tool built (spin build, cargo...): read as is
    return None


def is_module_folder(folder: Path) -> bool:
    return ((folder / MODULE_FILE).is_file() or (folder / SPIN_FILE).is_file()
            or infer_toolchain(folder) is not None)


def load_module(folder: Path, *, base_chaos: Chaos | None = None) -> ModuleConfig:
    """Read `folder/module.toml` (or infer defaults). Raises ConfigError naming file and key.
    A Spin app's folder is read by `config.folders.load_module`, which callers use."""
    folder = Path(folder).resolve()
    path = folder / MODULE_FILE
    if not path.is_file():
        toolchain = infer_toolchain(folder)
        if toolchain is None:
            raise not_a_module(folder)
        return module_from(folder, {}, Checker(path, ""), toolchain, None, base_chaos)
    doc, text = read_toml(path)
    ck = Checker(path, text)
    ck.check_keys(doc, MODULE_KEYS)
    toolchain = ck.string(doc, "toolchain", choices=TOOLCHAINS)
    if toolchain is None:  # a command says how to build; else the folder's contents do
        toolchain = "command" if "command" in doc else infer_toolchain(folder)
    if toolchain is None:
        raise ck.error("toolchain", "toolchain is missing and cannot be inferred",
                       hint="allowed: " + ", ".join(TOOLCHAINS))
    return module_from(folder, doc, ck, toolchain, path, base_chaos)


def not_a_module(folder: Path) -> ConfigError:
    """The error for a folder without module.toml whose contents do not say how to build."""
    wats = sorted(p.name for p in folder.glob("*.wat"))
    if len(wats) > 1:
        return ConfigError(
            f"{len(wats)} .wat files ({', '.join(wats[:4])}) and no module.toml: which one "
            "is the module?", file=str(folder / MODULE_FILE),
            hint=f'add a module.toml with sources = ["{wats[0]}"]')
    return ConfigError(
        "not a module folder: no module.toml and no obvious source",
        file=str(folder / MODULE_FILE),
        hint="add a module.toml, or one of: a single *.wat, main.c, main.zig, "
             "Cargo.toml, asconfig.json")


def module_from(folder: Path, doc: dict[str, Any], ck: Checker, toolchain: str,
                 path: Path | None, base_chaos: Chaos | None) -> ModuleConfig:
    name = ck.string(doc, "name", folder.name) or folder.name
    if not _NAME_RE.fullmatch(name):
        shown = name if len(name) <= 60 else f"{name[:40]}... ({len(name):,} characters)"
        raise ck.error("name", f"name {shown!r} cannot be used as a file name",
                       hint="letters, digits, '.', '_' and '-' only, at most 100 characters")
    command = ck.string(doc, "command")
    if toolchain == "command" and not command:
        raise ck.error("command", "toolchain = \"command\" needs a command",
                       hint='for example command = "make wasm" (it runs in the module folder)',
                       near="toolchain")
    _check_unused(ck, doc, toolchain)
    abi = ck.string(doc, "abi", "auto", choices=ABIS) or "auto"
    default_target = "wasm32-wasi" if abi == "wagi" else "wasm32-freestanding"
    target = ck.string(doc, "target", default_target, choices=TARGETS) or default_target
    if "exports" in doc and target == "wasm32-wasi":
        raise ck.error("exports", "exports is not used by a wasm32-wasi (WAGI) build",
                       hint="a WAGI module is a command: it exports _start; remove exports")
    sources = ck.strings(doc, "sources") or DEFAULT_SOURCES[toolchain]
    if toolchain == "prebuilt":
        out_path, sources = _prebuilt(ck, doc, folder)
        if "name" not in doc and path is None:
            name = _file_name(out_path.stem, name)
    else:
        out_path = _output(ck, doc, folder, name)
    return ModuleConfig(
        name=name, root=folder, toolchain=toolchain, sources=sources,
        command=command, output=out_path,
        profile=ck.string(doc, "profile", "release", choices=PROFILES) or "release",
        abi=abi, target=target,
        budget=parse_budget(ck, doc), limits=parse_limits(ck, doc),
        chaos=parse_chaos(ck, doc, base_chaos),
        hooks=_optional_path(ck, doc, folder, "hooks", "hooks.toml", want_dir=False),
        requests=_optional_path(ck, doc, folder, "requests", "requests", want_dir=True),
        flags=ck.strings(doc, "flags") or (),
        exports=ck.strings(doc, "exports") or EDGE_EXPORTS,
        config_file=path, strip=ck.string(doc, "strip", choices=STRIPS),
        secrets=_secret_names(ck, doc),
        route=_route(ck, doc),
        host=parse_host(ck, doc, folder),
        requires=parse_requires(ck, doc),
    )


_SECRET_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def _secret_names(ck: Checker, doc: dict[str, Any]) -> tuple[str, ...]:
    """`secrets = ["API_TOKEN", ...]`: the secrets this module's handler may read."""
    names = ck.strings(doc, "secrets") or ()
    for name in names:
        if not _SECRET_NAME.match(name):
            raise ck.error("secrets", f"{name!r} is not a secret name",
                           hint="names as in .workbench/secrets.toml, e.g. API_TOKEN")
    return tuple(names)


def _route(ck: Checker, doc: dict[str, Any]) -> str | None:
    """`route = "/api"`: a path prefix for `workbench serve` (whole segments match)."""
    route = ck.string(doc, "route")
    if route is None:
        return None
    if not route.startswith("/") or any(c in "?#* \t\x7f" or c < " " for c in route):
        raise ck.error("route", f"route = {route!r} is not a path prefix",
                       hint='start with "/" and use no query, wildcard or spaces: '
                            'route = "/api"')
    return route.rstrip("/") or "/"


# Keys only some toolchains read: set for another one, they would be silently ignored.
_USED_BY = {"command": ("command",), "flags": ("c", "zig", "rust", "assemblyscript"),
            "exports": ("c",)}


def _check_unused(ck: Checker, doc: dict[str, Any], toolchain: str) -> None:
    for key, users in _USED_BY.items():
        if key in doc and toolchain not in users:
            raise ck.error(key, f"{key} is not used by toolchain = \"{toolchain}\"",
                           hint=f"{key} applies to: {', '.join(users)}" + (
                               " (a Zig module exports every `export fn`)"
                               if key == "exports" else "") + "; remove it")


def _output(ck: Checker, doc: dict[str, Any], folder: Path, name: str) -> Path:
    """The output path: a .wasm file (a build replaces it, so never a source file)."""
    output = ck.string(doc, "output")
    if output is None:
        return (folder / "build" / f"{name}.wasm").resolve()
    path = (folder / output).resolve()
    if path.suffix != ".wasm":
        raise ck.error("output", f"output = {output!r} must end in .wasm",
                       hint="a build replaces this file, so it must not be a source; "
                            'for example output = "build/handler.wasm"')
    allowed = _allowed_roots(folder)
    if not any(r in path.parents for r in allowed):
        raise ck.error("output", f"output = {output!r} resolves to {path}, outside the "
                       "module's folder and workspace",
                       hint="a build replaces this file: it must be inside the module "
                            'folder (symlinks are followed), e.g. output = "build/x.wasm"')
    if path.is_dir():
        raise ck.error("output", f"output = {output!r} is a folder",
                       hint='name the file, for example output = "build/handler.wasm"')
    return path


def _prebuilt(ck: Checker, doc: dict[str, Any], folder: Path) -> tuple[Path, tuple[str, ...]]:
    """toolchain = "prebuilt": `output` is a module another tool writes (the folder's one
    .wasm when not given); it is its own source, so saving it reloads it."""
    if ck.string(doc, "strip") not in (None, "none"):
        raise ck.error("strip", "a prebuilt module is read as is: strip does not apply",
                       hint="remove strip; `workbench strip FILE -o OUT` writes a copy")
    if "sources" in doc:
        raise ck.error("sources", "a prebuilt module's source is its output file",
                       hint="remove sources; set output to the .wasm your tool writes")
    if ck.string(doc, "output") is None:
        found = sorted(folder.glob("*.wasm"))
        if len(found) != 1:
            raise ck.error("output", "toolchain = \"prebuilt\" needs output: which .wasm?",
                           hint='for example output = "target/wasm32-wasi/release/app.wasm"',
                           near="toolchain")
        path = found[0].resolve()
    else:
        path = _output(ck, doc, folder, folder.name)
    try:
        rel = path.relative_to(folder.resolve()).as_posix()
    except ValueError:
        raise ck.error("output", f"{path} is outside the module folder",
                       hint="put module.toml in a folder above the .wasm (the project's "
                            "root), or open the .wasm file itself: workbench FILE.wasm"
                       ) from None
    return path, (rel,)


def _file_name(stem: str, fallback: str) -> str:
    """A module name from a file name (characters a name cannot have become '-')."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "-", stem).lstrip("-._")
    return name if _NAME_RE.match(name) else fallback


def load_wasm_file(path: Path, *, base_chaos: Chaos | None = None) -> ModuleConfig:
    """A module for one .wasm file (`workbench handler.wasm`): toolchain "prebuilt" in
    the file's folder, named after the file; a module.toml there is not read."""
    path = Path(path).resolve()
    folder = path.parent
    doc = {"output": path.name}
    return module_from(folder, doc, Checker(folder / MODULE_FILE, ""), "prebuilt", None,
                        base_chaos)


def _optional_path(ck: Checker, doc: dict[str, Any], folder: Path, key: str, default: str,
                   *, want_dir: bool) -> Path | None:
    value = ck.string(doc, key)
    if value is None:
        candidate = folder / default
        return candidate if candidate.exists() else None
    candidate = (folder / value).resolve()
    if not candidate.exists():
        raise ck.error(key, f"{key} = {value!r} does not exist",
                       hint=f"a path relative to {folder}")
    allowed = _allowed_roots(folder)
    if not any(candidate == r or r in candidate.parents for r in allowed):
        raise ck.error(key, f"{key} = {value!r} resolves to {candidate}, outside the module's "
                       "folder and workspace",
                       hint="a module folder may name files inside it or its workspace "
                            "(the folder holding workbench.toml); symlinks are followed")
    if not (candidate.is_dir() or candidate.is_file()):
        raise ck.error(key, f"{key} = {value!r} is not a regular file or folder",
                       hint="FIFOs, devices and sockets are never read")
    if want_dir and not candidate.is_dir() and candidate.suffix not in (".hurl", ".http"):
        raise ck.error(key, f"{key} must be a folder or a .hurl/.http file")
    if not want_dir and not candidate.is_file():
        raise ck.error(key, f"{key} = {value!r} is a folder, not a file",
                       hint=f"name the file, for example {key} = \"{default}\"")
    return candidate


def _allowed_roots(folder: Path) -> tuple[Path, ...]:
    """The module folder, and the nearest folder above it holding workbench.toml."""
    for parent in folder.parents:
        if (parent / WORKSPACE_FILE).is_file():
            return (folder, parent.resolve())
    return (folder,)


__all__ = ["ModuleConfig", "Workspace", "load_module", "infer_toolchain",
           "is_module_folder", "not_a_module", "TOOLCHAINS", "PROFILES", "ABIS", "TARGETS",
           "STRIPS"]
