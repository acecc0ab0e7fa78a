"""run and bench call a module folder by module.toml's name, as purity and the app do
(they used the folder's name)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_run_and_bench_use_the_configured_name(tmp_path: Path) -> None:
    folder = tmp_path / "some-folder"
    folder.mkdir()
    shutil.copy(REPO / "sample_modules" / "hello-wat" / "hello.wat", folder)
    (folder / "module.toml").write_text('name = "vowels"\ntoolchain = "wat"\n')
    def wb(*args: str) -> str:
        out = subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True,
                             text=True, timeout=120, cwd=tmp_path,
                             env={**os.environ, "COLUMNS": "120"})
        assert out.returncode == 0, out.stderr
        return out.stdout

    assert json.loads(wb("run", str(folder), "--json"))["module"] == "vowels"
    assert "module vowels" in wb("bench", str(folder), "-n", "20")
