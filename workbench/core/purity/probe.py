"""Requests on chosen instances, with snapshots of globals and memory around them.

Built only on the Harness's public API: `abi` (compiles and links), `instantiate_edge`,
`scratch_host_state` (every request sees its own copy of the same KV contents and no
chaos, so KV-held state cannot masquerade as instance state), `request_bytes`, `limits`,
`touch_ticker`. One `Probe` per module copy (the instrumented bytes). The host's clock
(`edge.now_ms`) and random source (`edge.random_fill`) are frozen per "world", so a
second world tells whether a response depends on them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from workbench.core.http import Request, Response
from workbench.core.purity.instrument import PREFIX
from workbench.core.runtime.chaos import ChaosState
from workbench.core.runtime.edge import EdgeInstance, call_edge
from workbench.core.runtime.failures import classify
from workbench.core.runtime.harness import Harness
from workbench.core.runtime.limits import Chaos
from workbench.core.runtime.result import RunError
from workbench.core.runtime.runner import deadline_ticks


@dataclass(frozen=True)
class Outcome:
    response: Response | None
    error: str | None

    def key(self, ignore: frozenset[str]) -> tuple[Any, ...]:
        if self.response is None:
            return ("error", self.error)
        r = self.response
        headers = tuple((k.lower(), v) for k, v in r.headers if k.lower() not in ignore)
        return (r.status, headers, r.body)


class NotInstantiable(Exception):
    """A fresh instance of the module could not be made (a trapping start function, a
    memory or table over the limits, a data segment out of bounds): nothing to compare.
    `error` is the runtime's `RunError` (kind and message, as `workbench run` shows)."""

    def __init__(self, error: RunError):
        super().__init__(error.message)
        self.error = error


PURITY_TIMEOUT_MS = 10_000  # per call; the module's own limit when it is larger
CLOCK_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z: what `now_ms` returns in world 0
SEED = 20260101


class Probe:
    def __init__(self, harness: Harness, global_indices: list[int]):
        self.h = harness
        self.global_indices = global_indices
        self.h.check()  # compiles, links; typed AbiMismatch for a non-handler

    def instance(self) -> EdgeInstance:
        with self.h.scratch_host_state() as st:
            made = self.h.instantiate_edge(None, st)
        if not isinstance(made, EdgeInstance):
            raise NotInstantiable(made)
        return made

    def call(self, inst: EdgeInstance, request: Request, world: int = 0) -> Outcome:
        """One request; `world` picks the frozen clock and random seed the host shows
        (same world, same inputs: any difference comes from the instance)."""
        h = self.h
        with h.scratch_host_state() as st:
            st.chaos = ChaosState(Chaos(seed=SEED + world))
            st.begin()
            st.now_ms = CLOCK_MS + world * 3_600_007
            inst.ops.set_fuel(h.limits.fuel)
            # the check compares state, not latency: a generous deadline, so a loaded
            # machine cannot turn a slow call into a trap that reads as "impure"
            timeout_ms = max(h.limits.timeout_ms, PURITY_TIMEOUT_MS)
            inst.ops.set_deadline(deadline_ticks(timeout_ms))
            h.touch_ticker(timeout_ms)
            try:
                out = call_edge(inst, h.request_bytes(request), h.limits.max_response_bytes)
            except Exception as e:  # noqa: BLE001 - a trap is an outcome here, not a crash
                inst.poisoned = True
                err = classify(e, replace(h.limits, timeout_ms=timeout_ms), inst.mem.size())
                if err.kind == "timeout":
                    return Outcome(None, timeout_text(h.limits.timeout_ms, timeout_ms))
                return Outcome(None, f"{err.kind}: {err.message}")
            if st.host_error:
                return Outcome(None, st.host_error)
        return Outcome(out.response, out.error.message if out.error else None)

    @staticmethod
    def memory(inst: EdgeInstance) -> bytes:
        return inst.mem.read(0, inst.mem.size()) or b""

    def globals(self, inst: EdgeInstance) -> dict[int, object]:
        """Each mutable global's value, comparable with `==` (see `comparable`); a global
        wasmtime-py cannot read (a v128) is left out."""
        out: dict[int, object] = {}
        for i in self.global_indices:
            read = getattr(inst.exports.get(f"{PREFIX}{i}"), "value", None)  # a Global
            if callable(read):
                try:
                    out[i] = comparable(read(inst.store))
                except Exception:  # noqa: BLE001 - WasmtimeError "unknown valkind" (v128)
                    continue
        return out


def timeout_text(configured_ms: int, used_ms: int) -> str:
    """What a timed-out purity call says: the deadline it had (not always the module's own
    limit: the check gives each call at least PURITY_TIMEOUT_MS) and what to do."""
    why = ("limits.timeout_ms" if used_ms == configured_ms else
           f"the purity check gives each call at least {used_ms:,} ms; limits.timeout_ms "
           f"is {configured_ms:,} ms")
    return (f"timeout: the handler did not answer within {used_ms:,} ms ({why}) and was "
            "stopped: it loops or waits for ever on this request. Fix the loop (`workbench "
            "run` shows where it was), or if it is only slow, raise limits.timeout_ms in "
            "module.toml")


def comparable(value: object) -> object:
    """A global's value as `==` should see it: an integer as it is; a float as its text
    (NaN equals NaN, -0.0 differs from 0.0); a reference as null or the kind of object it
    holds (funcref / externref globals: which object is not comparable across
    instances)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "null" if value is None else f"<{type(value).__name__}>"
    return repr(value) if isinstance(value, float) else value
