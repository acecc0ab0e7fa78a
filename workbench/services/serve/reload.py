"""Live reload: the build watcher rebuilds on save and swaps the new build in.

`LiveReload(server, loaded).start()` runs `workbench.core.build.watch.Watcher` in a
thread. A finished build is loaded (compiled, ABI-checked) in the watcher's thread, then
swapped into its route on the server's loop: new requests get it, requests in flight
finish on theirs. A failed build, or one that cannot be served, leaves the last good
build serving, and the log says so (`ServeEvent` kinds `build_failed`, `load_failed`).
"""

from __future__ import annotations

import threading
from typing import Any

from workbench.core.build.events import BuildFailed, BuildFinished, WatchStarted
from workbench.core.errors import WorkbenchError
from workbench.services.serve.load import Loaded, ServeOptions, source_of
from workbench.services.serve.module import ServedModule
from workbench.services.serve.server import DevServer


class LiveReload:
    def __init__(self, server: DevServer, loaded: Loaded, opts: ServeOptions,
                 debounce_ms: int | None = None):
        self.server, self.loaded, self.opts = server, loaded, opts
        self.debounce_ms = debounce_ms if debounce_ms is not None else loaded.debounce_ms
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.adopter = BuildAdopter(server, loaded, opts)

    def start(self) -> None:
        if not self.loaded.modules or self._thread is not None:
            return  # a lone .wasm file has nothing to rebuild
        from workbench.core.build.watch import Watcher
        from workbench.services.folder_trust import builder
        from workbench.services.loop import reload_module

        # rebuilds go through the trust gate like every other build (folder_trust.py)
        kwargs: dict[str, Any] = {"inspect": None, "initial_build": False,
                                  "reload": reload_module, "build": builder(self.opts.trust)}
        if self.debounce_ms is not None:
            kwargs["debounce_ms"] = self.debounce_ms
        watcher = Watcher(self.loaded.modules, on_event=self.on_event, **kwargs)
        self._thread = threading.Thread(target=watcher.run, args=(self._stop,),
                                        name="serve-watch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def on_event(self, event: Any) -> None:
        """Watcher thread: load a finished build, then swap it in on the loop."""
        if isinstance(event, WatchStarted):
            self.server.call_soon(self.server.note, "watching",
                                  f"watching {len(event.modules)} module(s) for changes")
        elif isinstance(event, BuildFinished):
            self.adopter.adopt(event.module, event.result)
        elif isinstance(event, BuildFailed):
            problem = failure(event.diagnostics, (event.error or {}).get("message"))
            self.server.call_soon(self.server.keep, event.module, problem)

class BuildAdopter:
    """A finished build -> a `ServedModule` swapped into its route on the server's loop
    (live reload's watcher and the app's builds both end here). Call from any thread:
    loading (compiling, checking the ABI) happens on the caller's."""

    def __init__(self, server: DevServer, loaded: Loaded, opts: ServeOptions):
        self.server, self.loaded, self.opts = server, loaded, opts
        self._lock = threading.Lock()
        self._builds = {r.name: r.builds for r in server.table.routes}

    def adopt(self, name: str, result: Any) -> None:
        """Serve `result` (a BuildResult) for `name`; a failed build, or one that cannot
        be served, keeps the last good build serving and the log says so."""
        cfg = next((m for m in self.loaded.modules if m.name == name), None)
        if cfg is None:
            return
        if result is None or not result.ok or result.wasm_path is None:
            self.failed(name, result)
            return
        try:  # module.toml may have changed its limits since the start
            from workbench.services.loop import reload_module

            cfg = reload_module(cfg)
        except WorkbenchError:
            pass  # the watcher reports a broken module.toml; keep the settings we have
        with self._lock:
            build = self._builds.get(name, 0) + 1
            self._builds[name] = build
        try:
            served = ServedModule(source_of(cfg, result.wasm_path, self.opts), build=build,
                                  mode=self.opts.mode, kv=self.loaded.kv,
                                  secrets=self.loaded.secrets, cache_dir=self.opts.cache_dir,
                                  inline=self.opts.inline)
        except WorkbenchError as e:
            self.server.call_soon(self.server.keep, name, f"build {build} cannot be served: {e}",
                                  "load_failed")
            return
        self.server.call_soon(self.server.swap, name, served)

    def failed(self, name: str, result: Any) -> None:
        """A build that produced nothing new: keep serving the last good one."""
        errors = getattr(result, "errors", ()) if result is not None else ()
        self.server.call_soon(self.server.keep, name, failure(errors))


def failure(diagnostics: Any, fallback: str | None = None) -> str:
    """"build failed: file:line:col: message" from a build's first diagnostic."""
    diagnostics = tuple(diagnostics or ())
    first = next((d for d in diagnostics if d.severity == "error"),
                 diagnostics[0] if diagnostics else None)
    if first is None:
        return f"build failed: {fallback}" if fallback else "build failed"
    where = f"{first.location()}: " if first.file else ""
    return f"build failed: {where}{first.message}"
