"""One record per served request, and the bus that hands records to subscribers.

Records are immutable values with `to_json()` (the headless log prints them as JSON
lines; the app's request table renders the same values). They are named tuples: one is
made per request, and a frozen dataclass of this size took 8 us to build, a tuple 2 us.
Every phase is in microseconds and is None when the phase did not happen (a hook answer
never instantiates a module).

A record is made on the request's hot path, so it only keeps references (the header
tuples and body bytes the server already has); capping bodies and headers at 64 KiB,
redacting the workspace's secrets and encoding happen in `to_json()`, when a subscriber
asks (the headless log does it in batches, off the request's path).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from workbench.core.runtime.result import LogLine
from workbench.core.runtime.secrets import Secrets

ANSWERED_BY = ("module", "hook", "server")
BODY_CAP = 64 * 1024  # bytes of a request or response body kept in a record's JSON
HEADERS_CAP = 64 * 1024  # bytes of header names and values, likewise
Headers = tuple[tuple[str, str], ...]


class Phases(NamedTuple):
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


class ServeRecord(NamedTuple):
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
    request_headers: Headers = ()  # as the client sent them (before any hook)
    request_body: bytes = b""
    response_headers: Headers = ()  # as sent (Content-Length/Date/Server aside)
    response_body: bytes = b""
    handler_target: str | None = None  # what the handler saw, when not `target` (a mount)
    inline: bool = False  # the module ran on the event loop, not a worker (inline.py)
    secrets: Secrets | None = None  # what to redact (for to_json and the app)

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    def redacted(self, text: str) -> str:
        return self.secrets.redact(text) if self.secrets else text

    def to_json(self) -> dict[str, Any]:
        red = self.redacted
        return {"time": round(self.time, 6), "client": self.client,
                "method": red(self.method),
                "target": red(self.target), "status": self.status,
                "handler_target": None if self.handler_target is None else
                red(self.handler_target),
                "answered_by": self.answered_by, "route": self.route, "module": self.module,
                "build": self.build,
                "hook_rule": None if self.hook_rule is None else red(self.hook_rule),
                "mode": self.mode,
                "inline": self.inline,
                "phases": self.phases.to_json(), "fuel": self.fuel,
                "bytes_in": self.bytes_in, "bytes_out": self.bytes_out,
                "error": None if self.error_kind is None else
                {"kind": self.error_kind, "message": red(self.error or "")},
                "logs": [red_log(ln, self.secrets) for ln in self.logs],
                "request": message_json(self.request_headers, self.request_body,
                                        self.secrets),
                "response": message_json(self.response_headers, self.response_body,
                                         self.secrets)}


def red_log(line: LogLine, secrets: Secrets | None) -> dict[str, Any]:
    doc = line.to_json()
    return secrets.redact_json(doc) if secrets else doc


def message_json(headers: Headers, body: bytes, secrets: Secrets | None) -> dict[str, Any]:
    """Headers and body of a request or response for the log: secrets redacted, then cut
    to BODY_CAP / HEADERS_CAP bytes (`truncated` says so; `body_bytes` is the full size).
    `body` is the text when it is UTF-8, else None and `body_b64` has the bytes."""
    pairs, text, b64, size, truncated = message_parts(headers, body, secrets)
    return {"headers": [[k, v] for k, v in pairs], "body": text, "body_b64": b64,
            "body_bytes": size, "truncated": truncated}


def message_parts(headers: Headers, body: bytes, secrets: Secrets | None
                  ) -> tuple[Headers, str | None, str | None, int, bool]:
    """(headers, text, b64, body size, truncated) of `message_json` (record_line.py
    formats them without a dict)."""
    truncated = False
    if secrets or sum(len(k) + len(v) for k, v in headers) > HEADERS_CAP:
        out: list[tuple[str, str]] = []
        room = HEADERS_CAP
        for k, v in headers:
            if secrets:  # names too: a client may send anything as a header name
                k, v = secrets.redact(k), secrets.redact(v)
            room -= len(k) + len(v)
            if room < 0:
                truncated = True
                break
            out.append((k, v))
        headers = tuple(out)
    size = len(body)
    if not body:
        return headers, "", None, 0, truncated
    if secrets:
        body = secrets.redact_bytes(body)
    if len(body) > BODY_CAP:
        body, truncated = body[:BODY_CAP], True
    text, b64 = body_text(body, truncated)
    return headers, text, b64, size, truncated


def body_text(body: bytes, cut: bool = False) -> tuple[str | None, str | None]:
    """(text, None) for UTF-8 (a character split by the cut is dropped), else (None, b64)."""
    for trim in range(4 if cut else 1):
        try:
            return body[:len(body) - trim].decode("utf-8"), None
        except UnicodeDecodeError:
            continue
    return None, base64.b64encode(body).decode()


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
