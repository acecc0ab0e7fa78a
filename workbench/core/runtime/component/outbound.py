"""Answers for wasi:http/outgoing-handler: fixed stubs per URL pattern, never the network.

A `Stub` matches the request URL (`https://host/path?query`) with an fnmatch pattern
(`https://api.example.com/*`) and answers a fixed response or a wasi:http `error-code`
(`connection-refused`, `DNS-timeout`, ...). No match: `HTTP-request-denied`, and a
`[workbench]` warn line in the run's logs says which URL had no stub.
"""

from __future__ import annotations

import fnmatch
from collections import deque
from dataclasses import dataclass, field
from typing import Any

DENIED = ("HTTP-request-denied", None)
# The wasi:http 0.2 `error-code` cases without a payload: what a stub's `error` may name.
ERROR_CODES = (
    "DNS-timeout", "destination-not-found", "destination-unavailable",
    "destination-IP-prohibited", "destination-IP-unroutable", "connection-refused",
    "connection-terminated", "connection-timeout", "connection-read-timeout",
    "connection-write-timeout", "connection-limit-reached", "TLS-protocol-error",
    "TLS-certificate-error", "HTTP-request-denied", "HTTP-request-length-required",
    "HTTP-request-method-invalid", "HTTP-request-URI-invalid", "HTTP-request-URI-too-long",
    "HTTP-response-incomplete", "HTTP-response-timeout", "HTTP-upgrade-failed",
    "HTTP-protocol-error", "loop-detected", "configuration-error")


@dataclass(frozen=True, slots=True)
class Stub:
    pattern: str  # fnmatch pattern over the full URL; "*" matches everything
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    error: str | None = None  # a wasi:http error-code case without payload

    def to_json(self) -> dict[str, Any]:
        return {"pattern": self.pattern, "status": self.status,
                "headers": [list(h) for h in self.headers],
                "body": self.body.decode("utf-8", "replace"), "error": self.error}


@dataclass(frozen=True, slots=True)
class Outbound:
    stubs: tuple[Stub, ...] = ()
    # The last URLs asked for (tests, the served log); bounded: one Outbound serves a module
    # for as long as `workbench serve` runs.
    calls: deque[str] = field(default_factory=lambda: deque(maxlen=256), compare=False,
                                repr=False)

    def answer(self, req: Any) -> Any:
        """("ok", (status, headers, body)) or ("err", error-code) for an OutgoingRequest."""
        from workbench.core.runtime.component.state import state

        url = request_url(req)
        self.calls.append(url)
        for stub in self.stubs:
            if fnmatch.fnmatchcase(url, stub.pattern):
                if stub.error:
                    return ("err", (stub.error, None))
                return ("ok", (stub.status,
                               [(k, v.encode()) for k, v in stub.headers], stub.body))
        state().log("warn", f"[workbench] outgoing request to {url} denied: no outbound "
                            "stub matches it (the workbench never uses the network)",
                    "log")
        return ("err", DENIED)


def request_url(req: Any) -> str:
    scheme = req.scheme
    name = "https" if scheme is None or scheme[0] == "HTTPS" else (
        "http" if scheme[0] == "HTTP" else str(scheme[1]))
    return f"{name}://{req.authority or ''}{req.path or '/'}"
