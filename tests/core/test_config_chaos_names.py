"""`[chaos] latency_ms` names in module.toml: the edge host functions, `*` and the
component-only `http_fetch` (core/runtime/chaos.py LATENCY_NAMES); anything else is a
ConfigError naming the key and the allowed names."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config.module import load_module
from workbench.core.errors import ConfigError


def _module(tmp_path: Path, chaos: str) -> Path:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "module.toml").write_text(f'name = "api"\n[chaos]\n{chaos}\n')
    (folder / "main.c").write_text("int x;")
    return folder


def test_http_fetch_and_star_are_accepted(tmp_path: Path) -> None:
    folder = _module(tmp_path, 'latency_ms = { http_fetch = 40, "*" = 2, kv_put = 5 }')
    assert load_module(folder).chaos.latency_ms == {"http_fetch": 40.0, "*": 2.0,
                                                    "kv_put": 5.0}


def test_an_unknown_name_lists_http_fetch(tmp_path: Path) -> None:
    folder = _module(tmp_path, "latency_ms = { http_get = 40 }")
    with pytest.raises(ConfigError) as info:
        load_module(folder)
    assert "chaos.latency_ms.http_get" in str(info.value)
    assert "http_fetch" in (info.value.hint or "") and "kv_get" in (info.value.hint or "")
