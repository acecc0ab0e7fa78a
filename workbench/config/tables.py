"""The [budget], [limits] and [chaos] tables shared by module.toml and workbench.toml.

They turn into the core value types (`Budget`, `Limits`, `Chaos`) so the runtime and the
size views never see raw TOML.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from workbench.config.check import Checker
from workbench.core.runtime.chaos import LATENCY_NAMES
from workbench.core.runtime.limits import MAX_FUEL, Chaos, Limits
from workbench.core.size.budget import Budget

# Section names a budget may cap: the standard sections plus any custom section by name.
STANDARD_SECTIONS = ("type", "import", "function", "table", "memory", "global", "export",
                     "start", "element", "code", "data", "datacount", "tag")



def parse_budget(ck: Checker, doc: dict[str, Any]) -> Budget:
    tbl = ck.table(doc, "budget")
    ck.check_keys(tbl, ("max_bytes", "max_gzip_bytes", "sections"), "budget.")
    sections_tbl = ck.table(tbl, "sections", "budget.")
    sections: dict[str, int] = {}
    for name in sections_tbl:
        value = ck.integer(sections_tbl, name, minimum=0, prefix="budget.sections.")
        assert value is not None
        sections[name] = value
    return Budget(
        max_bytes=ck.integer(tbl, "max_bytes", minimum=1, prefix="budget."),
        max_gzip_bytes=ck.integer(tbl, "max_gzip_bytes", minimum=1, prefix="budget."),
        sections=sections,
    )


def parse_limits(ck: Checker, doc: dict[str, Any]) -> Limits:
    tbl = ck.table(doc, "limits")
    keys = Limits.keys()
    ck.check_keys(tbl, keys, "limits.")
    changes = {}
    for key in keys:
        value = ck.integer(tbl, key, minimum=1, prefix="limits.")
        if value is not None:
            changes[key] = value
    if changes.get("fuel", 0) > MAX_FUEL:
        raise ck.error("limits.fuel", f"limits.fuel must be at most {MAX_FUEL}",
                       hint=f"got {changes['fuel']}")
    if "memory_bytes" in changes and changes["memory_bytes"] < 65536:
        raise ck.error("limits.memory_bytes", "limits.memory_bytes is below one wasm page",
                       hint="use at least 65536 (64 KiB)")
    return replace(Limits(), **changes)


def parse_chaos(ck: Checker, doc: dict[str, Any], base: Chaos | None = None) -> Chaos:
    """Chaos from `doc["chaos"]`, layered over `base` (module settings override workspace)."""
    base = base or Chaos()
    if "chaos" not in doc:
        return base
    tbl = ck.table(doc, "chaos")
    ck.check_keys(tbl, ("latency_ms", "kv_failure_rate", "secret_failure_rate",
                        "force_cache_miss", "seed"), "chaos.")
    changes: dict[str, Any] = {}
    if "latency_ms" in tbl:
        lat = ck.table(tbl, "latency_ms", "chaos.")
        ck.check_keys(lat, LATENCY_NAMES, "chaos.latency_ms.")
        merged = dict(base.latency_ms)
        for name in lat:
            value = ck.number(lat, name, lo=0.0, prefix="chaos.latency_ms.")
            assert value is not None
            merged[name] = value
        changes["latency_ms"] = merged
    for key in ("kv_failure_rate", "secret_failure_rate"):
        rate = ck.number(tbl, key, lo=0.0, hi=1.0, prefix="chaos.")
        if rate is not None:
            changes[key] = rate
    miss = ck.boolean(tbl, "force_cache_miss", "chaos.")
    if miss is not None:
        changes["force_cache_miss"] = miss
    seed = ck.integer(tbl, "seed", minimum=0, prefix="chaos.")
    if seed is not None:
        changes["seed"] = seed
    return replace(base, **changes)
