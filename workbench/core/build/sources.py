"""Which files are a module's sources: glob matching shared by the builder and the watcher.

Python 3.11's `PurePath.match` has no recursive `**`, so globs are translated to regexes
here once; the watcher then decides per file event, without touching the disk, whether a
path belongs to a module. Build outputs, tool caches, dot-folders and editor swap/backup
files are never sources, whatever the globs say.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from workbench.core.globs import glob_regex

# Folders that hold outputs or caches: a change in them is never a source change.
IGNORED_DIRS = frozenset({"build", "target", "node_modules", "zig-cache", ".zig-cache",
                          "zig-out", "__pycache__"})


def is_editor_junk(name: str) -> bool:
    """Swap, backup and probe files editors write around a save (vim's 4913, emacs .#x)."""
    return (name.endswith(("~", ".swp", ".swo", ".swx", ".swn", ".tmp", ".bak", ".orig",
                           ".kate-swp", ".crswap"))
            or name.startswith((".#", "#", ".goutputstream-"))
            or name in ("4913", ".DS_Store")
            or name.isdigit())  # vim probes writability with numbered files


def is_ignored(rel: str) -> bool:
    """True for a relative path inside an output/cache/dot folder, or for editor junk."""
    parts = rel.split("/")
    if any(p in IGNORED_DIRS or (p.startswith(".") and p not in (".", "..")) for p in parts[:-1]):
        return True
    return is_editor_junk(parts[-1])


def matches(rel: str, patterns: Iterable[str]) -> bool:
    """Is the module-relative path `rel` (with '/') one of the module's sources?"""
    if is_ignored(rel):
        return False
    return any(glob_regex(p).match(rel) for p in patterns)


def relative_to(path: Path, root: Path) -> str | None:
    """`path` relative to `root` with '/' separators, or None when outside."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


def source_files(root: Path, patterns: Iterable[str]) -> list[Path]:
    """Every file under root matching the globs, sorted, skipping ignored folders early."""
    patterns = tuple(patterns)
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if d not in IGNORED_DIRS and not d.startswith("."))
        base = Path(dirpath)
        for name in sorted(filenames):
            rel = relative_to(base / name, root)
            if rel is not None and matches(rel, patterns):
                found.append(base / name)
    return found
