"""`DevServer`: the aiohttp server that answers HTTP with the routed modules.

Per request, on the event loop: match the route, check the body size, run the route's
hooks (a hook answer never waits for a worker), then hand the module run to the route's
worker pool and turn the `RunResult` into the HTTP response. Every request ends in a
`ServeRecord` on the bus, whatever happened. Nothing a client sends reaches the loop as
an exception: aiohttp answers malformed HTTP with 400, and anything else is a 500.

Runs on any running asyncio loop: `await server.start()` from `workbench serve`'s own
loop or from the Textual app's; no signal handlers are installed (the caller owns them).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import socket
import time
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from workbench.core.http import REASONS, Headers, Request, Response
from workbench.core.runtime.response_check import response_problem
from workbench.core.runtime.result import RunResult
from workbench.core.runtime.runner import redact_response
from workbench.services.serve.module import ServedModule
from workbench.services.serve.pool import PoolFull, WorkerPool
from workbench.services.serve.record import (
    LogBus,
    Phases,
    ServeEvent,
    ServeRecord,
    Subscriber,
)
from workbench.services.serve.routes import Route, RouteTable
from workbench.services.serve.spin_headers import with_spin_headers
from workbench.services.serve.target import needs_normalizing, normalize
from workbench.services.serve.wire import (
    READ_TIMEOUT_S,
    BusHandler,
    SlowBody,
    UntypedResponse,
    error_page,
    raise_open_files_limit,
    read_body,
)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787
DEFAULT_QUEUE = 256
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length",
                         "upgrade", "proxy-connection", "te", "trailer"})


def default_workers() -> int:
    """Workers per route: one core stays free for the event loop and the other routes."""
    return max(1, (os.cpu_count() or 2) - 1)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class DevServer:
    """Serve `table` on host:port. Start and stop it on a running loop (see docs/serve.md)."""

    def __init__(self, table: RouteTable, *, host: str = DEFAULT_HOST,
                 port: int = DEFAULT_PORT, workers: int | None = None,
                 queue: int = DEFAULT_QUEUE, dev_errors: bool = True, grace_s: float = 1.0,
                 sock: socket.socket | None = None, read_timeout_s: float = READ_TIMEOUT_S):
        self.table = table
        self.sock = sock  # a bound, listening socket to serve instead of host:port (processes.py)
        self.host, self.port = host, port
        self.workers = workers or default_workers()
        self.queue = queue
        self.dev_errors = dev_errors
        self.grace_s = grace_s  # how long stop() lets requests in flight finish
        # a request's head must arrive within this of the connection's start or its last
        # answer (aiohttp's keep-alive timer, which also closes idle connections), its
        # body within this of its head (read_body); the unread rest of a body refused
        # (408, 413) is read and ignored for at most this (aiohttp's lingering close)
        self.read_timeout_s = read_timeout_s
        self.bus = LogBus()
        self._pools: dict[str, WorkerPool[RunResult]] = {
            r.prefix: WorkerPool(self.workers, queue, name=f"serve{r.prefix}")
            for r in table.routes}
        self._runner: web.ServerRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._hook_ok: Response | None = None  # the latest hook answer that passed
        self._asyncio_log: BusHandler | None = None
        self.bound: tuple[str, int] | None = None

    # -- API for front ends -------------------------------------------------------------

    @property
    def url(self) -> str | None:
        """http://host:port once started (the real port when 0 was asked for)."""
        if self.bound is None:
            return None
        host, port = self.bound
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}"

    @property
    def running(self) -> bool:
        return self._runner is not None

    def subscribe(self, callback: Subscriber) -> Any:
        """`callback(ServeRecord | ServeEvent)` on the loop thread; returns unsubscribe()."""
        return self.bus.subscribe(callback)

    async def start(self) -> str:
        """Listen on the running loop; returns the URL. Raises OSError (port in use...)."""
        if self._runner is not None:
            raise RuntimeError("the server is already running")
        self._loop = asyncio.get_running_loop()
        raise_open_files_limit()
        # asyncio's own errors (accept() failing when the process runs out of files...)
        # become events while the server runs, not tracebacks on stderr
        self._asyncio_log = BusHandler(self, "server_error")
        logging.getLogger("asyncio").addHandler(self._asyncio_log)
        server = web.Server(self._handle, access_log=None, logger=self._protocol_logger(),
                            keepalive_timeout=self.read_timeout_s,
                            lingering_time=min(10.0, self.read_timeout_s))
        runner = web.ServerRunner(server, handle_signals=False, shutdown_timeout=self.grace_s)
        await runner.setup()
        try:
            site: web.BaseSite = (web.TCPSite(runner, self.host, self.port) if self.sock is None
                                  else web.SockSite(runner, self.sock))
            await site.start()
        except BaseException:
            await runner.cleanup()
            self._unhook_asyncio()
            raise
        self._runner = runner
        addr = runner.addresses[0]
        self.bound = (str(addr[0]), int(addr[1]))
        msg = f"listening on {self.url}"
        if not is_loopback(self.host):
            msg += (" (not loopback: reachable from other machines on the network; "
                    "the handlers and their KV data are exposed)")
        self._event("listening", msg)
        return self.url or ""

    async def stop(self) -> None:
        """Stop accepting, let requests in flight finish (up to `grace_s`), close."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        self._event("stopping", "stopping: finishing requests in flight")
        await runner.cleanup()
        pools = list(self._pools.values())
        await asyncio.to_thread(lambda: [p.close(0.2) for p in pools])
        self.bound = None
        self._unhook_asyncio()

    def _unhook_asyncio(self) -> None:
        if self._asyncio_log is not None:
            logging.getLogger("asyncio").removeHandler(self._asyncio_log)
            self._asyncio_log = None

    def swap(self, route_name: str, served: ServedModule) -> None:
        """Serve `served` for new requests of that route (loop thread). In-flight requests
        finish on the build they started with."""
        route = self.table.route(route_name)
        if route is None:
            raise KeyError(route_name)
        old = route.current
        route.current, route.problem = served, None
        route.builds = max(route.builds, served.build)
        what = "now serving" if old is None else f"swapped build {old.build} ->"
        self._event("swapped", f"{route.name}: {what} build {served.build}", route)

    def keep(self, route_name: str, problem: str, kind: str = "build_failed") -> None:
        """A rebuild or reload failed: keep serving the last good build, and say so."""
        route = self.table.route(route_name)
        if route is None:
            raise KeyError(route_name)
        route.problem = problem
        if route.current is not None:
            msg = (f"{route.name}: {problem}; still serving the last good build "
                   f"(build {route.current.build})")
        else:
            msg = f"{route.name}: {problem}; no good build to serve (503 until one builds)"
        self._event(kind, msg, route)

    def note(self, kind: str, message: str) -> None:
        """Publish a server event (loop thread), e.g. "watching" from live reload."""
        self._event(kind, message)

    def call_soon(self, fn: Any, *args: Any) -> None:
        """Run `fn(*args)` on the server's loop, from any thread (for the build watcher)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(fn, *args)

    def _protocol_logger(self) -> logging.Logger:
        """aiohttp's own complaints (malformed requests...) become `protocol_error` events
        instead of tracebacks on stderr."""
        logger = logging.getLogger(f"workbench.serve.protocol.{id(self)}")
        logger.propagate = False
        logger.setLevel(logging.DEBUG)  # aiohttp logs a bad first request line at debug
        logger.handlers[:] = [BusHandler(self)]
        return logger

    def _event(self, kind: str, message: str, route: Route | None = None) -> None:
        self.bus.publish(ServeEvent(time.time(), kind, message,
                                    route.prefix if route else None,
                                    route.name if route else None,
                                    route.current.build if route and route.current else None))

    # -- one request ----------------------------------------------------------------------

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        t0 = time.perf_counter_ns()
        ctx = _Ctx(time.time(), request.remote or "", request.method, request.raw_path)
        try:
            return await self._serve(request, ctx, t0)
        except asyncio.CancelledError:
            raise
        except (ConnectionError, HttpProcessingError) as e:  # the client's fault, mid-body
            ctx.error_kind, ctx.error = "client", f"{type(e).__name__}: {e}"
            resp = _text(400, f"bad request: {ctx.error}\n")
            resp.force_close()
            return self._finish(ctx, t0, resp)
        except Exception as e:  # a workbench bug: answer 500, log it, keep serving
            ctx.error_kind, ctx.error = "server", f"{type(e).__name__}: {e}"
            return self._finish(ctx, t0, _text(500, "workbench server error: "
                                                    + (ctx.error if self.dev_errors else "")))

    async def _serve(self, request: web.BaseRequest, ctx: _Ctx,
                     t0: int) -> web.StreamResponse:
        ctx.headers = _headers(request)
        target = ctx.target
        path = target.split("?", 1)[0]
        if needs_normalizing(path) or ctx.method == "CONNECT":  # rare: target.py
            fixed = normalize(ctx.method, target)
            if fixed.target is None:
                ctx.error_kind, ctx.error = "bad_target", fixed.problem
                resp = _text(fixed.status, fixed.problem + "\n")
                resp.force_close()
                return self._finish(ctx, t0, resp)
            target = fixed.target
            path = target.split("?", 1)[0]
        route = self.table.match(path)
        if route is None:
            known = ", ".join(r.prefix for r in sorted(self.table.routes, key=lambda r: r.prefix))
            ctx.error_kind, ctx.error = "no_route", f"no route for {path}"
            return self._finish(ctx, t0, _text(404, f"no route for {path} (routes: {known})\n"))
        ctx.route = route
        served = route.current  # this request's build, whatever a reload does meanwhile
        if served is None:
            ctx.error_kind, ctx.error = "no_build", f"{route.name} has no good build"
            return self._finish(ctx, t0, _text(
                503, f"{route.name} has no good build to serve: {route.problem}\n",
                retry=True))
        ctx.served = served
        limit = served.max_request_bytes
        try:
            body = (await read_body(request, limit, self.read_timeout_s)
                    if request.body_exists or request.content_length else b"")
        except SlowBody as e:  # a slow or stalled client: 408, and the connection closed
            ctx.error_kind, ctx.error = "request_timeout", str(e)
            resp = _text(408, ctx.error + "\n")
            resp.force_close()
            return self._finish(ctx, t0, resp)
        if body is None:
            ctx.error_kind = "request_too_large"
            ctx.error = f"request body over {limit:,} bytes (limits.max_request_bytes)"
            resp = _text(413, ctx.error + "\n")
            resp.force_close()
            return self._finish(ctx, t0, resp)
        ctx.bytes_in = len(body)
        ctx.body = body
        headers = ctx.headers
        seen = route.target_for(target)
        if seen is not target:  # below an automatic /<name> mount
            headers += (("x-forwarded-prefix", route.prefix),)
        if route.spin is not None:  # a Spin trigger's route: Spin's spin-* headers
            headers = with_spin_headers(headers, route.spin, seen, request.host,
                                        _peer(request))
        if seen != ctx.target:
            ctx.handler_target = seen
        req = Request(request.method, seen, headers, body, ctx.client)
        if route.hooks is not None:
            outcome = route.hooks.evaluate(req)
            ctx.hooks_us = outcome.elapsed_us
            if outcome.response is not None:
                ctx.hook_rule, ctx.answered_by = outcome.rule, "hook"
                answer = redact_response(served.secrets, outcome.response)
                assert answer is not None
                if answer is not self._hook_ok:  # checked once per answer object
                    problem = response_problem(answer)
                    if problem is not None:  # a value hooks.toml could not refuse
                        ctx.error_kind, ctx.error = "response", f"hook answer: {problem}"
                        return self._finish(ctx, t0, _text(500, ctx.error + "\n"))
                    self._hook_ok = answer
                return self._finish(ctx, t0, _web_response(answer)[0])
            ctx.hook_rule = next((t.rule for t in outcome.trace
                                  if t.action in ("set_headers", "flag")), None)
            req = outcome.request
        result = served.run_inline(req)  # a warm edge handler on the loop (inline.py)
        if result is None:
            try:
                fut = self._pools[route.prefix].submit(served.run, req)
            except PoolFull as e:
                ctx.error_kind, ctx.error = "overloaded", f"{route.name}: {e}"
                return self._finish(ctx, t0, _text(503, f"server busy: {e}\n", retry=True))
            result, ctx.queue_us = await fut
        else:
            ctx.inline = True
        ctx.answered_by = "module"
        ctx.result = result
        if result.error is not None or result.response is None:
            err = result.error
            kind, message = (err.kind, err.message) if err else ("response", "no response")
            ctx.error_kind, ctx.error = kind, message
            page = (error_page(served.name, served.build, result) if self.dev_errors
                    else _text(500, "internal server error\n"))
            return self._finish(ctx, t0, page)
        extra = (("x-workbench-fuel", str(result.fuel)),) if self.dev_errors else ()
        resp, sent = _web_response(result.response, extra)
        return self._finish(ctx, t0, resp, sent)

    def _finish(self, ctx: _Ctx, t0: int, resp: web.Response,
                sent: Headers | None = None) -> web.Response:
        """Log the request's record and return `resp`. `sent`: the response headers as
        given to aiohttp, when the caller has them (a module's answer, fuel header
        included); otherwise the diagnostic headers are added here and read back."""
        total = (time.perf_counter_ns() - t0) / 1000
        r, served, route = ctx.result, ctx.served, ctx.route
        fuel = r.fuel if r is not None and r.abi != "hook" else None
        if sent is None:
            if fuel is not None and self.dev_errors:
                resp.headers["x-workbench-fuel"] = str(fuel)
            if ctx.answered_by == "hook" and ctx.hook_rule:
                resp.headers["x-workbench-hook"] = ctx.hook_rule
            sent = tuple(resp.headers.items())
        body = resp.body
        if body.__class__ is not bytes:
            body = b""
        timing = r.timing if r is not None else {}
        # positional: a named tuple built from keywords costs ~7x more (once a request)
        self.bus.publish(ServeRecord(
            ctx.time, ctx.client, ctx.method, ctx.target, resp.status, ctx.answered_by,
            route.prefix if route else None, route.name if route else None,
            served.build if served else None, ctx.hook_rule,
            Phases(ctx.queue_us, ctx.hooks_us, timing.get("instantiate"),
                   timing.get("handler"), timing.get("total"), total),
            fuel, ctx.bytes_in, len(body), ctx.error_kind, ctx.error,
            served.mode if served and r is not None else None,
            r.logs if r is not None else (), ctx.headers, ctx.body, sent, body,
            ctx.handler_target, ctx.inline, served.secrets if served is not None else None))
        return resp


