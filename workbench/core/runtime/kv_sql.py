"""The SQLite side of the KV store: one connection, its schema and pragmas.

WAL mode lets readers (the app, `workbench kv list`) run beside a writer; a busy timeout
makes a second writer (two benches, `kv put` during a bench) wait instead of failing;
every put is its own committed transaction, so nothing is lost when two processes write
at once. The `kv_stats` row (kept by triggers) gives the key count and byte total without
scanning the table, so the bounds cost the same at 10 or 100,000 keys.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from workbench.core.errors import WorkbenchError

BUSY_TIMEOUT_MS = 10_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kv_stats (id INTEGER PRIMARY KEY CHECK (id = 1),
    keys INTEGER NOT NULL, bytes INTEGER NOT NULL);
INSERT OR IGNORE INTO kv_stats VALUES (1, 0, 0);
CREATE TRIGGER IF NOT EXISTS kv_ins AFTER INSERT ON kv BEGIN
    UPDATE kv_stats SET keys = keys + 1,
        bytes = bytes + length(NEW.key) + length(NEW.value) WHERE id = 1; END;
CREATE TRIGGER IF NOT EXISTS kv_del AFTER DELETE ON kv BEGIN
    UPDATE kv_stats SET keys = keys - 1,
        bytes = bytes - length(OLD.key) - length(OLD.value) WHERE id = 1; END;
CREATE TRIGGER IF NOT EXISTS kv_upd AFTER UPDATE ON kv BEGIN
    UPDATE kv_stats SET bytes = bytes - length(OLD.value) + length(NEW.value)
        WHERE id = 1; END;
"""


class KvUnavailable(WorkbenchError):
    """The store cannot be read or written (disk error, locked for too long, not SQLite)."""

    kind = "kv"


class KvTooLarge(WorkbenchError):
    """A put over one of the store's bounds (key, value, key count, total bytes)."""

    kind = "kv_too_large"


def connect(path: Path | None) -> sqlite3.Connection:
    """An autocommit connection (transactions are explicit), usable from any thread
    (the caller serialises with a lock). `None`: an in-memory store."""
    where = str(path) if path is not None else "memory"
    try:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path) if path is not None else ":memory:",
                               timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
    except (OSError, sqlite3.Error) as e:
        raise unavailable(e, where) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if path is not None:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        ready = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                             "AND name IN ('kv_ins', 'kv_del', 'kv_upd')").fetchone()[0]
        if ready != 3:  # only a new store is written to on open (a writer may hold it)
            conn.executescript(SCHEMA)
    except sqlite3.Error as e:
        conn.close()
        raise unavailable(e, where) from None
    return conn


def unavailable(e: BaseException, where: str) -> KvUnavailable:
    text = str(e) or type(e).__name__
    if "not a database" in text or "malformed" in text:
        return KvUnavailable(f"cannot read the KV store: {text}", where=where,
                             hint="run `workbench kv reset` (it keeps the broken file "
                                  "as .bak and starts empty)")
    return KvUnavailable(f"the KV store failed: {text}", where=where,
                         hint="check that the folder is writable and the disk not full")
