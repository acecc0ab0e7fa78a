"""`workbench init`: a starter workspace copied from the shipped samples.

Only what a user edits is copied (sources, module.toml, hooks, saved requests); build
output and installed packages are not. An existing non-empty folder is never written to.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from workbench.config.shipped import samples_dir
from workbench.core.errors import UsageError

SKIP = ("build", "node_modules", ".workbench", "__pycache__", "target")


@dataclass(frozen=True)
class Scaffold:
    root: Path
    modules: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"root": str(self.root), "modules": list(self.modules)}


def available_samples() -> list[str]:
    """Sample folders (each with a module.toml), sorted."""
    src = samples_dir()
    return sorted(p.name for p in src.iterdir() if (p / "module.toml").is_file()) \
        if src.is_dir() else []


def default_modules() -> list[str]:
    """The modules listed in the samples' workbench.toml (the ones that build with pip only)."""
    import tomllib

    try:
        doc = tomllib.loads((samples_dir() / "workbench.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return available_samples()
    mods = doc.get("modules")
    return [str(m) for m in mods] if isinstance(mods, list) else available_samples()


def init_workspace(dest: Path, samples: list[str] | None = None) -> Scaffold:
    """Copy `samples` (default: the default workspace) into a new workspace at `dest`."""
    src = samples_dir()
    if not src.is_dir():
        raise UsageError("the bundled samples are not installed with this copy of workbench",
                         hint="reinstall workbench, or clone its repository")
    known = available_samples()
    chosen = list(dict.fromkeys(samples)) if samples else default_modules()
    unknown = [s for s in chosen if s not in known]
    if unknown:
        raise UsageError(f"no sample named {', '.join(map(repr, unknown))}",
                         where="--sample", hint=f"one of: {', '.join(known)}")
    try:
        taken = os.path.lexists(dest) and (not dest.is_dir() or any(dest.iterdir()))
        created = not dest.exists()
    except OSError as e:  # a name too long, a folder that cannot be listed
        raise UsageError(f"cannot use {str(dest)[:80]} as the workspace folder: "
                         f"{e.strerror or e}", hint="pick another folder name") from None
    if taken:
        raise UsageError(f"{dest} already exists and is not an empty folder",
                         hint="pick a new folder name; nothing was written")
    try:
        dest.mkdir(parents=True, exist_ok=True)
        ignore = shutil.ignore_patterns(*SKIP, "*.pyc")
        for name in chosen:
            shutil.copytree(src / name, dest / name, ignore=ignore)
        (dest / "workbench.toml").write_text(_workspace_toml(src, chosen), encoding="utf-8")
    except (OSError, shutil.Error) as e:
        _undo(dest, created, chosen)
        why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise UsageError(f"cannot create the workspace in {dest}: {why}",
                         hint="pick a folder name you can create (nothing was left "
                              "behind)") from None
    return Scaffold(dest, tuple(chosen))


def _undo(dest: Path, created: bool, chosen: list[str]) -> None:
    """Remove what a failed init wrote: the folder it created, or only its own entries in
    the empty folder it was given."""
    if created:
        shutil.rmtree(dest, ignore_errors=True)
        return
    for name in (*chosen, "workbench.toml"):
        target = dest / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target, ignore_errors=True)
        elif os.path.lexists(target):
            target.unlink(missing_ok=True)


def _workspace_toml(src: Path, chosen: list[str]) -> str:
    lines = ["# A workbench workspace: `workbench` in this folder opens it.",
             "# Every key is described in docs/config.md of the workbench repository.",
             "modules = ["]
    lines += [f'    "{name}",' for name in chosen]
    lines += ["]", "debounce_ms = 50", ""]
    try:
        import tomllib

        doc = tomllib.loads((src / "workbench.toml").read_text(encoding="utf-8"))
        variables = doc.get("variables") or {}
    except (OSError, ValueError):
        variables = {}
    if variables:
        lines.append("[variables]")
        lines += [f"{k} = {_toml_str(str(v))}" for k, v in variables.items()]
        lines.append("")
    return "\n".join(lines)


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
