"""A wasi:http/proxy handler for the workbench, built with componentize-py.

GET /        200 "hello from python", header x-handler: componentize-py; logs to stdout/stderr
POST /echo   200 with the request body echoed back (content-type copied)
GET /fetch   calls https://example.com/ through wasi:http/outgoing-handler: 200 with the
             upstream status and size, or 502 with the error (the workbench answers
             outgoing requests from stubs, never the network)
anything else 404
"""

import sys

from componentize_py_types import Err, Ok
from wit_world import exports
from wit_world.imports import outgoing_handler
from wit_world.imports.streams import StreamError_Closed
from wit_world.imports.types import (
    Fields,
    IncomingBody,
    IncomingRequest,
    Method_Get,
    Method_Post,
    OutgoingBody,
    OutgoingRequest,
    OutgoingResponse,
    ResponseOutparam,
    Scheme_Https,
)


def read_body(body: IncomingBody) -> bytes:
    stream = body.stream()
    chunks = []
    while True:
        try:
            chunk = stream.blocking_read(65536)
        except Err as e:
            if isinstance(e.value, StreamError_Closed):
                break
            raise
        chunks.append(chunk)
    stream.__exit__(None, None, None)
    IncomingBody.finish(body)
    return b"".join(chunks)


def respond(out: ResponseOutparam, status: int, body: bytes,
            headers: list[tuple[str, bytes]]) -> None:
    resp = OutgoingResponse(Fields.from_list(headers))
    resp.set_status_code(status)
    ob = resp.body()
    ResponseOutparam.set(out, Ok(resp))
    stream = ob.write()
    pos = 0
    while pos < len(body):
        n = min(4096, len(body) - pos)
        stream.blocking_write_and_flush(body[pos:pos + n])
        pos += n
    stream.__exit__(None, None, None)
    OutgoingBody.finish(ob, None)


def fetch() -> tuple[int, bytes]:
    req = OutgoingRequest(Fields())
    req.set_scheme(Scheme_Https())
    req.set_authority("example.com")
    req.set_path_with_query("/")
    try:
        future = outgoing_handler.handle(req, None)
    except Err as e:  # result<_, error-code> errors are raised
        raise RuntimeError(f"outgoing request failed: {e.value}") from None
    while True:
        got = future.get()
        if got is not None:
            break
        future.subscribe().block()
    if isinstance(got, Err) or isinstance(got.value, Err):
        raise RuntimeError(f"outgoing request failed: {got.value}")
    resp = got.value.value
    status = resp.status()
    body = read_body(resp.consume())
    return status, body


class IncomingHandler(exports.IncomingHandler):
    def handle(self, request: IncomingRequest, response_out: ResponseOutparam) -> None:
        method = request.method()
        path = request.path_with_query() or "/"
        if isinstance(method, Method_Get) and path == "/":
            print(f"path={path} status=200")
            print("served / from python", file=sys.stderr)
            respond(response_out, 200, b"hello from python\n",
                    [("content-type", b"text/plain"), ("x-handler", b"componentize-py")])
        elif isinstance(method, Method_Post) and path == "/echo":
            body = read_body(request.consume())
            ctype = [v for k, v in request.headers().entries() if k == "content-type"]
            respond(response_out, 200, body,
                    [("content-type", ctype[0] if ctype else b"application/octet-stream")])
        elif isinstance(method, Method_Get) and path == "/fetch":
            try:
                status, body = fetch()
            except RuntimeError as e:
                print(e, file=sys.stderr)
                respond(response_out, 502, f"{e}\n".encode(), [("content-type", b"text/plain")])
                return
            respond(response_out, 200, b"upstream %d %d bytes\n" % (status, len(body)),
                    [("content-type", b"text/plain")])
        else:
            respond(response_out, 404, b"not found\n", [("content-type", b"text/plain")])
