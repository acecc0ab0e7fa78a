"""Replay against a URL: saved requests sent over HTTP instead of through the harness.

`UrlTarget(base_url)` has the harness's `run(request, mode, hooks)` shape, so
`replay(entries, UrlTarget(...))` checks the same assertions against `workbench serve`,
a staging host or anything else that speaks HTTP/1.1. One keep-alive connection per
target (`http.client`), reopened when the server closed it.

What a URL cannot tell: fuel (unless the server is `workbench serve`, which sends
`x-workbench-fuel`) and which hook rule answered (`x-workbench-hook`). Those two headers
are taken off the response, so stored responses and header assertions look the same as
with a local replay. `mode` and `hooks` are ignored: the server decides.
"""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from workbench.core.http import Request, Response, header_get, header_remove

FUEL_HEADER = "x-workbench-fuel"
HOOK_HEADER = "x-workbench-hook"
DEFAULT_TIMEOUT_S = 30.0


class BadUrl(ValueError):
    """The base URL is not http(s)://host[:port][/prefix]."""


@dataclass(frozen=True, slots=True)
class RemoteError:
    kind: str  # "connection" | "timeout" | "protocol"
    message: str
    backtrace: tuple[str, ...] = ()


@dataclass(frozen=True)
class RemoteRun:
    """One request sent to a URL; the fields `replay` reads from a harness RunResult."""

    response: Response | None
    timing: dict[str, float]
    fuel: int | None = None
    error: RemoteError | None = None
    hook: dict[str, Any] | None = None
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        r = self.response
        return {"url": self.url, "status": r.status if r else None,
                "reason": r.to_json()["reason"] if r else None,
                "headers": [list(h) for h in r.headers] if r else [],
                "body": r.text if r else None,
                "timing": {k: round(v, 1) for k, v in self.timing.items()},
                "fuel": self.fuel, "hook": self.hook,
                "error": None if self.error is None else
                {"kind": self.error.kind, "message": self.error.message}}


class UrlTarget:
    def __init__(self, base_url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S):
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadUrl(f"{base_url!r} is not an http:// or https:// URL with a host")
        if parts.query or parts.fragment:
            raise BadUrl(f"{base_url!r}: the base URL takes no query or fragment")
        self.base_url = base_url.rstrip("/")
        self.scheme, self.netloc = parts.scheme, parts.netloc
        self.host, self.port = parts.hostname, parts.port
        self.prefix = parts.path.rstrip("/")
        self.timeout_s = timeout_s
        self._conn: http.client.HTTPConnection | None = None

    def url_for(self, target: str) -> str:
        return f"{self.scheme}://{self.netloc}{self.prefix}{target}"

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = (http.client.HTTPSConnection if self.scheme == "https"
                   else http.client.HTTPConnection)
            self._conn = cls(self.host, self.port, timeout=self.timeout_s)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def run(self, request: Request, mode: str = "fresh", hooks: Any = None) -> RemoteRun:
        """Send `request`; never raises for network trouble (see RemoteRun.error)."""
        url = self.url_for(request.target)
        t0 = time.perf_counter_ns()
        try:
            try:
                status, reason, headers, body = self._send(request)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()  # a keep-alive connection the server had closed: once more
                status, reason, headers, body = self._send(request)
        except TimeoutError:
            self.close()
            return self._failed(url, t0, "timeout", f"no answer from {url} within "
                                f"{self.timeout_s:g} s")
        except (OSError, http.client.HTTPException) as e:
            self.close()
            kind = "protocol" if isinstance(e, http.client.HTTPException) else "connection"
            return self._failed(url, t0, kind, f"{url}: {type(e).__name__}: {e}")
        total = (time.perf_counter_ns() - t0) / 1000
        fuel_text = header_get(headers, FUEL_HEADER)
        rule = header_get(headers, HOOK_HEADER)
        headers = header_remove(header_remove(headers, FUEL_HEADER), HOOK_HEADER)
        fuel = int(fuel_text) if fuel_text and fuel_text.isdecimal() else None
        hook = {"answered": True, "rule": rule} if rule else None
        return RemoteRun(Response(status, headers, body, reason), {"total": total},
                         fuel, None, hook, url)

    def _send(self, request: Request) -> tuple[int, str, tuple[tuple[str, str], ...], bytes]:
        conn = self._connection()
        names = {k.lower() for k, _ in request.headers}
        conn.putrequest(request.method, self.prefix + request.target,
                        skip_host="host" in names, skip_accept_encoding=True)
        for k, v in request.headers:
            conn.putheader(k, v)
        if request.body and "content-length" not in names:
            conn.putheader("content-length", str(len(request.body)))
        conn.endheaders(request.body or None)
        resp = conn.getresponse()
        body = resp.read()
        if resp.will_close:
            self.close()
        return resp.status, resp.reason, tuple(resp.getheaders()), body

    def _failed(self, url: str, t0: int, kind: str, message: str) -> RemoteRun:
        total = (time.perf_counter_ns() - t0) / 1000
        return RemoteRun(None, {"total": total}, None, RemoteError(kind, message), None, url)
