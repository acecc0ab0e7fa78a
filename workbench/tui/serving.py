"""The dev server inside the app (`l` toggles it): `services.serve`, on Textual's loop.

Starting builds what needs building and loads the routes in a thread worker, then the
server listens on the app's own asyncio loop (aiohttp installs no signal handlers, so
Ctrl+C and q stay the app's). Every served request is posted as a `Served` message for
the Served view; each successful build of the app's watcher is swapped in for new
requests, a failed one keeps the last good build serving (the log says so). Quitting
the app stops the server: requests in flight get up to 1 s.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message

from workbench.tui.base import AppBase

if TYPE_CHECKING:
    from workbench.services.serve.load import Loaded, ServeOptions
    from workbench.services.serve.record import ServeEvent, ServeRecord
    from workbench.services.serve.reload import BuildAdopter
    from workbench.services.serve.server import DevServer

DEFAULT_PORT = 8787


class Served(Message):
    """One served request or server event, for the Served view."""

    def __init__(self, item: ServeRecord | ServeEvent) -> None:
        super().__init__()
        self.item = item


class ServeMixin(AppBase):
    dev_server: DevServer | None = None
    server_url: str | None = None
    _serve_unsubscribe: Any = None
    _serve_adopter: BuildAdopter | None = None
    # l was pressed and the server is not listening yet (loading the modules takes a
    # while): another l must not start a second server next to it
    serve_starting: bool = False

    def action_toggle_serve(self) -> None:
        if self.serve_starting:
            self.notify("The dev server is still starting…", timeout=3)
            return
        if self.dev_server is not None:
            self.run_worker(self._stop_server(), exclusive=True, group="serve-stop")
            return
        if not self.modules:
            self.notify("No modules to serve.", severity="warning")
            return
        self.serve_starting = True
        self.notify("Starting the dev server…", timeout=3)
        self._refresh_served_note()
        # the app's own builds are served (not built again: that took the 8 samples 15 s,
        # and would bypass the trust prompt's answer); a module still building joins when
        # its build ends (serve_adopt)
        self.serve_load_worker({n: s.build_result for n, s in self.modules.items()})

    @work(thread=True, exclusive=True, group="serve", exit_on_error=False)
    def serve_load_worker(self, built: dict[str, Any]) -> None:
        from workbench.core.errors import WorkbenchError
        from workbench.services.serve.load import ServeOptions, load_routes

        paths = list(self.paths or [])
        if not paths:
            paths = sorted({m.root for m in self.modules.values()})
        try:
            opts = ServeOptions(mode="warm")
            loaded = load_routes([Path(p) for p in paths], opts, built)
        except WorkbenchError as e:
            self.call_from_thread(self._serve_failed, str(e))
            return
        except Exception as e:  # a workbench bug: say so, keep the app
            self.call_from_thread(self._serve_failed, f"{type(e).__name__}: {e}")
            return
        self.call_from_thread(self._serve_loaded_now, loaded, opts)

    def _serve_failed(self, message: str) -> None:
        self.serve_starting = False
        self._refresh_served_note()
        self.notify(f"The dev server did not start: {message}", title="Dev server",
                    severity="error", timeout=10)

    def _serve_loaded_now(self, loaded: Loaded, opts: ServeOptions) -> None:
        self.run_worker(self._start_server(loaded, opts), exclusive=True, group="serve-start")

    async def _start_server(self, loaded: Loaded, opts: ServeOptions) -> None:
        from workbench.services.serve.server import DevServer

        server = DevServer(loaded.table, port=DEFAULT_PORT)
        try:
            try:
                url = await server.start()
            except OSError:  # 8787 taken (another workbench, wrangler...): any free port
                server = DevServer(loaded.table, port=0)
                url = await server.start()
        except OSError as e:
            self._serve_failed(f"cannot listen: {e.strerror or e}")
            return
        self.serve_starting = False
        from workbench.services.serve.reload import BuildAdopter

        self.dev_server, self.server_url = server, url
        adopter = self._serve_adopter = BuildAdopter(server, loaded, opts)

        def post(item: ServeRecord | ServeEvent) -> None:
            self.post_message(Served(item))

        self._serve_unsubscribe = server.subscribe(post)
        for warning in loaded.warnings:
            self.notify(warning, title="Serve", severity="warning", timeout=8)
        lines = server.table.lines()
        routes = (", ".join(f"{prefix} → {module}" for prefix, module, _ in lines)
                  if len(lines) <= 3 else f"{len(lines)} routes")
        self.notify(f"Serving on {url}\n{routes} (7: the Served view)", title="Dev server",
                    timeout=8)
        self._update_title()
        self._refresh_served_note()
        # a build that ended while the server was loading missed serve_adopt: adopt it now
        for route in server.table.routes:
            state = self.modules.get(route.name)
            result = state.build_result if state is not None else None
            if route.current is None and result is not None and result.ok:
                self.serve_adopt_worker(adopter, route.name, result)

    async def _stop_server(self) -> None:
        server, self.dev_server = self.dev_server, None
        self._serve_adopter = None
        if self._serve_unsubscribe is not None:
            self._serve_unsubscribe()
            self._serve_unsubscribe = None
        self.server_url = None
        self._update_title()
        self._refresh_served_note()
        if server is not None:
            await server.stop()
            self.notify("Dev server stopped.", timeout=3)

    def _refresh_served_note(self) -> None:
        """Redraw the Served view's status line (starting, off, serving)."""
        if not self.ui_alive:  # starting up or closing
            return
        from textual.css.query import NoMatches

        from workbench.tui.widgets.served_view import ServedView

        try:
            view = self.query_one(ServedView)
        except NoMatches:  # another layout (tests)
            return
        view.show(None)

    def _update_title(self) -> None:
        base = self.selected or ""
        self.sub_title = f"{base}  ·  serving {self.server_url}" if self.server_url else base

    def serve_adopt(self, name: str, result: Any) -> None:
        """After a build in the app: swap it into the server (failed: keep the last one).
        Loading the build (compiling it) happens in a thread worker."""
        if self._serve_adopter is None:
            return
        self.serve_adopt_worker(self._serve_adopter, name, result)

    @work(thread=True, exclusive=False, group="serve-swap", exit_on_error=False)
    def serve_adopt_worker(self, adopter: BuildAdopter, name: str, result: Any) -> None:
        adopter.adopt(name, result)
