"""wasi:http/types and wasi:http/outgoing-handler as host functions (0.2.x).

The incoming request is built by the host (`IncomingRequest`), the guest answers through
`ResponseOutparam.set`; the response body is collected from the outgoing-body stream up
to `max_body` bytes. Outgoing requests never reach the network: `outbound.Stubs` answers
them (a fixed response per URL pattern, or an error code).
"""

from __future__ import annotations

from typing import Any

from workbench.core.runtime.chaos import HTTP_FETCH
from workbench.core.runtime.component.fields import FIELDS_FUNCS, Fields
from workbench.core.runtime.component.state import state
from workbench.core.runtime.component.wasi import InputStream, OutputStream, Pollable

NO_TRAILERS = ("ok", ("ok", None))


class IncomingBody:
    RESOURCE_ID = 11

    def __init__(self, data: bytes):
        self.data = data
        self.taken = False

    def stream(self) -> Any:
        if self.taken:
            return ("err", None)
        self.taken = True
        return ("ok", InputStream(self.data))


class FutureTrailers:
    RESOURCE_ID = 12

    def get(self) -> Any:
        return NO_TRAILERS


class IncomingRequest:
    RESOURCE_ID = 13

    def __init__(self, method: Any, path: str, scheme: Any, authority: str | None,
                 headers: list[tuple[str, bytes]], body: bytes):
        self.method, self.path, self.scheme, self.authority = method, path, scheme, authority
        self.headers = Fields(headers, immutable=True)
        self.body: bytes | None = body

    def consume(self) -> Any:
        if self.body is None:
            return ("err", None)
        body, self.body = self.body, None
        return ("ok", IncomingBody(body))


class OutgoingBody:
    RESOURCE_ID = 14

    def __init__(self, limit: int):
        self.data = bytearray()
        self.limit = limit
        self.overflow = False
        self.finished = False
        self.stream_taken = False

    def _sink(self, data: bytes) -> str | None:
        if len(self.data) + len(data) > self.limit:
            self.overflow = True
            return f"response body exceeds {self.limit:,} bytes (limits.max_response_bytes)"
        self.data += data
        return None

    def write(self) -> Any:
        if self.stream_taken:
            return ("err", None)
        self.stream_taken = True
        return ("ok", OutputStream(self._sink))

    @staticmethod
    def finish(body: OutgoingBody, trailers: Fields | None) -> Any:
        body.finished = True
        return ("ok", None)


class _Message:
    """What outgoing-request and outgoing-response share: headers and one body."""

    def __init__(self, headers: Fields):
        self.headers = Fields(headers.entries, immutable=True)
        self.body: OutgoingBody | None = None

    def take_body(self) -> Any:
        if self.body is not None:
            return ("err", None)
        self.body = OutgoingBody(state().max_body)
        return ("ok", self.body)


class OutgoingResponse(_Message):
    RESOURCE_ID = 15

    def __init__(self, headers: Fields):
        super().__init__(headers)
        self.status = 200

    def set_status(self, code: int) -> Any:
        if not 100 <= code <= 999:
            return ("err", None)
        self.status = code
        return ("ok", None)


class ResponseOutparam:
    RESOURCE_ID = 16

    @staticmethod
    def set(param: ResponseOutparam, response: Any) -> None:
        state().response = response


class OutgoingRequest(_Message):
    RESOURCE_ID = 17

    def __init__(self, headers: Fields):
        super().__init__(headers)
        self.method: Any = ("get", None)
        self.path: str | None = None
        self.scheme: Any = None
        self.authority: str | None = None

    def setter(attr: str) -> Any:  # type: ignore[misc]  # noqa: N805 - class-body helper
        def set_(self: OutgoingRequest, value: Any) -> Any:
            setattr(self, attr, value)
            return ("ok", None)
        return set_


class RequestOptions:
    RESOURCE_ID = 18

    def __init__(self) -> None:
        self.timeouts: dict[str, int | None] = {}


class IncomingResponse:
    RESOURCE_ID = 19

    def __init__(self, status: int, headers: list[tuple[str, bytes]], body: bytes):
        self.status = status
        self.headers = Fields(headers, immutable=True)
        self.body: bytes | None = body

    consume = IncomingRequest.consume


