"""Last responses per saved request, kept between replays, and the diff against them.

After each replay the response of every entry is written to a JSON file (by default
`<module>/.workbench/last_responses.json`). The next replay compares the new response
with the stored one and reports what changed between the two builds: status, headers
(added / removed / changed) and a unified diff of the body.
"""

from __future__ import annotations

import base64
import difflib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.http import Response

MAX_BODY = 256 * 1024  # bodies larger than this are stored truncated (diff of the prefix)


def response_record(resp: Response | None, error: str | None = None) -> dict[str, Any]:
    """A JSON-able snapshot of a response (or of a failed run)."""
    if resp is None:
        return {"status": None, "headers": [], "body": "", "error": error}
    body = resp.body[:MAX_BODY]
    try:
        text, enc = body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, enc = base64.b64encode(body).decode(), "base64"
    return {"status": resp.status, "headers": [list(h) for h in resp.headers], "body": text,
            "encoding": enc, "truncated": len(resp.body) > MAX_BODY, "error": error}


@dataclass(frozen=True, slots=True)
class ResponseDiff:
    """What changed since the last replay of the same entry."""

    status: tuple[int | None, int | None] | None  # (before, after) when different
    headers_added: tuple[tuple[str, str], ...]
    headers_removed: tuple[tuple[str, str], ...]
    headers_changed: tuple[tuple[str, str, str], ...]  # (name, before, after)
    body_diff: tuple[str, ...]  # unified diff lines, empty when the body is the same
    error: tuple[str | None, str | None] | None = None  # run error before/after if different

    @property
    def changed(self) -> bool:
        return bool(self.status or self.headers_added or self.headers_removed
                    or self.headers_changed or self.body_diff or self.error)

    def to_json(self) -> dict[str, Any]:
        return {"status": list(self.status) if self.status else None,
                "headers_added": [list(h) for h in self.headers_added],
                "headers_removed": [list(h) for h in self.headers_removed],
                "headers_changed": [list(h) for h in self.headers_changed],
                "body_diff": list(self.body_diff),
                "error": list(self.error) if self.error else None}


def _headers(rec: dict[str, Any]) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in rec.get("headers", [])}


def _body_lines(rec: dict[str, Any]) -> list[str]:
    text = rec.get("body", "")
    if rec.get("encoding") == "base64":
        text = f"<{len(base64.b64decode(text))} bytes of binary, base64>\n{text}"
    if rec.get("encoding") != "base64" and text.lstrip().startswith(("{", "[")):
        try:  # pretty-print JSON so a one-line body diffs field by field
            text = json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False)
        except (ValueError, RecursionError):
            pass
    return text.splitlines(keepends=False)


def diff_records(before: dict[str, Any], after: dict[str, Any]) -> ResponseDiff:
    hb, ha = _headers(before), _headers(after)
    body = tuple(difflib.unified_diff(_body_lines(before), _body_lines(after),
                                      "last replay", "this replay", lineterm="", n=2))
    status = ((before.get("status"), after.get("status"))
              if before.get("status") != after.get("status") else None)
    error = ((before.get("error"), after.get("error"))
             if before.get("error") != after.get("error") else None)
    return ResponseDiff(
        status=status,
        headers_added=tuple((k, v) for k, v in ha.items() if k not in hb),
        headers_removed=tuple((k, v) for k, v in hb.items() if k not in ha),
        headers_changed=tuple((k, hb[k], v) for k, v in ha.items() if k in hb and hb[k] != v),
        body_diff=body, error=error)


class LastResponses:
    """The JSON store: entry key -> response record. Missing or empty file = empty store.

    A file that exists but is not such a store (a mistyped `--store`, a file of the user's)
    reads as empty and is never overwritten: `foreign` is set and `save()` refuses.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.records: dict[str, dict[str, Any]] = {}
        self.foreign = False
        if path is not None and path.exists():
            try:
                raw = path.read_bytes()
                doc = json.loads(raw.decode("utf-8")) if raw.strip() else {"entries": {}}
            except (OSError, ValueError, RecursionError):
                doc = None
            if isinstance(doc, dict) and isinstance(doc.get("entries"), dict):
                self.records = doc["entries"]
            else:
                self.foreign = True

    def get(self, key: str) -> dict[str, Any] | None:
        return self.records.get(key)

    def put(self, key: str, record: dict[str, Any]) -> None:
        self.records[key] = record

    def save(self) -> None:
        """Atomic write (a crash never leaves half a file behind)."""
        if self.path is None:
            return
        if self.foreign:
            raise OSError(f"{self.path} is not a last-responses file (left untouched; pass "
                          f"another --store or delete it)")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps({"version": 1, "entries": self.records}, indent=1,
                                      ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
