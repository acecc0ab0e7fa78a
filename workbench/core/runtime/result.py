"""Values a run produces: log lines, errors, the run result. Frozen, JSON-ready.

Handler failures are values here (RunError), never exceptions: a trap is an ordinary
outcome of running someone's module, and the CLI/TUI show it like a response.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from workbench.core.http import Response

LEVELS = ("debug", "info", "warn", "error")

# RunError.kind values (docs/handler-abi.md, "Errors"):
ERROR_KINDS = (
    "trap",  # the guest trapped (unreachable, out of bounds, ...): backtrace attached
    "timeout",  # wall-clock limit hit (epoch interruption)
    "fuel",  # fuel limit hit
    "memory",  # linear memory limit hit (instantiation or grow denied, then a trap)
    "abi",  # module does not fit the ABI, or a bad pointer / length came back
    "handler",  # edge handler returned a negative value: handler-declared failure
    "response",  # the response bytes are not a valid HTTP/1.1 (or CGI) response
    "response_too_large",  # over Limits.max_response_bytes
    "exit",  # WAGI command exited with a non-zero status
    "host",  # a host function failed inside the workbench (a workbench bug)
    "instantiate",  # instantiation failed for another reason (start function trapped, ...)
)


class LogLine(NamedTuple):
    """One guest log line. `t_us` is microseconds since the start of the run."""

    t_us: float
    level: str
    message: str
    fields: dict[str, Any] | None = None
    source: str = "log"  # log | stdout | stderr

    def to_json(self) -> dict[str, Any]:
        return {"t_us": round(self.t_us, 1), "level": self.level, "message": self.message,
                "fields": self.fields, "source": self.source}


def parse_fields(message: str) -> dict[str, Any] | None:
    """Structured fields of a log message: a JSON object, or `key=value` pairs."""
    text = message.strip()
    if text.startswith("{"):
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError):
            return None
        return doc if isinstance(doc, dict) else None
    if "=" not in text:
        return None
    out: dict[str, Any] = {}
    for part in _split_kv(text):
        key, eq, value = part.partition("=")
        if not eq or not key or not key.replace("_", "").replace(".", "").isalnum():
            return None
        out[key] = value.strip('"')
    return out or None


def _split_kv(text: str) -> list[str]:
    """Split on spaces outside double quotes: `a=1 msg="two words"`."""
    parts: list[str] = []
    cur: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == " " and not quoted:
            if cur:
                parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if cur:
        parts.append("".join(cur))
    return parts


@dataclass(frozen=True, slots=True)
class RunError:
    kind: str
    message: str
    backtrace: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "backtrace": list(self.backtrace)}


@dataclass(frozen=True, slots=True)
class RunResult:
    """One request through the harness. `timing` in microseconds per phase."""

    response: Response | None
    timing: dict[str, float]
    mode: str
    abi: str
    fuel: int = 0
    memory_bytes: int = 0
    logs: tuple[LogLine, ...] = ()
    error: RunError | None = None
    faults: tuple[str, ...] = ()
    hook: dict[str, Any] | None = None
    module: str | None = None
    cache: str | None = None  # cold mode: "hit" | "miss" | "bypass"

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def fuel_measured(self) -> bool:
        """False where the runtime cannot report fuel (the Extism SDK): show n/a, not 0."""
        return self.abi != "extism"

    @property
    def memory_measured(self) -> bool:
        """False where the runtime cannot read linear memory (the Extism SDK; wasmtime's C
        API for a component's memories)."""
        return self.abi not in ("extism", "wasi-http")

    def to_json(self) -> dict[str, Any]:
        r = self.response
        return {
            "module": self.module, "mode": self.mode, "abi": self.abi,
            "status": r.status if r else None,
            "reason": (r.to_json()["reason"] if r else None),
            "headers": [list(h) for h in r.headers] if r else [],
            "body": r.text if r else None,
            "body_b64": _b64_if_binary(r.body) if r else None,
            "timing": {k: round(v, 1) for k, v in self.timing.items()},
            "fuel": self.fuel, "memory_bytes": self.memory_bytes,
            "logs": [ln.to_json() for ln in self.logs],
            "error": self.error.to_json() if self.error else None,
            "faults": list(self.faults), "hook": self.hook, "cache": self.cache,
        }


@dataclass(frozen=True, slots=True)
class PhaseStats:
    count: int
    p50: float
    p90: float
    p99: float
    p999: float
    max: float
    mean: float

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "p50": round(self.p50, 2), "p90": round(self.p90, 2),
                "p99": round(self.p99, 2), "p999": round(self.p999, 2),
                "max": round(self.max, 2), "mean": round(self.mean, 2)}


@dataclass(frozen=True, slots=True)
class BenchResult:
    """`n` requests in one mode; per-phase percentiles (us) and the harness's own overhead."""

    n: int
    mode: str
    phases: dict[str, PhaseStats]
    errors: dict[str, int] = field(default_factory=dict)  # error kind -> count
    overhead_us: float | None = None  # warm: harness total p50 minus plain call p50
    reference_us: float | None = None  # plain Func.__call__ p50 in the same run
    around_guest_us: float | None = None  # p50 of the harness's own work per request
    fuel: int = 0  # of the last successful request (deterministic)
    cancelled: bool = False
    last: RunResult | None = None
    # per sample: total minus hooks, compile/cache_load, instantiate and handler
    around_guest: PhaseStats | None = None
    faults: dict[str, int] = field(default_factory=dict)  # chaos fault -> times injected

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "mode": self.mode,
                "phases": {k: v.to_json() for k, v in self.phases.items()},
                **{k: v.to_json() for k, v in self.phases.items()},
                "errors": dict(self.errors), "overhead_us": _r(self.overhead_us),
                "reference_us": _r(self.reference_us),
                "around_guest_us": _r(self.around_guest_us),
                "around_guest": self.around_guest.to_json() if self.around_guest else None,
                "fuel": self.fuel, "faults": dict(self.faults),
                "cancelled": self.cancelled}


def _b64_if_binary(body: bytes) -> str | None:
    """The exact body in base64 when it is not UTF-8 (`body` then has replacement chars)."""
    try:
        body.decode("utf-8")
        return None
    except UnicodeDecodeError:
        import base64

        return base64.b64encode(body).decode()


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 2)