class _Ctx:
    """What is known about one request so far (for its record)."""

    __slots__ = ("time", "client", "method", "target", "route", "served", "result",
                 "answered_by", "hook_rule", "queue_us", "hooks_us", "bytes_in",
                 "error_kind", "error", "headers", "body", "handler_target", "inline")

    def __init__(self, t: float, client: str, method: str, target: str):
        self.time, self.client, self.method, self.target = t, client, method, target
        self.route: Route | None = None
        self.served: ServedModule | None = None
        self.result: RunResult | None = None
        self.answered_by = "server"
        self.hook_rule: str | None = None
        self.queue_us: float | None = None
        self.hooks_us: float | None = None
        self.bytes_in = 0
        self.error_kind: str | None = None
        self.error: str | None = None
        self.headers: tuple[tuple[str, str], ...] = ()
        self.body = b""
        self.handler_target: str | None = None
        self.inline = False


def _peer(request: web.BaseRequest) -> str:
    """host:port of the client ("" when the transport is gone)."""
    peer = request.transport.get_extra_info("peername") if request.transport else None
    if isinstance(peer, tuple) and len(peer) >= 2:
        host = str(peer[0])
        return f"[{host}]:{peer[1]}" if ":" in host else f"{host}:{peer[1]}"
    return request.remote or ""


