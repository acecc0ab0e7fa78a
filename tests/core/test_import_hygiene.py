"""workbench.core must never import UI packages: each core module in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import workbench.core

FORBIDDEN = ("textual", "rich", "workbench.cli", "workbench.tui")


def _core_modules() -> list[str]:
    return sorted(
        m.name for m in pkgutil.walk_packages(workbench.core.__path__, "workbench.core.")
    )


def test_core_has_modules() -> None:
    assert "workbench.core.errors" in _core_modules()


@pytest.mark.parametrize("name", _core_modules())
def test_core_module_imports_no_ui(name: str) -> None:
    code = (
        f"import sys, {name}\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich') "
        f"or m.startswith(('workbench.cli', 'workbench.tui'))]\n"
        f"print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"{name} imports {out.stdout.strip()}"
