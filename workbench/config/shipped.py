"""Where the data folders shipped with workbench live: sample modules and themes.

In a wheel they are package data under `workbench/_data/` (see pyproject's
force-include); in a checkout or an editable install they sit next to the package.
"""

from __future__ import annotations

from pathlib import Path

import workbench

_PKG = Path(workbench.__file__).resolve().parent


def _shipped(name: str) -> Path:
    packaged = _PKG / "_data" / name
    return packaged if packaged.is_dir() else _PKG.parent / name


def samples_dir() -> Path:
    """The bundled sample modules (a workspace with workbench.toml)."""
    return _shipped("sample_modules")


def themes_dir() -> Path:
    """The shipped themes/*.toml."""
    return _shipped("themes")
