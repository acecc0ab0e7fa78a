"""workbench `Request` -> wasi:http incoming-request, outgoing-response -> `Response`."""

from __future__ import annotations

from typing import Any

from workbench.core.http import REASONS, Request, Response
from workbench.core.runtime.component.http import IncomingRequest, OutgoingResponse

METHODS = ("get", "head", "post", "put", "delete", "connect", "options", "trace", "patch")


def incoming(req: Request) -> IncomingRequest:
    low = req.method.lower()
    method: Any = (low, None) if low in METHODS else ("other", req.method)
    headers = [(k, v.encode("utf-8")) for k, v in req.headers]
    # authority: the Host header, else "localhost" (as WAGI's SERVER_NAME): guests build
    # the request URL from it, and StarlingMonkey (componentize-js) traps without one.
    return IncomingRequest(method, req.target or "/", ("HTTP", None),
                           req.host or "localhost", headers, req.body)


def response(out: OutgoingResponse) -> Response:
    headers = tuple((k, v.decode("utf-8", "replace")) for k, v in out.headers.entries)
    body = bytes(out.body.data) if out.body is not None else b""
    return Response(out.status, headers, body, REASONS.get(out.status, ""))


def error_code_text(code: Any) -> str:
    """An error-code value as text: `internal-error("boom")`, `HTTP-request-denied`."""
    if isinstance(code, tuple) and len(code) == 2:
        tag, payload = code
        return tag if payload is None else f"{tag}({payload!r})"
    return repr(code)
