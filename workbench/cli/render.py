"""Shared CLI rendering helpers: one rich Console and JSON output."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def print_json(doc: Any) -> None:
    """One JSON document per line (JSON lines when several are printed)."""
    sys.stdout.write(json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n")