class FutureIncomingResponse:
    RESOURCE_ID = 20

    def __init__(self, outcome: Any):
        self.outcome = outcome  # ("ok", IncomingResponse) | ("err", error-code)
        self.taken = False

    def get(self) -> Any:
        if self.taken:
            return ("err", None)
        self.taken = True
        return ("ok", self.outcome)


def _handle(req: OutgoingRequest, options: RequestOptions | None) -> Any:
    st = state()
    st.chaos_delay(HTTP_FETCH)  # chaos `latency_ms.http_fetch`: a slow upstream
    outcome = st.outbound.answer(req)
    if outcome[0] == "err":
        return outcome
    status, headers, body = outcome[1]
    return ("ok", FutureIncomingResponse(("ok", IncomingResponse(status, headers, body))))


def _opt(name: str) -> dict[str, Any]:
    return {
        f"[method]request-options.{name}": lambda o: o.timeouts.get(name),
        f"[method]request-options.set-{name}":
            lambda o, v: (o.timeouts.__setitem__(name, v), ("ok", None))[1],
    }


HTTP: dict[str, dict[str, Any]] = {
    "wasi:http/types": {
        **FIELDS_FUNCS,
        "[method]incoming-request.method": lambda r: r.method,
        "[method]incoming-request.path-with-query": lambda r: r.path,
        "[method]incoming-request.scheme": lambda r: r.scheme,
        "[method]incoming-request.authority": lambda r: r.authority,
        "[method]incoming-request.headers": lambda r: r.headers,
        "[method]incoming-request.consume": IncomingRequest.consume,
        "[constructor]outgoing-request": OutgoingRequest,
        "[method]outgoing-request.body": OutgoingRequest.take_body,
        "[method]outgoing-request.method": lambda r: r.method,
        "[method]outgoing-request.set-method": OutgoingRequest.setter("method"),
        "[method]outgoing-request.path-with-query": lambda r: r.path,
        "[method]outgoing-request.set-path-with-query": OutgoingRequest.setter("path"),
        "[method]outgoing-request.scheme": lambda r: r.scheme,
        "[method]outgoing-request.set-scheme": OutgoingRequest.setter("scheme"),
        "[method]outgoing-request.authority": lambda r: r.authority,
        "[method]outgoing-request.set-authority": OutgoingRequest.setter("authority"),
        "[method]outgoing-request.headers": lambda r: r.headers,
        "[constructor]request-options": RequestOptions,
        **_opt("connect-timeout"), **_opt("first-byte-timeout"),
        **_opt("between-bytes-timeout"),
        "[static]response-outparam.set": ResponseOutparam.set,
        "[method]incoming-response.status": lambda r: r.status,
        "[method]incoming-response.headers": lambda r: r.headers,
        "[method]incoming-response.consume": IncomingResponse.consume,
        "[method]incoming-body.stream": IncomingBody.stream,
        "[static]incoming-body.finish": lambda b: FutureTrailers(),
        "[method]future-trailers.subscribe": lambda f: Pollable(),
        "[method]future-trailers.get": FutureTrailers.get,
        "[constructor]outgoing-response": OutgoingResponse,
        "[method]outgoing-response.status-code": lambda r: r.status,
        "[method]outgoing-response.set-status-code": OutgoingResponse.set_status,
        "[method]outgoing-response.headers": lambda r: r.headers,
        "[method]outgoing-response.body": OutgoingResponse.take_body,
        "[method]outgoing-body.write": OutgoingBody.write,
        "[static]outgoing-body.finish": OutgoingBody.finish,
        "[method]future-incoming-response.subscribe": lambda f: Pollable(),
        "[method]future-incoming-response.get": FutureIncomingResponse.get,
        "http-error-code": lambda err: None,
    },
    "wasi:http/outgoing-handler": {"handle": _handle},
}

_CLASSES: list[tuple[str, Any]] = [
    ("fields", Fields), ("incoming-request", IncomingRequest),
    ("incoming-body", IncomingBody), ("future-trailers", FutureTrailers),
    ("outgoing-body", OutgoingBody), ("outgoing-response", OutgoingResponse),
    ("response-outparam", ResponseOutparam), ("outgoing-request", OutgoingRequest),
    ("request-options", RequestOptions), ("incoming-response", IncomingResponse),
    ("future-incoming-response", FutureIncomingResponse)]
RESOURCES: dict[tuple[str, str], int] = {("wasi:http/types", name): cls.RESOURCE_ID
                                         for name, cls in _CLASSES}
