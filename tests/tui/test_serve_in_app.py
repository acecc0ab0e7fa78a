"""The dev server inside the app: l starts it on the app's loop, real HTTP reaches the
handler, every request lands in the Served view, and l stops it again."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from pathlib import Path

from tests.tui.conftest import built, plain, wait_for
from workbench.core.requests.hurl import parse_hurl
from workbench.tui.app import WorkbenchApp


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 - loopback
        return resp.status, resp.read()


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    req = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - loopback
            return int(resp.status)
    except urllib.error.HTTPError as e:  # hello-wat answers 405 to a POST
        return e.code


async def test_toggle_serve_answers_real_requests_and_logs_them(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        await pilot.press("l")
        await wait_for(pilot, lambda: app.server_url is not None, timeout=60,
                       what="the server to listen")
        assert app.server_url and app.server_url.startswith("http://127.0.0.1:")
        assert "serving http://127.0.0.1:" in app.sub_title
        await pilot.press("7")  # before any request, the Served view says what is served
        detail = app.query_one("#served-detail")
        await wait_for(pilot, lambda: "(longest prefix wins)" in plain(detail),
                       what="the routes in the Served view")
        assert f"routes on {app.server_url}" in plain(detail)
        assert "  /  hello-wat (build 1, edge, warm)" in plain(detail)
        await pilot.press("1")
        status, body = await asyncio.to_thread(_get, app.server_url + "/")
        assert status == 200 and b"Hello from WebAssembly" in body
        status, body = await asyncio.to_thread(_get, app.server_url + "/healthz")
        assert status == 200 and body == b"ok"  # the route's hooks answer first
        await wait_for(pilot, lambda: sum(hasattr(r, "status") for r in app.served_log) >= 2,
                       what="two log records")
        await pilot.press("7")
        await wait_for(pilot, lambda: "requests logged" in plain(app.query_one("#served-note")),
                       what="the Served view")
        table = app.query_one("#served-table")
        await wait_for(pilot, lambda: table.row_count >= 2, what="rows")  # type: ignore[attr-defined]
        by = {str(table.get_row_at(i)[3]): str(table.get_row_at(i)[7])  # type: ignore[attr-defined]
              for i in range(table.row_count)}  # type: ignore[attr-defined]
        assert by["/healthz"].startswith("hook") and by["/"].startswith("hello-wat")
        # a POST with headers and a body: the detail shows both sides, ctrl+s saves it
        status = await asyncio.to_thread(_post, app.server_url + "/save-me?x=1",
                                         b"ping body", {"x-probe": "a #1"})
        assert status == 405
        await wait_for(pilot, lambda: table.row_count >= 3, what="the POST row")  # type: ignore[attr-defined]
        row = next(i for i in range(table.row_count)  # type: ignore[attr-defined]
                   if str(table.get_row_at(i)[3]) == "/save-me?x=1")  # type: ignore[attr-defined]
        table.focus()  # the user selects the row in the table
        table.move_cursor(row=row)  # type: ignore[attr-defined]
        detail = app.query_one("#served-detail")
        await wait_for(pilot, lambda: "x-probe" in plain(detail).lower(), what="the detail")
        shown = plain(detail)
        assert "ping body" in shown and "405" in shown and "response" in shown
        assert "guest logs" in shown
        saved = wat_module / "requests" / "saved.hurl"
        before = saved.read_text() if saved.exists() else ""
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any("/save-me" in f.read_text()
                                          for f in (wat_module / "requests").glob("*.hurl")),
                       what="the saved entry")
        target = next(f for f in (wat_module / "requests").glob("*.hurl")
                      if "/save-me" in f.read_text())
        text = target.read_text()
        entry = parse_hurl(text[len(before):] if target == saved else text,
                           file=str(target))[-1]
        assert (entry.request.method, entry.request.target, entry.request.body) == \
            ("POST", "/save-me?x=1", b"ping body")
        assert ("x-probe", "a #1") in [(k.lower(), v) for k, v in entry.request.headers]
        assert [a.value for a in entry.asserts if a.query == "status"] == [405]
        await pilot.press("l")
        await wait_for(pilot, lambda: app.dev_server is None and app.server_url is None,
                       what="the server to stop")


async def test_quitting_finishes_the_request_in_flight(tmp_path: Path) -> None:
    """q with a request in flight: the client gets its whole answer, then the app exits
    and no worker thread of the server is left."""
    import threading
    import time

    from tests.e2e.test_serve_stop import BODY, SLOW_WAT
    from tests.services.serve.helpers import write_module
    from workbench.core.runtime.kv import KvStore

    mod = write_module(tmp_path / "slow", SLOW_WAT, limits="timeout_ms = 10000")
    app = WorkbenchApp([mod], watch=False, auto_replay=False)
    answer: dict[str, object] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        await pilot.press("l")
        await wait_for(pilot, lambda: app.server_url is not None, timeout=60,
                       what="the server to listen")
        url = app.server_url

        def request() -> None:
            try:
                answer["status"], answer["body"] = _get(f"{url}/slow")
            except OSError as e:
                answer["error"] = repr(e)

        client = threading.Thread(target=request)
        client.start()
        kv = KvStore.for_workspace(mod)

        def started() -> bool:
            kv.refresh(force=True)
            return kv.get(b"started") == b"1"

        await wait_for(pilot, started, timeout=60, what="the handler to start")
        await pilot.press("q")
        deadline = time.monotonic() + 30
        while client.is_alive() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    assert answer == {"status": 200, "body": BODY.encode()}, answer
    assert app.dev_server is None
    assert not [t.name for t in threading.enumerate() if t.name.startswith("serve/")]


async def test_a_second_l_while_starting_does_not_start_a_second_server(
        wat_module: Path) -> None:
    """l, l before the first server listens: one server, and the view says it is
    starting (found by hand: two servers, one of them orphaned on 8787)."""
    import threading

    from workbench.services.serve import load as serve_load
    from workbench.services.serve.server import DevServer

    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    loading, release = threading.Event(), threading.Event()
    real_load, real_start = serve_load.load_routes, DevServer.start
    listening: list[str] = []

    def slow_load(*args: object, **kwargs: object) -> object:
        loading.set()
        release.wait(30)
        return real_load(*args, **kwargs)  # type: ignore[arg-type]

    async def counted_start(self: DevServer) -> str:
        url = await real_start(self)
        listening.append(url)
        return url

    serve_load.load_routes = slow_load  # type: ignore[assignment]
    DevServer.start = counted_start  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, built(app), what="build")
            await pilot.press("7")
            await pilot.press("l")
            await wait_for(pilot, loading.is_set, what="the load to begin")
            await wait_for(pilot, lambda: "starting" in plain(app.query_one("#served-note")),
                           what="the starting note")
            await pilot.press("l")  # again, before it listens
            release.set()
            await wait_for(pilot, lambda: app.server_url is not None, timeout=60,
                           what="the server to listen")
            await pilot.pause(0.5)
            assert listening == [app.server_url]
            assert "requests logged" in plain(app.query_one("#served-note"))
            status, _ = await asyncio.to_thread(_get, app.server_url + "/")
            assert status == 200
            await pilot.press("l")
            await wait_for(pilot, lambda: app.dev_server is None, what="the server to stop")
            assert "is off" in plain(app.query_one("#served-note"))
    finally:
        serve_load.load_routes = real_load  # type: ignore[assignment]
        DevServer.start = real_start  # type: ignore[method-assign]


async def test_a_served_render_after_the_app_closed_is_dropped(wat_module: Path) -> None:
    """The Served view's 0.25 s render timer can fire while the app closes (a server
    event arrives as it stops): it must not raise on the empty screen stack."""
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
    app._render_served()  # after the screens are gone: nothing to draw, no IndexError
    app._unflash("hello-wat")


async def test_serving_uses_the_apps_builds_and_builds_nothing(
        wat_module: Path, monkeypatch) -> None:
    """l served after building every module again (15 s for the samples) and through no
    trust gate; now the app's own builds are served and nothing is built for it."""
    import workbench.services.folder_trust as gate

    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        calls: list[object] = []
        real = gate.build_module
        monkeypatch.setattr(gate, "build_module", lambda *a, **k: calls.append(a) or real(*a, **k))
        await pilot.press("l")
        await wait_for(pilot, lambda: app.server_url is not None, timeout=60,
                       what="the server to listen")
        status, body = await asyncio.to_thread(_get, app.server_url + "/")
        assert status == 200 and b"Hello from WebAssembly" in body
        assert calls == []
        await pilot.press("l")
        await wait_for(pilot, lambda: app.server_url is None, what="the server to stop")


async def test_a_module_still_building_when_l_is_pressed_is_served_when_built(
        wat_module: Path, monkeypatch) -> None:
    """l during the app's first build: the route waits ("not built yet", 503) and serves
    the build as soon as it ends (the startup build was never swapped in: 503 forever)."""
    import threading

    import workbench.services.folder_trust as gate

    release = threading.Event()
    real = gate.build_module

    def slow(*a: object, **k: object) -> object:
        release.wait(30)
        return real(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(gate, "build_module", slow)
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(app.modules), what="the module list")
        await pilot.press("l")
        await wait_for(pilot, lambda: app.server_url is not None, timeout=60,
                       what=f"the server to listen {[n.message for n in app._notifications]}")
        route = app.dev_server.table.routes[0]  # type: ignore[union-attr]
        assert route.current is None and route.problem == "not built yet"
        release.set()
        await wait_for(pilot, built(app), what="build")
        await wait_for(pilot, lambda: route.current is not None, timeout=30,
                       what="the startup build to be served")
        status, body = await asyncio.to_thread(_get, app.server_url + "/")
        assert status == 200 and b"Hello from WebAssembly" in body
