"""The workspace KV store (`<root>/.workbench/kv.sqlite` or `kv_file`): list its keys, reset it.

The same store `workbench kv list/reset` and `workbench run` use, and the one the Runtime
view's requests read and write, so a counter a handler keeps can be watched and reset
without leaving the app. Values are shown with secrets redacted, as the CLI does.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from workbench.core.errors import WorkbenchError
from workbench.core.runtime.kv import KvStore
from workbench.core.runtime.secrets import Secrets
from workbench.services.kvstore import open_workspace_kv

VALUE_WIDTH = 60


class KvScreen(ModalScreen[None]):
    """Keys and values of the workspace KV store; `x` twice resets it (a backup is kept)."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close", key_display="esc"),
        Binding("r", "reload", "Reload"),
        Binding("x", "reset", "Reset store"),
    ]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self._armed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="kv-box") as box:
            box.border_title = "KV store"
            yield Static(id="kv-note")
            yield DataTable(id="kv-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#kv-table", DataTable)
        table.add_column("key", key="key")
        table.add_column("value", key="value")
        table.add_column(Text("bytes", justify="right"), key="bytes")
        self.action_reload()

    def _store(self) -> KvStore:
        return open_workspace_kv(self.root)

    def action_reload(self) -> None:
        note = self.query_one("#kv-note", Static)
        table = self.query_one("#kv-table", DataTable)
        table.clear()
        try:
            kv = self._store()
            secrets = Secrets.for_workspace(self.root)
        except WorkbenchError as err:
            note.update(Text(str(err), style="red"))
            return
        items = kv.items()
        for key, value in items:
            shown = secrets.redact(value.decode("utf-8", "replace"))
            if len(shown) > VALUE_WIDTH:
                shown = shown[: VALUE_WIDTH - 1] + "…"
            table.add_row(secrets.redact(key.decode("utf-8", "replace")), shown,
                          Text(f"{len(value):,}", justify="right"))
        note.update(Text(f"{kv.path} · {len(items)} keys · x resets (twice), r reloads",
                         style="dim"))

    def action_reset(self) -> None:
        if not self._armed:
            self._armed = True
            self.notify("Press x again to remove every key (kv.sqlite.bak keeps a copy).",
                        title="Reset the KV store?", severity="warning", timeout=4)
            return
        self._armed = False
        try:
            kv = self._store()
            removed = kv.reset()
        except (WorkbenchError, OSError) as err:
            self.notify(str(err), title="KV reset failed", severity="error")
            return
        self.notify(f"Removed {removed} keys; the previous file is {kv.backup_path}.",
                    title="KV store reset")
        self.action_reload()
