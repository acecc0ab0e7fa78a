"""One-time import of the old JSON KV store (`.workbench/kv.json`) into SQLite.

The JSON file stored UTF-8 values as strings and other bytes as {"b64": ...}. On the
first open of the SQLite store next to it, every key is copied in one transaction and the
file is renamed `kv.json.migrated` (kept, never deleted); a JSON file that cannot be read
is renamed `kv.json.unreadable` and the store starts empty. Either way `notice` says so.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
from pathlib import Path


def migrate_json(conn: sqlite3.Connection, legacy: Path) -> str | None:
    """Import `legacy` if it exists; returns a sentence for the user, or None."""
    if not legacy.is_file():
        return None
    try:
        doc = json.loads(legacy.read_text("utf-8"))
        if not isinstance(doc, dict):
            raise ValueError("not a JSON object")
        rows = [(k.encode("utf-8", "surrogateescape"), _decode(v)) for k, v in doc.items()]
    except (OSError, ValueError, RecursionError) as e:
        dest = legacy.with_name(legacy.name + ".unreadable")
        os.replace(legacy, dest)
        return (f"the old KV file {legacy} could not be read ({e}); it was kept as {dest} "
                "and the store starts empty")
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany("INSERT INTO kv (key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", rows)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    dest = legacy.with_name(legacy.name + ".migrated")
    os.replace(legacy, dest)
    return (f"imported {len(rows):,} keys from the old KV file {legacy} (kept as "
            f"{dest.name})")


def _decode(v: object) -> bytes:
    if isinstance(v, str):
        return v.encode("utf-8", "surrogateescape")
    if isinstance(v, dict) and isinstance(v.get("b64"), str):
        return base64.b64decode(v["b64"])
    return json.dumps(v).encode()
