"""module.toml `requires` through the installed `workbench` console script, on a machine
without the tool: PATH is an empty folder, so componentize-py (which this machine may
have) is not found. The workspace builds with the module left out; building the module
itself is a clean error naming the tool and what to install.

PYTHONPATH is this checkout, so the script runs this tree's code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sysconfig
from pathlib import Path

import pytest

SCRIPT = Path(sysconfig.get_path("scripts")) / "workbench"
REPO = Path(__file__).resolve().parents[2]
WAT = "(module (memory (export \"memory\") 1))\n"


def wb(*args: str, path: Path, ok: int) -> subprocess.CompletedProcess[str]:
    assert SCRIPT.exists(), f"{SCRIPT} is missing: python3 -m pip install -e '.[test]'"
    env = {**os.environ, "PATH": str(path), "PYTHONPATH": str(REPO), "NO_COLOR": "1",
           "COLUMNS": "200"}
    out = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=env,
                         timeout=300, check=False)
    assert "Traceback" not in out.stderr + out.stdout, out.stderr
    assert out.returncode == ok, f"exit {out.returncode}\n{out.stdout}\n{out.stderr}"
    return out


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "hello").mkdir(parents=True)
    (root / "hello" / "hello.wat").write_text(WAT)
    py = root / "py"
    py.mkdir()
    (py / "module.toml").write_text('toolchain = "command"\ncommand = "./build.sh"\n'
                                    'requires = ["componentize-py"]\n')
    (py / "build.sh").write_text("#!/bin/sh\ntouch ran\nexit 1\n")
    (root / "workbench.toml").write_text('modules = ["hello"]\n'
                                         'optional_modules = ["py"]  # needs componentize-py\n')
    return root


def test_workspace_builds_with_the_module_left_out(ws: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    doc = json.loads(wb("build", str(ws), "--json", path=empty, ok=0).stdout)
    assert doc["ok"] is True and [m["module"] for m in doc["modules"]] == ["hello"]
    assert doc["left_out"] == [{
        "name": "py", "root": str((ws / "py").resolve()),
        "reason": "componentize-py is not installed (not found on PATH)",
        "hint": "pip install componentize-py"}]
    text = wb("build", str(ws), path=empty, ok=0).stdout
    assert "- py: left out: componentize-py is not installed (not found on PATH)" in text
    assert "to include it: pip install componentize-py" in text


def test_building_the_module_itself_names_the_tool(ws: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    out = wb("build", str(ws / "py"), "--trust", path=empty, ok=1)
    assert "py: " in out.stderr and "componentize-py is not installed" in out.stderr
    assert "hint: pip install componentize-py" in out.stderr
    assert not (ws / "py" / "ran").exists()  # build.sh never ran


def test_the_shipped_sample_says_the_same(tmp_path: Path) -> None:
    """sample_modules/hello-wasi-http-py's own module.toml, built directly: the check
    fires before anything runs, so the repository's sample folder is not written."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    sample = REPO / "sample_modules" / "hello-wasi-http-py"
    out = wb("build", str(sample), path=empty, ok=1)
    assert "hello-wasi-http-py: " in out.stderr
    assert "componentize-py is not installed (not found on PATH)" in out.stderr
    assert "hint: pip install componentize-py" in out.stderr
