"""Size history: raw and gzip size of each build, kept across restarts.

One JSON line per build that changed the bytes, in `<module>/.workbench/size_history.jsonl`
(the folder the replay store already uses), at most MAX_POINTS lines. Unreadable lines
are skipped: a history is a convenience, never a reason to fail a build.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE = Path(".workbench") / "size_history.jsonl"
MAX_POINTS = 200


@dataclass(frozen=True, slots=True)
class SizePoint:
    time: float  # Unix seconds
    size: int
    gzip_size: int | None

    def to_json(self) -> dict[str, Any]:
        return {"time": round(self.time, 3), "size": self.size, "gzip_size": self.gzip_size}


def history_file(module_root: Path, name: str | None = None) -> Path:
    """The module's history file; `name` for one of several modules sharing a folder
    (.wasm files opened side by side)."""
    return module_root / (FILE if name is None else FILE.with_name(f"size_history-{name}.jsonl"))


def read_history(module_root: Path, name: str | None = None) -> list[SizePoint]:
    path = history_file(module_root, name)
    try:
        if not path.is_file() or path.stat().st_size > 1 << 20:
            return []
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    out = []
    for line in lines[-2 * MAX_POINTS:]:
        try:
            doc = json.loads(line)
            gz = doc.get("gzip_size")
            out.append(SizePoint(float(doc["time"]), int(doc["size"]),
                                 int(gz) if gz is not None else None))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return out[-MAX_POINTS:]


def record_build(module_root: Path, size: int, gzip_size: int | None,
                 now: float | None = None, name: str | None = None) -> list[SizePoint]:
    """Append a point unless the last one has the same sizes; returns the history."""
    points = read_history(module_root, name)
    if points and points[-1].size == size and points[-1].gzip_size == gzip_size:
        return points
    points.append(SizePoint(time.time() if now is None else now, size, gzip_size))
    points = points[-MAX_POINTS:]
    path = history_file(module_root, name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text("".join(json.dumps(p.to_json()) + "\n" for p in points),
                       encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # read-only checkout: the history just is not kept
    return points
