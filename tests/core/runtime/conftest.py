from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.runtime.harness import Harness


@pytest.fixture
def make(tmp_path: Path):
    """Harness factory with a per-test compiled-module cache directory."""

    def _make(wasm: bytes, **kw) -> Harness:
        kw.setdefault("cache_dir", tmp_path / "cache")
        kw.setdefault("name", "t")
        return Harness(wasm, **kw)

    return _make
