"""The routes of `workbench serve --processes N`, as the parent sends them to its children.

The parent builds and loads every module (and only it watches and rebuilds: two processes
must never run the same compiler on the same output). A child serves copies of the
parent's builds: each build's bytes are *pinned* in a file of the parent's (`Pins`), so a
next build cannot change them under a child, and the child loads that file
(`ServedModule`, which compiles it through the shared compiled-module cache).

The control pipe (the child's stdin) carries JSON lines, in order:

- `{"op": "init", "routes": [...], "kv": ..., "secrets": ...}` once, first: every route's
  prefix, name, mount, hooks file, problem and current build;
- `{"op": "swap", "route": NAME, "build": N, "wasm": PINNED, "source": ...}` when the
  parent swapped a route to a new build (the child loads it and swaps; a load failure
  is the child's own `load_failed` event);
- `{"op": "keep", "route": NAME, "problem": TEXT}` when a build failed (the last good
  build keeps serving everywhere; the problem is what a route with none answers 503 with).

`source`, `kv` and `secrets` are base64 pickles of the parent's own objects (the
`ModuleSource` with its limits, chaos and host stubs; the KV file and its limits; the
workspace's secrets), so a child runs a build exactly as the parent does. The pipe is
private to the two processes, which run the same code.
"""

from __future__ import annotations

import asyncio
import base64
import json
import pickle
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.runtime.kv import KvStore
from workbench.core.runtime.secrets import Secrets
from workbench.services.serve.module import ModuleSource, ServedModule
from workbench.services.serve.routes import Route, RouteTable
from workbench.services.serve.server import DevServer

KEEP_PINS = 3  # pinned builds kept per route (a child loads each swap as it arrives)
# the longest control line a child reads: `init` carries every route's settings (host
# stubs with their bodies included), far over asyncio's default 64 KiB in a big workspace
CONTROL_LINE_LIMIT = 1 << 28


def _pack(obj: object) -> str:
    return base64.b64encode(pickle.dumps(obj)).decode("ascii")


def _unpack(text: str) -> Any:
    return pickle.loads(base64.b64decode(text))  # noqa: S301 (our own parent, a private pipe)


class Pins:
    """Copies of served builds' bytes, one file per (route, build), in `folder`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._files: dict[str, list[Path]] = {}
        self._count = 0

    def pin(self, served: ServedModule) -> Path:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", served.name)[:64]
        self._count += 1
        path = self.folder / f"{self._count}-{safe}-build{served.build}.wasm"
        path.write_bytes(served.wasm)  # the bytes the parent serves, not the build output
        files = self._files.setdefault(served.name, [])
        files.append(path)
        for old in files[:-KEEP_PINS]:
            old.unlink(missing_ok=True)
        del files[:-KEEP_PINS]
        return path


def swap_message(served: ServedModule, pins: Pins) -> dict[str, Any]:
    pinned = pins.pin(served)
    return {"op": "swap", "route": served.name, "build": served.build, "wasm": str(pinned),
            "source": _pack(replace(served.source, wasm_path=pinned))}


def init_message(table: RouteTable, kv: KvStore, secrets: Secrets,
                 pins: Pins) -> dict[str, Any]:
    routes = []
    for r in table.routes:
        routes.append({"prefix": r.prefix, "name": r.name, "strip": r.strip,
                       "problem": r.problem, "builds": r.builds,
                       "hooks": str(r.hooks.path) if r.hooks is not None else None,
                       "current": None if r.current is None else swap_message(r.current, pins)})
    return {"op": "init", "routes": routes, "kv": _pack((kv.path, kv.limits)),
            "secrets": _pack(secrets)}


class Replica:
    """A child's side: the table from `init`, then each `swap` loaded as a ServedModule."""

    def __init__(self, init: dict[str, Any], *, mode: str, cache_dir: Path | None,
                 inline: bool):
        self.mode, self.cache_dir, self.inline = mode, cache_dir, inline
        path, limits = _unpack(init["kv"])
        self.kv = KvStore(path, limits=limits) if path is not None else KvStore(None)
        self.secrets: Secrets = _unpack(init["secrets"])
        self.failures: list[tuple[str, str]] = []  # (route, problem) of builds not loaded
        routes = []
        for r in init["routes"]:
            route = Route(r["prefix"], r["name"], problem=r["problem"], builds=r["builds"],
                          strip=r["strip"])
            if r["hooks"] is not None:
                from workbench.core.hooks.rules import HooksFile

                route.hooks = HooksFile(Path(r["hooks"]), recheck_s=0.05)
            if r["current"] is not None:
                try:
                    route.current = self.load(r["current"])
                    route.source = route.current.source
                except WorkbenchError as e:
                    route.problem = f"build {r['current']['build']} cannot be served: {e}"
                    self.failures.append((route.name, route.problem))
            routes.append(route)
        self.table = RouteTable(routes)

    def load(self, msg: dict[str, Any]) -> ServedModule:
        """A `swap` message's build, compiled (blocking: call it off the event loop)."""
        source: ModuleSource = _unpack(msg["source"])
        return ServedModule(source, build=int(msg["build"]), mode=self.mode, kv=self.kv,
                            secrets=self.secrets, cache_dir=self.cache_dir,
                            inline=self.inline)

    async def follow(self, server: DevServer, control: asyncio.StreamReader) -> None:
        """Apply the parent's messages to `server` until the pipe ends (the parent exited
        or is stopping). Builds load in a thread: requests keep being served meanwhile."""
        while line := await control.readline():
            msg = json.loads(line)
            route = server.table.route(msg.get("route", ""))
            if route is None:
                continue
            if msg["op"] == "keep":
                route.problem = msg["problem"]
            elif msg["op"] == "swap":
                try:
                    served = await asyncio.to_thread(self.load, msg)
                except WorkbenchError as e:
                    server.keep(route.name, f"build {msg['build']} cannot be served: {e}",
                                "load_failed")
                    continue
                server.swap(route.name, served)
