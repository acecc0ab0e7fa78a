"""The workspace KV store as every front end opens it: `kv_file` from workbench.toml honoured.

`workbench run/bench`, `workbench kv` and the app all call `open_workspace_kv`, so they
read and write the same SQLite file (default `<workspace>/.workbench/kv.sqlite`; a
`kv_file = "data/kv.sqlite"` in workbench.toml is relative to the workspace folder).
"""

from __future__ import annotations

from pathlib import Path

from workbench.config.workspace import workspace_settings
from workbench.core.runtime.kv import KvStore, workspace_kv_path
from workbench.core.runtime.limits import Limits


def kv_path(root: Path) -> Path:
    """Where the KV store of the workspace at `root` lives."""
    ws = workspace_settings(root)
    kv_file = ws.settings.get("kv_file") if ws is not None else None
    return workspace_kv_path(root, kv_file if isinstance(kv_file, str) else None)


def open_workspace_kv(root: Path, limits: Limits | None = None) -> KvStore:
    return KvStore(kv_path(root), limits=limits)
