"""One door from the TUI to `workbench.core`, and where the shipped data folders live.

Views and jobs ask for core functions through `core()`; a missing module or attribute (a
broken install) raises `Unavailable`, which the views render as a note instead of a
traceback. `Unavailable` also marks a result that is not there yet (a build with no
output). Nothing here computes a figure: it only finds the function that does.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import workbench


class Unavailable(Exception):
    """A core part or result this view needs is not there (broken install, no build output)."""

    def __init__(self, what: str, reason: str = "") -> None:
        self.what = what
        self.reason = reason
        super().__init__(f"{what} is not available yet" + (f" ({reason})" if reason else ""))


def core(module: str, attr: str) -> Any:
    """`workbench.<module>.<attr>`, or raise `Unavailable` naming what is missing."""
    name = f"workbench.{module}"
    try:
        mod = importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name and (err.name == name or name.startswith(err.name + ".")):
            raise Unavailable(f"{name}.{attr}") from None
        raise
    try:
        return getattr(mod, attr)
    except AttributeError:
        raise Unavailable(f"{name}.{attr}") from None


def samples_dir() -> Path:
    """The bundled sample modules, next to the package in a checkout or sdist."""
    return Path(workbench.__file__).resolve().parent.parent / "sample_modules"


def themes_dir() -> Path:
    """The shipped themes/*.toml, next to the package."""
    return Path(workbench.__file__).resolve().parent.parent / "themes"
