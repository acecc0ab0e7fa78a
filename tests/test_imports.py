"""Every module of workbench imports *first*, in a fresh interpreter.

pytest imports half the package before the first test runs, which once hid an import
cycle that crashed the console script: each module here gets its own interpreter. The
pure layers (core, config, services) must not pull in a front end either.
"""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import workbench

PURE = ("workbench.core", "workbench.config", "workbench.services")
FRONT_ENDS = ("textual", "rich", "workbench.cli", "workbench.tui")


def all_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(workbench.__path__, "workbench.")]
    return sorted(n for n in names if n != "workbench.__main__") + ["workbench"]


def _first_import(name: str) -> tuple[str, int, str, str]:
    code = (f"import sys, {name}\n"
            "print(','.join(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich') "
            "or m.startswith(('workbench.cli', 'workbench.tui'))))")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, timeout=120)
    return name, out.returncode, out.stdout.strip(), out.stderr.strip()


@pytest.fixture(scope="module")
def first_imports() -> dict[str, tuple[int, str, str]]:
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return {n: (rc, out, err) for n, rc, out, err in pool.map(_first_import, all_modules())}


def test_walks_every_package() -> None:
    mods = all_modules()
    for expected in ("workbench.entry", "workbench.config.workspace", "workbench.core.errors",
                     "workbench.services.target", "workbench.cli.commands.run",
                     "workbench.tui.app", "workbench.core.runtime.harness"):
        assert expected in mods


def test_every_module_imports_first(first_imports: dict[str, tuple[int, str, str]]) -> None:
    broken = {n: err.splitlines()[-1] if err else f"exit {rc}"
              for n, (rc, _, err) in first_imports.items() if rc != 0}
    assert broken == {}


def test_pure_layers_import_no_front_end(first_imports: dict[str, tuple[int, str, str]]) -> None:
    leaks = {n: out for n, (_, out, _) in first_imports.items()
             if n.startswith(PURE) and out}
    assert leaks == {}


def test_version_matches_the_package_metadata() -> None:
    import tomllib
    from pathlib import Path

    doc = tomllib.loads((Path(workbench.__file__).parent.parent / "pyproject.toml").read_text())
    assert workbench.__version__ == doc["project"]["version"]
