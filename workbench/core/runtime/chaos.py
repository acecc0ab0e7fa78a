"""Fault injection during a run: seeded, and every injected fault is recorded.

A `Chaos` (limits.py) says what to inject; a `ChaosState` lives as long as a harness so a
seeded sequence of faults is reproducible across a bench of many requests.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from workbench.core.abi.host_signatures import HOST_SIGNATURES
from workbench.core.runtime.limits import Chaos

# The name `latency_ms` uses for a component's outgoing HTTP request (wasi:http
# outgoing-handler#handle, answered by `[[outbound]]` stubs); edge modules have no such call.
HTTP_FETCH = "http_fetch"
# What `[chaos] latency_ms` and `--chaos latency:NAME=MS` accept: `*` (every call), the edge
# host functions, and the component-only names. Component KV and config calls use the edge
# names: get/exists/list-keys -> kv_get, set -> kv_put, delete -> kv_delete, config and
# variables get/get-all -> secret_get.
LATENCY_NAMES: tuple[str, ...] = ("*", *HOST_SIGNATURES, HTTP_FETCH)


class ChaosState:
    def __init__(self, chaos: Chaos):
        self.chaos = chaos
        self.rng = random.Random(chaos.seed)
        self.faults: list[str] = []  # of the current run; the harness clears it per run

    def latency(self, fn: str) -> float:
        """The added milliseconds configured for call `fn` (its own, else `*`); 0: none."""
        return self.chaos.latency_ms.get(fn) or self.chaos.latency_ms.get("*") or 0.0

    def fail(self, fn: str) -> bool:
        """Whether this kv/secret call should fail with UNAVAILABLE (recorded when it does)."""
        rate = (self.chaos.secret_failure_rate if fn.startswith("secret")
                else self.chaos.kv_failure_rate)
        if rate > 0 and self.rng.random() < rate:
            self.faults.append(f"fail:{fn}")
            return True
        return False


def parse_chaos_spec(specs: Sequence[str], seed: int | None = None,
                     base: Chaos | None = None) -> Chaos:
    """CLI `--chaos` items: `latency:kv_get=20` (`latency:*=20` for all), `kv_fail=0.3`,
    `secret_fail=0.5`, `cache_miss`, `seed=7`, `off` (drop the configured chaos first).
    Items override the same settings of `base` (the module/workspace config) and keep
    the others. FN is one of LATENCY_NAMES. Raises ValueError naming the offending item."""
    base = base or Chaos(seed=seed)
    latency: dict[str, float] = dict(base.latency_ms)
    kv, secret, miss, seed = (base.kv_failure_rate, base.secret_failure_rate,
                              base.force_cache_miss, base.seed)
    for item in specs:
        for part in item.split(","):
            part = part.strip()
            if not part:
                continue
            key, eq, value = part.partition("=")
            try:
                if key.startswith("latency:") and eq:
                    fn = key.split(":", 1)[1]
                    if fn not in LATENCY_NAMES:
                        raise ValueError(f"no host function {fn!r}; known: *, "
                                         f"{', '.join(sorted(HOST_SIGNATURES))}, "
                                         f"{HTTP_FETCH} (components)")
                    latency[fn] = _ms(value)
                elif key == "kv_fail" and eq:
                    kv = _rate(value)
                elif key == "secret_fail" and eq:
                    secret = _rate(value)
                elif key == "cache_miss" and not eq:
                    miss = True
                elif key == "seed" and eq:
                    seed = int(value)
                elif key in ("off", "none") and not eq:
                    latency, kv, secret, miss = {}, 0.0, 0.0, False
                else:
                    raise ValueError("")
            except ValueError as e:
                why = f" ({e})" if str(e) and "could not convert" not in str(e) \
                    and "invalid literal" not in str(e) else ""
                raise ValueError(
                    f"bad chaos item {part!r}{why}: use latency:FN=MS, kv_fail=RATE (0..1), "
                    "secret_fail=RATE, cache_miss, seed=N, off") from None
    return Chaos(latency_ms=latency, kv_failure_rate=kv, secret_failure_rate=secret,
                 force_cache_miss=miss, seed=seed)


def _ms(value: str) -> float:
    ms = float(value)
    if not 0.0 <= ms <= 60_000.0:
        raise ValueError("latency must be 0..60000 ms")
    return ms


def _rate(value: str) -> float:
    r = float(value)
    if not 0.0 <= r <= 1.0:
        raise ValueError
    return r
