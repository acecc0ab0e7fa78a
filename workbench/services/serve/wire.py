"""What `DevServer` does at the HTTP level besides routing: reading a request body within
its route's limit and time (with `100 Continue` for a client that waits for it), turning
aiohttp's own complaints into `protocol_error` events, and keeping a 500's body small."""

from __future__ import annotations

import asyncio
import json
import logging
import resource
from typing import Any, Protocol

from aiohttp import HttpVersion11, web

from workbench.core.runtime.result import RunResult

LOG_LINE_SHOWN = 2048  # characters of a guest log line in a 500's body (the log has all)
READ_TIMEOUT_S = 10.0  # a request's head, and then its body, must arrive within this


class SlowBody(Exception):
    """The body did not arrive within the read timeout (a slow or stalled client)."""


class Notes(Protocol):
    def note(self, kind: str, message: str) -> None: ...


async def read_body(request: web.BaseRequest, limit: int,
                    timeout: float = READ_TIMEOUT_S) -> bytes | None:
    """The body, or None when it is over `limit` (by content-length, or while reading);
    raises SlowBody when it has not all arrived `timeout` seconds after its head (a
    client sending a byte every few seconds would otherwise hold the request for ever:
    aiohttp has no timeout for a body).

    A client that sent `Expect: 100-continue` waits for `100 Continue` before it sends
    the body (curl for bodies over 1 MB, after a 1 s wait; some clients for ever): it is
    sent once the declared length is known to fit. aiohttp's low-level server does not
    send it (its `web.Application` router does)."""
    declared = request.content_length
    if declared is not None and declared > limit:
        return None
    if not request.body_exists:
        return b""
    if request.version >= HttpVersion11 and \
            request.headers.get("Expect", "").lower() == "100-continue":
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            while True:
                chunk = await request.content.read(65536)
                if not chunk:
                    return b"".join(chunks)
                size += len(chunk)
                if size > limit:
                    return None
                chunks.append(chunk)
    except TimeoutError:
        raise SlowBody(f"request body not received within {timeout:g} s ({size:,} bytes "
                       f"of {_declared(declared)} arrived)") from None


def _declared(length: int | None) -> str:
    return "a chunked body" if length is None else f"{length:,}"


def error_page(module: str, build: int, result: RunResult) -> web.Response:
    """The development 500: the typed error as JSON (kind, message, wasm backtrace) and
    the guest's last 20 log lines, each cut at LOG_LINE_SHOWN characters."""
    err = result.error
    kind = err.kind if err else "response"
    doc = {"error": {"kind": kind, "message": err.message if err else "no response",
                     "backtrace": list(err.backtrace) if err else []},
           "module": module, "build": build,
           "logs": [capped_log_line(ln.to_json(), LOG_LINE_SHOWN) for ln in result.logs[-20:]]}
    return web.Response(status=500, body=json.dumps(doc, indent=2).encode() + b"\n",
                        content_type="application/json", headers={"x-workbench-error": kind})


def capped_log_line(line: dict[str, Any], shown: int) -> dict[str, Any]:
    """A guest log line (`LogLine.to_json()`) for an error body, its message cut at `shown`
    characters: 20 lines of 16 KiB of escaped binary would make a 2 MB error page (the
    request log keeps the whole line)."""
    msg = line["message"]
    if len(msg) > shown:
        line["message"] = msg[:shown] + f" …[{len(msg) - shown:,} more characters in the log]"
    return line


class BusHandler(logging.Handler):
    """aiohttp's protocol logger -> `protocol_error` events (never a traceback on stderr).

    Warnings and errors, and the debug records that carry an exception: aiohttp logs a
    garbage first request line (BadHttpMethod: not HTTP, or TLS to an HTTP port) at debug
    level only, and the log must show why the client got a 400."""

    def __init__(self, server: Notes, kind: str = "protocol_error"):
        super().__init__(logging.DEBUG)
        self.server, self.kind = server, kind

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        if record.levelno < logging.WARNING and exc is None:
            return
        detail = f": {type(exc).__name__}: {exc}" if exc is not None else ""
        try:
            text = " ".join((record.getMessage() + detail).split())  # one line
            self.server.note(self.kind, text[:500])
        except Exception:  # never let logging fail a connection
            pass


def raise_open_files_limit() -> tuple[int, int]:
    """Raise this process's soft limit of open files to its hard limit; (before, after).

    Every connection is a file: at the usual soft limit of 1,024, a thousand idle
    keep-alive connections (a browser, a load test) leave the server unable to accept
    more, and asyncio then retries accept() once a second. The hard limit is what the
    system allows this process anyway (servers such as nginx raise theirs too)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if soft != resource.RLIM_INFINITY and soft < want:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
            return soft, want
        except (OSError, ValueError):
            pass
    return soft, soft


class UntypedResponse(web.Response):
    """A response whose handler set no content-type, sent without one.

    aiohttp adds `Content-Type: application/octet-stream` to every non-empty body that
    has none (RFC 9110 8.3 lets a recipient assume it), and a browser then downloads the
    body instead of showing it: a componentize-py or jco "hello" that renders on
    `wasmtime serve` (hyper adds no type) would download here. Private aiohttp API, used
    here only: `_prepare_headers` (aiohttp 3.9-3.14) fills in the defaults; the one it
    invented is taken out again."""

    async def _prepare_headers(self) -> None:
        await super()._prepare_headers()
        if self._headers.get("Content-Type") == "application/octet-stream":
            del self._headers["Content-Type"]
