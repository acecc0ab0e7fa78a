"""`workbench watch` prints a failed replay the way `workbench replay` does, in words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from workbench.cli.commands import watch
from workbench.config.module import load_module
from workbench.core.build.builder import build_module
from workbench.services.loop import make_replay_hook


def test_failed_assertions_are_words_not_dicts(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "hello-wat"
    shutil.copytree(SAMPLES / "hello-wat", folder,
                    ignore=shutil.ignore_patterns("build", ".workbench"))
    (folder / "requests" / "hello.hurl").write_text(
        "GET http://localhost/\nHTTP 200\n[Asserts]\nbody contains \"Goodbye\"\n")
    cfg = load_module(folder)
    result = build_module(cfg)
    assert result.ok
    event = make_replay_hook({}, keep_last=False)(cfg, result)
    assert event is not None
    watch._print_after_build("", event)  # noqa: SLF001 - the printer watch uses
    out = capsys.readouterr().out
    assert "0/1 passed" in out
    assert 'body contains "Goodbye"' in out
    assert "expected" in out and "got" in out
    assert "{'" not in out and '{"' not in out  # no Python dict / JSON dumped
