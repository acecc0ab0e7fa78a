"""The KV panel shows the workspace store the Runtime view's requests use, and resets it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from tests.tui.conftest import built, wait_for
from workbench.core.runtime.kv import KvStore
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.kv import KvScreen


async def test_kv_panel_lists_and_resets_the_workspace_store(workspace: Path) -> None:
    KvStore.for_workspace(workspace).put(b"visits", b"41")
    app = WorkbenchApp([workspace], watch=False, auto_replay=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, built(app), what="build")
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, KvScreen)
        table = app.screen.query_one("#kv-table", DataTable)
        assert [str(c) for c in table.get_row_at(0)][:2] == ["visits", "41"]
        await pilot.press("x")  # armed: nothing removed yet
        assert KvStore.for_workspace(workspace).get(b"visits") == b"41"
        await pilot.press("x")
        await pilot.pause()
        assert KvStore.for_workspace(workspace).items() == []
        assert table.row_count == 0
        assert (workspace / ".workbench" / "kv.sqlite.bak").is_file()
        await pilot.press("escape")
        assert not isinstance(app.screen, KvScreen)
        # the Runtime view's harness uses this same store
        from workbench.tui.runtime_jobs import RunOptions, harness_for

        harness = harness_for(app.modules["hello-wat"], RunOptions())
        assert harness.kv.path == KvStore.for_workspace(workspace).path
