"""The server runs on Textual's own event loop (the app's toggle), taking no signals."""

from __future__ import annotations

import asyncio
import http.client
import signal
from pathlib import Path

from textual.app import App

from tests.services.serve.helpers import edge_wat, route, served
from workbench.services.serve.record import ServeRecord
from workbench.services.serve.routes import RouteTable
from workbench.services.serve.server import DevServer


def _get(port: int) -> tuple[int, bytes]:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request("GET", "/from-the-app")
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


async def test_start_and_stop_on_a_running_textual_app(tmp_path: Path) -> None:
    mod = served(tmp_path, "m", edge_wat("inside textual"))
    server = DevServer(RouteTable([route("/", mod)]), port=0)
    seen: list[ServeRecord] = []
    server.subscribe(lambda item: seen.append(item) if isinstance(item, ServeRecord) else None)
    handlers = [signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)]
    async with App().run_test() as pilot:
        url = await server.start()
        assert [signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)] == handlers
        assert server.running and url == server.url
        assert server.bound is not None
        status, body = await asyncio.to_thread(_get, server.bound[1])
        await pilot.pause()
        await server.stop()
        assert not server.running
    assert (status, body) == (200, b"inside textual")
    assert [r.target for r in seen] == ["/from-the-app"]