def _headers(request: web.BaseRequest) -> tuple[tuple[str, str], ...]:
    return tuple([(k.decode("utf-8", "replace"), v.decode("utf-8", "replace"))
                  for k, v in request.raw_headers])


def _web_response(resp: Response, extra: Headers = ()) -> tuple[web.Response, Headers]:
    """The aiohttp response for a handler's answer (hop-by-hop headers dropped: aiohttp
    frames the body itself) plus `extra` headers, and the headers as given to aiohttp.
    A body without a content-type stays without one (`UntypedResponse`)."""
    global _last_answer
    cached = _last_answer  # one tuple, replaced whole: consistent across server threads
    if cached[0] is resp:  # the same static answer again (edge.call_edge reuses it)
        kept, reason, body, cls = cached[1], cached[2], cached[3], cached[4]
    else:
        kept = tuple([kv for kv in resp.headers if kv[0].lower() not in _HOP_BY_HOP])
        status = resp.status
        reason = resp.reason
        if not reason or not reason.isprintable():
            reason = REASONS.get(status)
        body = None if status in (204, 304) or status < 200 else resp.body
        typed = not body or any(k.lower() == "content-type" for k, _ in kept)
        cls = web.Response if typed else UntypedResponse
        if len(resp.body) <= 4096:  # static answers are small; a big one is not kept
            _last_answer = (resp, kept, reason, body, cls)
    sent = kept + extra if extra else kept
    return cls(status=resp.status, reason=reason, headers=sent,  # aiohttp copies
               body=body), sent


# the latest answer in aiohttp's terms: (Response, kept headers, reason, body, class); a
# static answer is the same Response object every time (edge.call_edge parses it once)
_last_answer: tuple[Response | None, Headers, str | None, bytes | None,
                    type[web.Response]] = (None, (), None, None, web.Response)


def _text(status: int, text: str, retry: bool = False) -> web.Response:
    headers = {"retry-after": "1"} if retry else None
    return web.Response(status=status, text=text, headers=headers)
