"""Size history: one point per change, bounded, survives restarts and bad lines."""

from __future__ import annotations

from pathlib import Path

from workbench.core.size import history


def test_records_changes_only_and_reads_back(tmp_path: Path) -> None:
    assert history.read_history(tmp_path) == []
    history.record_build(tmp_path, 1000, 600, now=1.0)
    history.record_build(tmp_path, 1000, 600, now=2.0)  # identical rebuild: no new point
    pts = history.record_build(tmp_path, 1060, 640, now=3.0)
    assert [(p.time, p.size, p.gzip_size) for p in pts] == [(1.0, 1000, 600), (3.0, 1060, 640)]
    assert history.read_history(tmp_path) == pts  # kept across restarts


def test_bounded_and_tolerates_garbage(tmp_path: Path) -> None:
    for i in range(history.MAX_POINTS + 25):
        history.record_build(tmp_path, 100 + i, None, now=float(i))
    pts = history.read_history(tmp_path)
    assert len(pts) == history.MAX_POINTS and pts[-1].size == 100 + history.MAX_POINTS + 24
    path = tmp_path / history.FILE
    path.write_text(path.read_text() + "not json\n{\"size\": \"x\"}\n")
    assert len(history.read_history(tmp_path)) == history.MAX_POINTS


def test_modules_sharing_a_folder_keep_their_own_history(tmp_path: Path) -> None:
    history.record_build(tmp_path, 100, None, now=1.0, name="a")
    history.record_build(tmp_path, 200, None, now=1.0, name="b")
    assert [p.size for p in history.read_history(tmp_path, "a")] == [100]
    assert [p.size for p in history.read_history(tmp_path, "b")] == [200]
    assert history.read_history(tmp_path) == []
