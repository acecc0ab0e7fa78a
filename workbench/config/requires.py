"""module.toml `requires`: the executables (and Python modules) a build needs.

    requires = ["componentize-py", { python_module = "spin_sdk", install = "pip install spin-sdk" }]

A string is an executable looked up on PATH; a table names one executable or one
python_module, with an optional `install` hint. Checked by the build and by a
workspace's `optional_modules` (workbench.core.build.requires); docs/config.md.
"""

from __future__ import annotations

import re
from typing import Any

from workbench.config.check import Checker
from workbench.core.build.requires import Kind, Requirement

KEY = "requires"
TABLE_KEYS = ("executable", "python_module", "install")
_EXAMPLE = 'for example requires = ["componentize-py", { python_module = "spin_sdk" }]'
_PY_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def parse_requires(ck: Checker, doc: dict[str, Any]) -> tuple[Requirement, ...]:
    value = doc.get(KEY)
    if value is None:
        return ()
    if isinstance(value, str | dict):
        value = [value]
    if not isinstance(value, list):
        raise ck.error(KEY, f"{KEY} must be a list of executable names or tables",
                       hint=_EXAMPLE)
    out: list[Requirement] = []
    for entry in value:
        req = _entry(ck, entry)
        if req not in out:
            out.append(req)
    return tuple(out)


def _entry(ck: Checker, entry: object) -> Requirement:
    if isinstance(entry, str):
        return Requirement("executable", _executable(ck, entry))
    if not isinstance(entry, dict):
        raise ck.error(KEY, f"{KEY} entries must be strings or tables, not {entry!r}",
                       hint=_EXAMPLE)
    for key in entry:  # (not check_keys: `command =` above would take the line)
        if key not in TABLE_KEYS:
            raise ck.error(KEY, f"unknown key {key!r} in a {KEY} table",
                           hint="allowed keys here: " + ", ".join(TABLE_KEYS))
    kinds = [k for k in ("executable", "python_module") if k in entry]
    if len(kinds) != 1:
        raise ck.error(KEY, f"a {KEY} table names one executable or one python_module",
                       hint='{ executable = "wasm-tools" } or { python_module = "spin_sdk" }')
    kind: Kind = "executable" if kinds[0] == "executable" else "python_module"
    name = entry[kind]
    if not isinstance(name, str):
        raise ck.error(KEY, f"{KEY}: {kind} must be a string", hint=f"got {name!r}")
    install = entry.get("install")
    if install is not None and (not isinstance(install, str) or not install.strip()):
        raise ck.error(KEY, f"{KEY}: install must be a non-empty string",
                       hint='the command that installs it, e.g. install = "pip install x"')
    if kind == "executable":
        name = _executable(ck, name)
    elif not _PY_MODULE.match(name):
        raise ck.error(KEY, f"{KEY}: {name!r} is not a Python module name",
                       hint="the name an import statement uses, e.g. spin_sdk")
    return Requirement(kind, name, install.strip() if install else None)


def _executable(ck: Checker, name: str) -> str:
    if not name.strip():
        raise ck.error(KEY, f"{KEY} has an empty executable name", hint=_EXAMPLE)
    if any(c.isspace() for c in name) or "/" in name or "\\" in name:
        raise ck.error(KEY, f"{KEY}: {name!r} is not a program name",
                       hint="the name looked up on PATH, without a folder or spaces "
                            "(e.g. componentize-py)")
    return name
