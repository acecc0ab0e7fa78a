"""Inline WAT handlers and a server running in a background thread, for the serve tests."""

from __future__ import annotations

import asyncio
import http.client
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.wat import wat
from workbench.core.runtime.limits import Limits
from workbench.services.serve.module import ModuleSource, ServedModule
from workbench.services.serve.record import ServeEvent, ServeRecord
from workbench.services.serve.routes import Route, RouteTable
from workbench.services.serve.server import DevServer


def _resp(body: str, status: str = "200 OK", content_type: str = "text/plain"
          ) -> tuple[bytes, int]:
    """(data segment bytes: u32 length + HTTP response, total length)."""
    msg = (f"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\n"
           f"content-length: {len(body)}\r\n\r\n{body}").encode()
    raw = len(msg).to_bytes(4, "little") + msg
    return raw, len(raw)


def _escape(data: bytes) -> str:
    return "".join(f"\\{b:02x}" for b in data)


def edge_wat(body: str = "ok", *, spin: int = 0, trap: bool = False,
             loop_forever: bool = False, content_type: str = "text/plain") -> str:
    """An edge handler answering `body`; optionally spinning `spin` iterations first,
    trapping (unreachable) or looping until the timeout cuts it."""
    data, _ = _resp(body, content_type=content_type)
    work = ""
    if spin:
        work = (f"(local.set $i (i32.const {spin}))"
                "(loop $l (local.set $i (i32.sub (local.get $i) (i32.const 1)))"
                " (br_if $l (local.get $i)))")
    if trap:
        work += "(unreachable)"
    if loop_forever:
        work += "(loop $forever (br $forever))"
    return f"""(module (memory (export "memory") 1)
  (data (i32.const 16) "{_escape(data)}")
  (func (export "alloc") (param i32) (result i32) (i32.const 4096))
  (func (export "handle") (param i32 i32) (result i32) (local $i i32)
    {work}
    (i32.const 16)))"""


def write_module(folder: Path, wat_text: str, *, route: str | None = None,
                 limits: str = "") -> Path:
    """A WAT module folder (built in-process by the wat toolchain)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "handler.wat").write_text(wat_text)
    toml = f'name = "{folder.name}"\ntoolchain = "wat"\nsources = ["handler.wat"]\n'
    if route is not None:
        toml += f'route = "{route}"\n'
    if limits:
        toml += f"\n[limits]\n{limits}\n"
    (folder / "module.toml").write_text(toml)
    return folder


def served(tmp: Path, name: str, wat_text: str, *, build: int = 1,
           limits: Limits | None = None, hooks: Path | None = None,
           mode: str = "warm", inline: bool = True) -> ServedModule:
    path = tmp / f"{name}-{build}.wasm"
    path.write_bytes(wat(wat_text))
    return ServedModule(ModuleSource(name, path, limits or Limits(), hooks=hooks),
                        build=build, mode=mode, inline=inline)


def route(prefix: str, module: ServedModule, hooks: Any = None) -> Route:
    return Route(prefix, module.name, current=module, hooks=hooks, builds=module.build)


class ServerThread:
    """A DevServer on 127.0.0.1:0, its own event loop in a thread; records collected."""

    def __init__(self, table: RouteTable, **kwargs: Any):
        self.server = DevServer(table, host="127.0.0.1", port=0, **kwargs)
        self.records: list[ServeRecord] = []
        self.events: list[ServeEvent] = []
        self.server.subscribe(self._collect)
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.url = ""
        self.port = 0

    def _collect(self, item: ServeRecord | ServeEvent) -> None:
        (self.records if isinstance(item, ServeRecord) else self.events).append(item)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.url = self.loop.run_until_complete(self.server.start())
        assert self.server.bound is not None
        self.port = self.server.bound[1]
        self._ready.set()
        self.loop.run_forever()

    def __enter__(self) -> ServerThread:
        self._thread.start()
        assert self._ready.wait(10), "server did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)

    def on_loop(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run fn(*args) on the server's loop and wait for it."""
        async def call() -> Any:
            return fn(*args)
        return asyncio.run_coroutine_threadsafe(call(), self.loop).result(10)

    def conn(self, timeout: float = 30) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def get(self, path: str, method: str = "GET", body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        c = self.conn()
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            c.close()

    def wait_records(self, n: int, timeout: float = 10) -> list[ServeRecord]:
        """Poll until `n` records arrived (a record is published as the response goes)."""
        import time

        deadline = time.monotonic() + timeout
        while len(self.records) < n and time.monotonic() < deadline:
            time.sleep(0.005)
        assert len(self.records) >= n, f"{len(self.records)} records, expected {n}"
        return self.records
