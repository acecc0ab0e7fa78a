"""Shared fixtures. Helpers for building wasm from inline WAT live in tests/wat.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_modules"


@pytest.fixture
def wasm_objdump() -> str:
    """Path of wabt's wasm-objdump, or skip (the oracle is optional)."""
    path = shutil.which("wasm-objdump")
    if path is None:
        pytest.skip("wasm-objdump (Debian package wabt) not installed")
    return path


@pytest.fixture(autouse=True)
def _private_trust_records(tmp_path_factory: pytest.TempPathFactory,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust records go to a per-test folder, never the user's ~/.config; no blanket trust."""
    monkeypatch.setenv("WORKBENCH_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.delenv("WORKBENCH_TRUST", raising=False)
