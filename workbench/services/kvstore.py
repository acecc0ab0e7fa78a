"""The workspace KV store as every front end opens it: `kv_file` from workbench.toml honoured.

`workbench run/bench`, `workbench kv` and the app all call `open_workspace_kv`, so they
read and write the same SQLite file (default `<workspace>/.workbench/kv.sqlite`; a
`kv_file = "data/kv.sqlite"` in workbench.toml is relative to the workspace folder).

workbench.toml comes with the folder, so `kv_file` must resolve (symlinks followed) inside
the workspace folder: a cloned repository cannot make `run` write SQLite pages into
another application's database, nor `kv reset` move /etc/passwd aside. What is at the path
must be a regular file (or nothing yet): a folder, FIFO or device is named, not opened.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from workbench.config.workspace import workspace_settings
from workbench.core.errors import ConfigError
from workbench.core.runtime.kv import KvStore, KvUnavailable, workspace_kv_path
from workbench.core.runtime.limits import Limits


def kv_path(root: Path) -> Path:
    """Where the KV store of the workspace at `root` lives (checked as said above)."""
    ws = workspace_settings(root)
    kv_file = ws.settings.get("kv_file") if ws is not None else None
    path = workspace_kv_path(root, kv_file if isinstance(kv_file, str) else None)
    if kv_file and ws is not None:
        real, inside = Path(os.path.realpath(path)), Path(os.path.realpath(root))
        if inside not in real.parents:
            raise ConfigError(f"kv_file = {kv_file!r} resolves to {real}, outside the "
                              "workspace folder", file=str(ws.config_file or root),
                              key="kv_file", line=_line_of(ws.config_file, "kv_file"),
                              hint='name a file inside the workspace, e.g. '
                                   'kv_file = ".workbench/kv.sqlite"')
    for candidate in (path, path.with_suffix(".sqlite")) if path.suffix == ".json" else (path,):
        _check_file(candidate)
    return path


def _line_of(config: Path | None, key: str) -> int | None:
    try:
        text = config.read_text(encoding="utf-8") if config is not None else ""
    except (OSError, UnicodeDecodeError):
        return None
    for n, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(key):
            return n
    return None


def _check_file(path: Path) -> None:
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as e:
        raise KvUnavailable(f"cannot open the KV store: {e.strerror or e}", where=str(path),
                            hint="check the path and its permissions") from None
    if not stat.S_ISREG(mode):
        what = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a FIFO or device)"
        raise KvUnavailable(f"the KV store path is {what}", where=str(path),
                            hint="move it away, or set kv_file in workbench.toml to a file "
                                 "path inside the workspace")


def open_workspace_kv(root: Path, limits: Limits | None = None) -> KvStore:
    return KvStore(kv_path(root), limits=limits)
