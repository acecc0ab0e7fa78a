"""Per-module runtime limits and chaos settings (set in module.toml / workbench.toml)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

MAX_FUEL = 2**63 - 1  # wasmtime keeps fuel in a u64; larger values would wrap around


@dataclass(frozen=True, slots=True)
class Limits:
    timeout_ms: int = 1000  # wall clock per call, enforced by epoch interruption
    fuel: int = 1_000_000_000  # wasm instructions (approx.) per request
    memory_bytes: int = 64 * 1024 * 1024  # linear memory cap via store limits
    max_response_bytes: int = 1024 * 1024
    max_request_bytes: int = 1024 * 1024  # request body; `workbench serve` answers 413 above

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


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
