"""`workbench init` on paths that cannot become a workspace: a symlink loop or a dangling
link, a path under a file, a name too long, a repeated --sample (all tracebacks before).
A failed init leaves nothing behind and never touches what was there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.cli import main


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("mine")
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    return tmp_path


@pytest.mark.parametrize("dest,words", [
    ("loop", "already exists"),
    ("dangling", "already exists"),
    ("afile", "already exists"),
    ("afile/sub", "cannot create the workspace in afile/sub: Not a directory"),
    ("a" * 300, "File name too long"),
])
def test_init_refuses_with_a_message(here: Path, capsys, dest: str, words: str) -> None:
    before = sorted(p.name for p in here.iterdir())
    assert main(["init", dest, "--sample", "hello-wat"]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert sorted(p.name for p in here.iterdir()) == before
    assert (here / "afile").read_text() == "mine"


def test_a_repeated_sample_is_copied_once(here: Path) -> None:
    assert main(["init", "ws", "--sample", "hello-wat", "--sample", "hello-wat"]) == 0
    assert sorted(p.name for p in (here / "ws").iterdir()) == ["hello-wat", "workbench.toml"]


def test_a_failed_copy_leaves_nothing_behind(here: Path, capsys,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.copytree
    calls = []

    def copy_then_fail(src, dst, *args, **kw):  # type: ignore[no-untyped-def]
        if Path(dst).parent.name in ("empty", "new"):  # a sample, not a subfolder of one
            calls.append(dst)
            if len(calls) % 2 == 0:
                raise OSError(28, "No space left on device")
        return real(src, dst, *args, **kw)

    monkeypatch.setattr(shutil, "copytree", copy_then_fail)
    (here / "empty").mkdir()
    assert main(["init", "empty", "--sample", "hello-wat", "--sample", "json-api-c"]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert list((here / "empty").iterdir()) == []  # the folder given stays, empty
    assert main(["init", "new", "--sample", "hello-wat", "--sample", "json-api-c"]) == 2
    assert not (here / "new").exists()  # the folder it created is gone
