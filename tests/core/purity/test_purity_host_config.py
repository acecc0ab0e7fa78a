"""`workbench purity` on a module folder uses the module's host configuration, as `run`
does: an Extism plugin whose export is named in module.toml ([extism] function) was
reported "cannot be checked: the plugin exports no function `handle` ... set [extism]
function in module.toml" although module.toml set it."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PLUGIN = Path(__file__).parents[2] / "fixtures" / "extism" / "count_vowels.wasm"

pytestmark = pytest.mark.skipif(importlib.util.find_spec("extism") is None,
                                reason="the optional extism SDK is not installed")


def folder(tmp_path: Path) -> Path:
    mod = tmp_path / "vowels"
    mod.mkdir()
    shutil.copy(PLUGIN, mod / "plugin.wasm")
    (mod / "module.toml").write_text('name = "vowels"\ntoolchain = "prebuilt"\n'
                                     'output = "plugin.wasm"\n\n[extism]\n'
                                     'function = "count_vowels"\n')
    return mod


def test_purity_cli_uses_the_extism_function(tmp_path: Path) -> None:
    mod = folder(tmp_path)
    p = subprocess.run([sys.executable, "-m", "workbench", "purity", "--json", str(mod)],
                       capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, p.stdout + p.stderr
    doc = json.loads(p.stdout)
    assert doc["abi"] == "extism"
    assert "cannot be checked" not in json.dumps(doc)
    assert "no function `handle`" not in json.dumps(doc)
