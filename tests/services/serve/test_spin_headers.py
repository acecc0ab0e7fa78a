"""Routes from a Spin trigger get Spin's spin-* request headers (the static file server
picks its file from spin-path-info); a client cannot set them itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.runtime.handlers import edge
from tests.services.serve.helpers import ServerThread
from workbench.services.serve.module import ModuleSource, ServedModule
from workbench.services.serve.routes import Route, RouteTable
from workbench.services.serve.spin_headers import spin_headers

ECHO = edge("(call $echo (local.get $p) (local.get $n))")  # answers the request it got


@pytest.mark.parametrize(("pattern", "target", "info", "component", "matches"), [
    ("/...", "/a/b?x=1", "/a/b", "/", []),
    ("/...", "/", "/", "/", []),
    ("/static/...", "/static/css/site.css", "/css/site.css", "/static", []),
    ("/static/...", "/static", "", "/static", []),
    ("/hello", "/hello", "", "/hello", []),
    ("/users/:id", "/users/42", "", "/users/:id", [("spin-path-match-id", "42")]),
    ("/users/:id/...", "/users/42/orders/7", "/orders/7", "/users/:id",
     [("spin-path-match-id", "42")]),
])
def test_spin_headers_follow_the_trigger_route(pattern: str, target: str, info: str,
                                               component: str, matches: list) -> None:
    got = dict(spin_headers(pattern, target, "127.0.0.1:3000", "127.0.0.1:5555"))
    assert got["spin-full-url"] == f"http://127.0.0.1:3000{target}"
    assert got["spin-path-info"] == info
    assert got["spin-matched-route"] == got["spin-raw-component-route"] == pattern
    assert got["spin-component-route"] == component
    assert got["spin-client-addr"] == "127.0.0.1:5555"
    assert [(k, v) for k, v in got.items() if k.startswith("spin-path-match-")] == matches


def test_a_spin_route_sends_them_and_drops_the_clients_own(tmp_path: Path) -> None:
    wasm = tmp_path / "echo.wasm"
    wasm.write_bytes(ECHO)
    spin = ServedModule(ModuleSource("files", wasm))
    plain = ServedModule(ModuleSource("plain", wasm))
    table = RouteTable([
        Route("/static", "files", current=spin, builds=1, spin="/static/..."),
        Route("/other", "plain", current=plain, builds=1)])
    with ServerThread(table) as srv:
        status, _, body = srv.get("/static/img/logo.png?v=2",
                                  headers={"spin-path-info": "/etc/passwd"})
        assert status == 200
        text = body.decode().lower()
        assert "spin-path-info: /img/logo.png\r\n" in text
        assert "/etc/passwd" not in text  # the client's own spin-* header is dropped
        assert f"spin-full-url: http://127.0.0.1:{srv.port}/static/img/logo.png?v=2" in text
        assert "spin-client-addr: 127.0.0.1:" in text
        _, _, other = srv.get("/other/x", headers={"spin-path-info": "/kept"})
        assert b"spin-full-url" not in other.lower()  # not a Spin route: nothing added
        assert b"spin-path-info: /kept" in other.lower()
