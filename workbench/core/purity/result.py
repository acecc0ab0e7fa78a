"""The purity check's results: frozen dataclasses a CLI prints and a TUI view renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ResponseDiff:
    request: str  # entry name / "GET /path"
    condition: str  # "warm after the others" | "warm, reverse order" | "second fresh run"
    detail: str  # first difference: "status 200 != 200", "body byte 12: '1' != '4'"

    def to_json(self) -> dict[str, Any]:
        return {"request": self.request, "condition": self.condition, "detail": self.detail}


@dataclass(frozen=True)
class StateChange:
    """State a warm instance carries that a fresh one handling the same request does not."""

    kind: str  # "global" | "memory"
    name: str  # global name, or the symbol/segment/"heap" the bytes belong to
    start: int | None = None  # memory: first changed address
    size: int = 0  # memory: changed bytes
    fresh: str = ""  # value on a fresh instance after the same request (globals)
    warm: str = ""  # value on the warm instance
    request: str = ""  # after which request it was seen

    def __str__(self) -> str:
        if self.kind == "global":
            return f"global {self.name}: {self.fresh} fresh, {self.warm} warm (after " \
                   f"{self.request})"
        return f"memory {self.name} @ {self.start:#x}: {self.size} byte(s) differ from a " \
               f"fresh instance (after {self.request})"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "start": self.start, "size": self.size,
                "fresh": self.fresh, "warm": self.warm, "request": self.request}


@dataclass(frozen=True)
class Growth:
    requests: int
    memory_bytes: tuple[int, ...]  # linear memory size after each request
    high_water: tuple[int, ...]  # highest non-zero heap byte after each request
    slope: float  # bytes per request (least squares over high_water, first point skipped)

    @property
    def leaks(self) -> bool:
        return self.slope >= 1.0 and self.high_water[-1] > self.high_water[1]

    def to_json(self) -> dict[str, Any]:
        return {"requests": self.requests, "memory_bytes": list(self.memory_bytes),
                "high_water": list(self.high_water), "slope": round(self.slope, 2),
                "leaks": self.leaks}


@dataclass(frozen=True)
class PurityReport:
    module: str
    abi: str
    requests: int
    safe: bool
    verdict: str  # "safe to reuse and snapshot" or what leaks, where
    nondeterminism: tuple[str, ...] = ()  # "clock (edge.now_ms)", "random (...)", "kv (...)"
    nondeterministic_responses: tuple[ResponseDiff, ...] = ()  # differ between fresh runs
    order_dependent: tuple[ResponseDiff, ...] = ()  # differ warm vs fresh
    state: tuple[StateChange, ...] = ()
    growth: Growth | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    elapsed_ms: float = 0.0

    def lines(self) -> list[tuple[str, str]]:
        """(kind, text) lines both front ends print: kind is ok | bad | warn | note."""
        out = [("ok" if self.safe else "bad",
                f"{self.module} ({self.abi}, {self.requests} request(s)): {self.verdict}")]
        if self.nondeterminism:
            out.append(("note", "imports nondeterminism: " + ", ".join(self.nondeterminism)))
        out += [("warn", f"order {d.request} ({d.condition}): {d.detail}")
                for d in self.order_dependent]
        out += [("warn", f"nondeterministic {d.request}: {d.detail}")
                for d in self.nondeterministic_responses]
        out += [("bad", f"state {s}") for s in self.state]
        g = self.growth
        if g is not None:
            out.append(("bad" if g.leaks else "note",
                        f"growth: heap high-water {g.high_water[0]:,} -> {g.high_water[-1]:,} B "
                        f"over {g.requests} warm requests ({g.slope:,.1f} B/request); "
                        f"memory {g.memory_bytes[-1]:,} B"))
        out += [("note", n) for n in self.notes]
        out.append(("note", f"{self.elapsed_ms:,.0f} ms"))
        return out

    def to_json(self) -> dict[str, Any]:
        return {"module": self.module, "abi": self.abi, "requests": self.requests,
                "safe": self.safe, "verdict": self.verdict,
                "nondeterminism": list(self.nondeterminism),
                "nondeterministic_responses": [d.to_json()
                                               for d in self.nondeterministic_responses],
                "order_dependent": [d.to_json() for d in self.order_dependent],
                "state": [s.to_json() for s in self.state],
                "growth": self.growth.to_json() if self.growth else None,
                "notes": list(self.notes), "elapsed_ms": round(self.elapsed_ms, 1)}
