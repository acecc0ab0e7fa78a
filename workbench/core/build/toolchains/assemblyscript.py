"""The AssemblyScript toolchain: the module folder's own `asc`, run by node.

The compiler is the one `npm install` put in the folder's `node_modules` (or a parent's,
as npm workspaces hoist it), run as `node .../assemblyscript/bin/asc.js`: never `npx`,
which may download a package. Missing node, a missing `npm install` and an unreadable
asconfig.json are reported before anything runs, each with the command that fixes it.

`asconfig.json` drives the build: its `targets.<profile>` (`release`/`debug`) is passed
as `--target` when it exists; otherwise a release build gets `-O3 -Oz` equivalents
(`--optimizeLevel 3 --shrinkLevel 2`) unless the config's `options` choose. The entry
files are the config's `entries`, else `assembly/index.ts`. Every build passes `--debug`
so that function names survive (the code is the same bytes). The output always goes to
the builder's private file (`--outFile`), so a failed build keeps the previous module.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.build.diagnostics import parse_asc
from workbench.core.build.toolchains import Plan
from workbench.core.errors import ConfigError, ToolchainMissing

if TYPE_CHECKING:
    from workbench.core.build.spec import BuildSpec

DEFAULT_ENTRY = "assembly/index.ts"
ASC_JS = Path("node_modules", "assemblyscript", "bin", "asc.js")
_OPTIMIZE_KEYS = ("optimize", "optimizeLevel", "shrinkLevel")


def shown(folder: Path) -> str:
    """The folder as a user would type it: relative to the current folder when inside."""
    try:
        rel = folder.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return str(folder)
    return rel.as_posix() if rel.parts else str(folder.resolve())  # "in ." reads oddly


def find_asc(root: Path) -> Path | None:
    """`node_modules/assemblyscript/bin/asc.js` in `root` or the nearest folder above."""
    for folder in (root, *root.parents):
        candidate = folder / ASC_JS
        if candidate.is_file():
            return candidate
    return None


def missing_hint(root: Path) -> str:
    """What to run in `root` so that `find_asc` succeeds."""
    where = shown(root)
    try:
        manifest = json.loads((root / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    declared = isinstance(manifest, dict) and any(
        isinstance(manifest.get(k), dict) and "assemblyscript" in manifest[k]
        for k in ("devDependencies", "dependencies"))
    if declared:
        return f"run `npm install` in {where}"
    return f"run `npm install --save-dev assemblyscript` in {where}"


def read_asconfig(path: Path) -> dict[str, Any]:
    """asconfig.json as a dict ({} when absent); invalid JSON is a ConfigError at its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read asconfig.json: {exc}", file=str(path)) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"invalid JSON: {exc.msg}", file=str(path), line=exc.lineno,
                          hint="asc would stop with a stack trace: fix the JSON first") from None
    if not isinstance(doc, dict):
        raise ConfigError("asconfig.json must hold a JSON object", file=str(path))
    return doc


def asc_arguments(cfg: BuildSpec, asconfig: dict[str, Any], has_config: bool,
                  out: Path) -> list[str]:
    """asc's arguments (after `node asc.js`) for this module and profile."""
    args: list[str] = []
    entries = asconfig.get("entries")
    if not (isinstance(entries, list) and entries):
        if not (cfg.root / DEFAULT_ENTRY).is_file():
            raise ConfigError(f"no entry file: asconfig.json has no \"entries\" and "
                              f"{DEFAULT_ENTRY} does not exist",
                              file=str(cfg.root / "asconfig.json"), key="entries",
                              hint=f'add "entries": ["{DEFAULT_ENTRY}"] (or your file) to '
                                   "asconfig.json")
        args.append(DEFAULT_ENTRY)
    if has_config:
        args += ["--config", "asconfig.json"]
    targets = asconfig.get("targets")
    options = asconfig.get("options")
    if isinstance(targets, dict) and cfg.profile in targets:
        args += ["--target", cfg.profile]
    elif cfg.profile == "release" and not (
            isinstance(options, dict) and any(k in options for k in _OPTIMIZE_KEYS)):
        args += ["--optimizeLevel", "3", "--shrinkLevel", "2"]
    # `--debug` keeps function names (the `name` section) and, with `-O`, changes no
    # code: release builds keep names as C/Zig ones do, and `strip = "all"` drops them.
    args.append("--debug")
    args += ["--outFile", str(out), "--noColors", *cfg.flags]
    return args


def check_installed(root: Path) -> tuple[str, Path]:
    """(node, asc.js) for a module folder, or ToolchainMissing saying what to install."""
    node = shutil.which("node")
    if node is None:
        raise ToolchainMissing(
            "node is not installed: the AssemblyScript compiler runs on Node.js",
            where=str(root),
            hint=f"install Node.js 20 or newer (https://nodejs.org), then run `npm install` "
                 f"in {shown(root)}")
    asc = find_asc(root)
    if asc is None:
        raise ToolchainMissing(
            f"the AssemblyScript compiler is not installed: no {ASC_JS.as_posix()} in "
            f"{shown(root)} or above",
            where=str(root), hint=missing_hint(root))
    return node, asc


def plan_asc(cfg: BuildSpec, partial: Path) -> Plan:
    node, asc = check_installed(cfg.root)
    config_path = cfg.root / "asconfig.json"
    asconfig = read_asconfig(config_path)
    argv = [node, os.fspath(asc), *asc_arguments(cfg, asconfig, config_path.is_file(), partial)]
    return Plan("assemblyscript", cfg.root, partial, parse_asc, argv=tuple(argv))
