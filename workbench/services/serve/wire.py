"""What `DevServer` does at the HTTP level besides routing: reading a request body within
its route's limit (with `100 Continue` for a client that waits for it), turning aiohttp's
own complaints into `protocol_error` events, and keeping a 500's body small."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from aiohttp import HttpVersion11, web


class Notes(Protocol):
    def note(self, kind: str, message: str) -> None: ...


async def read_body(request: web.BaseRequest, limit: int) -> bytes | None:
    """The body, or None when it is over `limit` (by content-length, or while reading).

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
    while True:
        chunk = await request.content.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)


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

    def __init__(self, server: Notes):
        super().__init__(logging.DEBUG)
        self.server = server

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        if record.levelno < logging.WARNING and exc is None:
            return
        detail = f": {type(exc).__name__}: {exc}" if exc is not None else ""
        try:
            text = " ".join((record.getMessage() + detail).split())  # one line
            self.server.note("protocol_error", text[:500])
        except Exception:  # never let logging fail a connection
            pass
