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
