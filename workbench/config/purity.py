"""`[purity]` in workbench.toml: what the purity check ignores and how long it probes.

    [purity]
    ignore_headers = ["date", "x-request-id"]  # response headers not compared
    growth_requests = 24                        # warm requests for the growth slope
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.config.check import Checker, read_toml
from workbench.config.workspace import nearest_workspace_file

PURITY_KEYS = ("ignore_headers", "growth_requests")


@dataclass(frozen=True)
class PuritySettings:
    ignore_headers: tuple[str, ...] = ("date",)
    growth_requests: int = 24


def purity_settings(start: Path) -> PuritySettings:
    found = nearest_workspace_file(start if start.is_dir() else start.parent)
    if found is None:
        return PuritySettings()
    doc, text = read_toml(found)
    if "purity" not in doc:
        return PuritySettings()
    ck = Checker(found, text)
    table = ck.table(doc, "purity")
    ck.check_keys(table, PURITY_KEYS, prefix="purity.")
    headers = ck.strings(table, "ignore_headers", prefix="purity.")
    n = ck.integer(table, "growth_requests", minimum=3)
    if n is not None and n > 10_000:
        raise ck.error("purity.growth_requests", "growth_requests above 10000 takes minutes",
                       hint="24 to 200 shows a leak's slope")
    return PuritySettings(tuple(h.lower() for h in headers) if headers is not None
                          else ("date",), n if n is not None else 24)
