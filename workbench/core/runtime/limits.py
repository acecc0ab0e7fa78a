"""Per-module runtime limits and chaos settings (set in module.toml / workbench.toml).

Every number here bounds something a hostile or buggy handler could otherwise grow
without end: wall clock and instructions per call, linear memory, table elements and the
count of instances/tables/memories per store (`table.grow 0x7ffffff0` would otherwise take
gigabytes of host memory, outside both the fuel and the epoch deadline), the response,
the log a run may write, and the KV store a handler fills.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

MAX_FUEL = 2**63 - 1  # wasmtime keeps fuel in a u64; larger values would wrap around


@dataclass(frozen=True, slots=True)
class Limits:
    timeout_ms: int = 1000  # wall clock per call: epoch interruption + bounded WASI sleeps
    fuel: int = 1_000_000_000  # wasm instructions (approx.) per request
    memory_bytes: int = 64 * 1024 * 1024  # linear memory cap via store limits
    max_response_bytes: int = 1024 * 1024
    max_request_bytes: int = 1024 * 1024  # request body; `workbench serve` answers 413 above
    table_elements: int = 100_000  # per table, via store limits (table.grow fails beyond)
    instances: int = 10  # per store (one module instance, plus room for adapters)
    tables: int = 10  # per store
    memories: int = 10  # per store
    max_log_bytes: int = 1024 * 1024  # per request, all log lines together
    max_log_line_bytes: int = 16 * 1024  # per log line (longer lines are cut, marked)
    kv_max_keys: int = 100_000  # in the whole KV store
    kv_max_key_bytes: int = 1024
    kv_max_value_bytes: int = 1024 * 1024
    kv_max_total_bytes: int = 64 * 1024 * 1024  # keys + values, whole store

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """The `[limits]` keys module.toml accepts (every field, all positive integers)."""
        return tuple(f.name for f in fields(cls))


@dataclass(frozen=True, slots=True)
class Chaos:
    """Fault injection. Everything off by default."""

    latency_ms: dict[str, float] = field(default_factory=dict)  # host fn name -> added ms
    kv_failure_rate: float = 0.0  # 0..1, chance a kv_* call returns an error
    secret_failure_rate: float = 0.0  # 0..1, chance a secret_get call returns an error
    force_cache_miss: bool = False  # cold path always compiles, ignoring the disk cache
    seed: int | None = None  # for reproducible fault sequences

    @property
    def active(self) -> bool:
        return bool(self.latency_ms or self.kv_failure_rate or self.secret_failure_rate
                    or self.force_cache_miss)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
