"""The per-workspace key-value store behind `edge.kv_*`: a JSON file a person can read.

Lives at `<workspace>/.workbench/kv.json` (values are bytes; stored as UTF-8 text when
they decode, else as {"b64": ...}). Writes go through a temp file + rename so a crash
never leaves half a store. `workbench kv list|get|put|delete|reset` inspects it.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from pathlib import Path

from workbench.core.errors import WorkbenchError

KV_FILE = Path(".workbench") / "kv.json"
REFRESH_EVERY_S = 0.2  # how often `refresh` looks at the file (one stat)


class KvStore:
    """Byte keys and values. `path=None` keeps everything in memory (tests, benches)."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._lock = threading.Lock()
        self._data: dict[bytes, bytes] = {}
        self._stamp: tuple[int, int] | None = None  # (mtime_ns, size) of what we read/wrote
        self._dirty = False
        self._checked = time.monotonic()
        self._load()

    @classmethod
    def for_workspace(cls, root: Path) -> KvStore:
        return cls(Path(root) / KV_FILE)

    def _load(self) -> None:
        if self.path is None or not self.path.exists():
            return
        try:
            stamp = self._file_stamp()
            doc = json.loads(self.path.read_text("utf-8"))
            self._stamp = stamp
        except UnicodeDecodeError as e:
            raise WorkbenchError(f"cannot read the KV store: not UTF-8 text ({e.reason})",
                                 where=str(self.path),
                                 hint="run `workbench kv reset` (it keeps a .bak)") from None
        except OSError as e:
            raise WorkbenchError(f"cannot read the KV store: {e.strerror or e}",
                                 where=str(self.path),
                                 hint="run `workbench kv reset` (it keeps a .bak)") from None
        except RecursionError:  # thousands of nested [ or {: json gives up
            raise WorkbenchError("cannot read the KV store: nested too deeply",
                                 where=str(self.path),
                                 hint="fix the JSON or run `workbench kv reset`") from None
        except ValueError as e:
            raise WorkbenchError(f"cannot read the KV store: {e}", where=str(self.path),
                                 hint="fix the JSON or run `workbench kv reset`") from None
        if not isinstance(doc, dict):
            raise WorkbenchError("the KV store is not a JSON object", where=str(self.path),
                                 hint="run `workbench kv reset`")
        self._data = {k.encode(): _decode(v) for k, v in doc.items()}

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        doc = {k.decode("utf-8", "surrogateescape"): _encode(v)
               for k, v in sorted(self._data.items())}
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", "utf-8")
            os.replace(tmp, self.path)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise WorkbenchError(f"cannot write the KV store: {e.strerror or e}",
                                 where=str(self.path),
                                 hint="check that the .workbench folder is writable") from None
        self._stamp = self._file_stamp()

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat() if self.path is not None else None
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size) if st is not None else None

    def refresh(self, force: bool = False) -> bool:
        """Re-read the file if another process changed it (`workbench kv put/reset` while
        the app runs). At most every REFRESH_EVERY_S unless `force`; never drops unsaved
        changes; a file that became unreadable keeps what is in memory. True if reloaded."""
        if self.path is None:
            return False
        now = time.monotonic()
        if not force and now - self._checked < REFRESH_EVERY_S:
            return False
        self._checked = now
        with self._lock:
            stamp = self._file_stamp()
            if self._dirty or stamp == self._stamp:
                return False
            if stamp is None:  # deleted: an empty store, like a fresh workspace
                self._data, self._stamp = {}, None
                return True
            old = self._data
            try:
                self._data = {}
                self._load()
            except WorkbenchError:
                self._data = old
                self._stamp = stamp  # report nothing until it changes again
                return False
            return True

    def get(self, key: bytes) -> bytes | None:
        with self._lock:
            return self._data.get(key)

    def put(self, key: bytes, value: bytes, *, flush: bool = True) -> None:
        """Set a key. Host functions pass flush=False and the harness flushes once after
        the request, so a disk write is never inside the handler's measured time."""
        with self._lock:
            self._data[key] = bytes(value)
            self._dirty = True
            if flush:
                self._flush_locked()

    def delete(self, key: bytes, *, flush: bool = True) -> bool:
        with self._lock:
            if key not in self._data:
                return False
            del self._data[key]
            self._dirty = True
            if flush:
                self._flush_locked()
            return True

    def flush(self) -> None:
        """Write pending changes to the file (no-op when nothing changed)."""
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if self._dirty:
            self._save()
            self._dirty = False

    def items(self) -> list[tuple[bytes, bytes]]:
        with self._lock:
            return sorted(self._data.items())

    def reset(self) -> int:
        """Remove every key; returns how many there were. The previous file is kept as
        `kv.json.bak` (see `backup_path`), so a reset by mistake can be undone."""
        with self._lock:
            n = len(self._data)
            if self.path is not None and self.path.is_file() and n:
                os.replace(self.path, self.backup_path)  # type: ignore[arg-type]
            self._data.clear()
            self._save()
            self._dirty = False
            return n

    @property
    def backup_path(self) -> Path | None:
        return self.path.with_name(self.path.name + ".bak") if self.path is not None else None


def _encode(v: bytes) -> str | dict[str, str]:
    try:
        return v.decode("utf-8")
    except UnicodeDecodeError:
        return {"b64": base64.b64encode(v).decode()}


def _decode(v: object) -> bytes:
    if isinstance(v, str):
        return v.encode("utf-8")
    if isinstance(v, dict) and isinstance(v.get("b64"), str):
        return base64.b64decode(v["b64"])
    return json.dumps(v).encode()
