"""One record per served request, and the bus that hands records to subscribers.

Records are frozen values with `to_json()` (the headless log prints them as JSON lines;
the app's request table renders the same values). Every phase is in microseconds and is
None when the phase did not happen (a hook answer never instantiates a module).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.core.runtime.result import LogLine

ANSWERED_BY = ("module", "hook", "server")


@dataclass(frozen=True, slots=True)
class Phases:
    """Where a request's time went, in microseconds (None: the phase did not run)."""

    queue_us: float | None = None  # waiting for a free worker
    hooks_us: float | None = None  # the route's hooks file
    instantiate_us: float | None = None  # a new instance (fresh mode, or a warm refill)
    handler_us: float | None = None  # the guest's `handle` / `_start` call
    run_us: float | None = None  # the whole harness run (handler + work around it)
    total_us: float = 0.0  # request read to response ready, as the server saw it

    def to_json(self) -> dict[str, float | None]:
        return {k: None if v is None else round(v, 1) for k, v in (
            ("queue", self.queue_us), ("hooks", self.hooks_us),
            ("instantiate", self.instantiate_us), ("handler", self.handler_us),
            ("run", self.run_us), ("total", self.total_us))}


@dataclass(frozen=True, slots=True)
class ServeRecord:
    """One served request: who asked, what answered, how long each phase took."""

    time: float  # Unix time (seconds) when the request arrived
    client: str  # peer address
    method: str
    target: str  # path and query, as on the request line
    status: int
    answered_by: str  # "module" | "hook" | "server" (routing, limits, overload)
    route: str | None  # the matched route prefix
    module: str | None  # the module name of the route
    build: int | None  # which build of the module served it (1, 2, ...)
    hook_rule: str | None  # the hook rule that answered or changed the request
    phases: Phases
    fuel: int | None  # None when no module ran
    bytes_in: int  # request body bytes
    bytes_out: int  # response body bytes
    error_kind: str | None = None  # RunError.kind, or a server-side reason (overload...)
    error: str | None = None
    mode: str | None = None  # cold | fresh | warm
    logs: tuple[LogLine, ...] = ()  # the guest's log lines for this request

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    def to_json(self) -> dict[str, Any]:
        return {"time": round(self.time, 6), "client": self.client, "method": self.method,
                "target": self.target, "status": self.status,
                "answered_by": self.answered_by, "route": self.route, "module": self.module,
                "build": self.build, "hook_rule": self.hook_rule, "mode": self.mode,
                "phases": self.phases.to_json(), "fuel": self.fuel,
                "bytes_in": self.bytes_in, "bytes_out": self.bytes_out,
                "error": None if self.error_kind is None else
                {"kind": self.error_kind, "message": self.error},
                "logs": [ln.to_json() for ln in self.logs]}


@dataclass(frozen=True, slots=True)
class ServeEvent:
    """Something the server did that is not a request: started, reloaded, kept a build."""

    time: float
    kind: str  # listening | watching | swapped | build_failed | load_failed | stopping |
    # protocol_error (a malformed request aiohttp refused)
    message: str
    route: str | None = None
    module: str | None = None
    build: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"event": self.kind, "time": round(self.time, 6), "message": self.message,
                "route": self.route, "module": self.module, "build": self.build}


Subscriber = Callable[[ServeRecord | ServeEvent], None]


class LogBus:
    """Fan-out of records and events. Subscribers run on the server's event loop thread;
    one that raises is dropped from nothing and breaks nothing (the error is counted)."""

    def __init__(self) -> None:
        self._subs: list[Subscriber] = []
        self.subscriber_errors = 0

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call `callback(item)` for every record and event; returns the unsubscribe."""
        self._subs = [*self._subs, callback]

        def unsubscribe() -> None:
            self._subs = [s for s in self._subs if s is not callback]

        return unsubscribe

    def publish(self, item: ServeRecord | ServeEvent) -> None:
        for cb in self._subs:
            try:
                cb(item)
            except Exception:  # a subscriber's bug must not fail the request
                self.subscriber_errors += 1
