"""The per-workspace key-value store behind `edge.kv_*`: an SQLite file every process shares.

Lives at `<workspace>/.workbench/kv.sqlite` (or the workspace's `kv_file`). Keys and values
are bytes. Every put and delete is committed when it returns, so writes from the app, a
bench, `workbench kv put` and a second bench on the same workspace are all kept (WAL mode
and a busy timeout: see kv_sql.py). The store is bounded (`Limits.kv_*`: key count, key and
value size, total bytes); a put over a bound raises `KvTooLarge` and changes nothing.
An old `.workbench/kv.json` is imported on first open (kv_migrate.py).
`workbench kv list|get|put|delete|reset` inspects it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.runtime.kv_migrate import migrate_json
from workbench.core.runtime.kv_sql import (
    BUSY_TIMEOUT_MS,
    KvTooLarge,
    KvUnavailable,
    connect,
    unavailable,
)
from workbench.core.runtime.limits import Limits

KV_FILE = Path(".workbench") / "kv.sqlite"
LEGACY_FILE = Path(".workbench") / "kv.json"


@dataclass(frozen=True, slots=True)
class KvStats:
    keys: int
    bytes: int  # keys + values

    def to_json(self) -> dict[str, Any]:
        return {"keys": self.keys, "bytes": self.bytes}


class KvStore:
    """Byte keys and values. `path=None` keeps everything in memory (tests, benches).

    A `path` ending in `.json` names an old JSON store: the SQLite file is the same name
    with `.sqlite`, and the JSON file is imported into it once."""

    def __init__(self, path: Path | None = None, *, limits: Limits | None = None):
        self.limits = limits or Limits()
        self.legacy: Path | None = None
        if path is not None:
            path = Path(path)
            if path.suffix == ".json":
                self.legacy, path = path, path.with_suffix(".sqlite")
            else:
                self.legacy = path.with_suffix(".json")
        self.path = path
        self._lock = threading.Lock()
        self._conn = connect(path)
        self.notice: str | None = None  # what the first open did (a migration), for the user
        if self.legacy is not None:
            try:
                self.notice = migrate_json(self._conn, self.legacy)
            except (OSError, sqlite3.Error) as e:
                raise unavailable(e, str(self.legacy)) from None

    @classmethod
    def for_workspace(cls, root: Path, kv_file: str | None = None, *,
                      limits: Limits | None = None) -> KvStore:
        """The store of the workspace at `root`; `kv_file` (workbench.toml) relative to it."""
        return cls(workspace_kv_path(root, kv_file), limits=limits)

    # -- reading ------------------------------------------------------------------------

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._conn.execute(sql, args).fetchall()
            except sqlite3.Error as e:
                raise unavailable(e, self._where) from None

    @property
    def _where(self) -> str:
        return str(self.path) if self.path is not None else "memory"

    def get(self, key: bytes) -> bytes | None:
        rows = self._query("SELECT value FROM kv WHERE key = ?", (bytes(key),))
        return bytes(rows[0][0]) if rows else None

    def items(self, limit: int | None = None) -> list[tuple[bytes, bytes]]:
        sql = "SELECT key, value FROM kv ORDER BY key"
        rows = self._query(sql + " LIMIT ?", (limit,)) if limit is not None else self._query(sql)
        return [(bytes(k), bytes(v)) for k, v in rows]

    def stats(self) -> KvStats:
        keys, total = self._query("SELECT keys, bytes FROM kv_stats WHERE id = 1")[0]
        return KvStats(int(keys), int(total))

    def __len__(self) -> int:
        return self.stats().keys

    # -- writing ------------------------------------------------------------------------

    def put(self, key: bytes, value: bytes, *, flush: bool = True,
            limits: Limits | None = None, wait_ms: int | None = None) -> None:
        """Set a key, committed on return. Raises KvTooLarge over a bound (nothing changed)
        and KvUnavailable when the disk fails or another writer holds the store longer
        than `wait_ms` (default BUSY_TIMEOUT_MS; a handler passes what is left of its
        deadline). `flush` is accepted for older callers: every write is durable now."""
        lim = limits or self.limits
        key, value = bytes(key), bytes(value)
        if len(key) > lim.kv_max_key_bytes:
            raise KvTooLarge(f"key is {len(key):,} bytes, over limits.kv_max_key_bytes "
                             f"({lim.kv_max_key_bytes:,})", where=self._where)
        if len(value) > lim.kv_max_value_bytes:
            raise KvTooLarge(f"value is {len(value):,} bytes, over limits.kv_max_value_bytes "
                             f"({lim.kv_max_value_bytes:,})", where=self._where)
        with self._lock:
            conn = self._conn
            try:
                if wait_ms is not None:
                    conn.execute(f"PRAGMA busy_timeout = {max(1, int(wait_ms))}")
                conn.execute("BEGIN IMMEDIATE")
                try:
                    old = conn.execute("SELECT length(value) FROM kv WHERE key = ?",
                                       (key,)).fetchone()
                    keys, total = conn.execute(
                        "SELECT keys, bytes FROM kv_stats WHERE id = 1").fetchone()
                    if old is None:
                        keys, total = keys + 1, total + len(key) + len(value)
                    else:
                        total += len(value) - old[0]
                    _check_totals(keys, total, lim, self._where)
                    conn.execute("INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) "
                                 "DO UPDATE SET value = excluded.value", (key, value))
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as e:
                raise unavailable(e, self._where) from None
            finally:
                if wait_ms is not None:
                    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def snapshot(self) -> KvStore:
        """An in-memory copy (SQLite's backup API: one pass, no per-key transactions)."""
        copy = KvStore(None, limits=self.limits)
        with self._lock:
            try:
                self._conn.backup(copy._conn)
            except sqlite3.Error as e:
                raise unavailable(e, self._where) from None
        return copy

    def delete(self, key: bytes, *, flush: bool = True) -> bool:
        with self._lock:
            try:
                cur = self._conn.execute("DELETE FROM kv WHERE key = ?", (bytes(key),))
            except sqlite3.Error as e:
                raise unavailable(e, self._where) from None
            return cur.rowcount > 0

    def refresh(self, force: bool = False) -> bool:
        """Kept for callers of the JSON store: every read sees other processes' writes."""
        return False

    def flush(self) -> None:
        """Kept for callers of the JSON store: every write is already committed."""

    def reset(self) -> int:
        """Remove every key; returns how many there were. The previous contents are kept
        in `backup_path` (an SQLite copy), so a reset by mistake can be undone."""
        with self._lock:
            try:
                n = int(self._conn.execute(
                    "SELECT keys FROM kv_stats WHERE id = 1").fetchone()[0])
                if n and self.backup_path is not None:
                    self.backup_path.unlink(missing_ok=True)
                    dest = sqlite3.connect(str(self.backup_path))
                    try:
                        self._conn.backup(dest)
                    finally:
                        dest.close()
                self._conn.execute("DELETE FROM kv")
                return n
            except (OSError, sqlite3.Error) as e:
                raise unavailable(e, self._where) from None

    @property
    def backup_path(self) -> Path | None:
        return self.path.with_name(self.path.name + ".bak") if self.path is not None else None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @staticmethod
    def reset_unreadable(path: Path) -> Path:
        """Move an unreadable store file (and its -wal/-shm) aside as `.bak`; returns it."""
        backup = path.with_name(path.name + ".bak")
        os.replace(path, backup)
        for extra in ("-wal", "-shm"):
            path.with_name(path.name + extra).unlink(missing_ok=True)
        return backup


def workspace_kv_path(root: Path, kv_file: str | None = None) -> Path:
    """Where the store of the workspace at `root` lives (`kv_file` relative to root)."""
    if kv_file:
        p = Path(kv_file).expanduser()
        return p if p.is_absolute() else Path(root) / p
    return Path(root) / KV_FILE


def _check_totals(keys: int, total: int, lim: Limits, where: str) -> None:
    if keys > lim.kv_max_keys:
        raise KvTooLarge(f"the store would hold {keys:,} keys, over limits.kv_max_keys "
                         f"({lim.kv_max_keys:,})", where=where,
                         hint="delete keys or run `workbench kv reset`")
    if total > lim.kv_max_total_bytes:
        raise KvTooLarge(f"the store would hold {total:,} bytes, over "
                         f"limits.kv_max_total_bytes ({lim.kv_max_total_bytes:,})",
                         where=where, hint="delete keys or run `workbench kv reset`")


__all__ = ["KV_FILE", "KvStats", "KvStore", "KvTooLarge", "KvUnavailable",
           "workspace_kv_path"]
