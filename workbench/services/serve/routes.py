"""The route table: which module answers which path (longest prefix wins).

One module is served at `/`. A workspace routes by each module's `route` key in
module.toml; a module without one is mounted at `/<name>` (a lone module at `/`).
Prefixes match whole path segments: `/api` answers `/api` and `/api/users`, not `/apis`.
With a `route`, the handler sees the full path, as on an edge platform; under an
automatic `/<name>` mount it sees the path below the mount (`/hello-wat/robots.txt` ->
`/robots.txt`) and an `x-forwarded-prefix: /hello-wat` header, since the module cannot
know a mount it never declared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.core.errors import UsageError
from workbench.services.serve.module import ModuleSource, ServedModule

if TYPE_CHECKING:
    from workbench.core.hooks.rules import HooksFile


@dataclass(eq=False)
class Route:
    """A prefix and the module serving it. `current` is swapped on rebuild."""

    prefix: str
    name: str
    source: ModuleSource | None = None
    current: ServedModule | None = None
    hooks: HooksFile | None = None
    problem: str | None = None  # why there is no build to serve (or the last reload failed)
    builds: int = 0  # builds loaded so far; the next is builds + 1
    root: object = field(default=None, repr=False)  # the module folder, for the watcher
    strip: bool = False  # an automatic /<name> mount: the handler sees the rest of the path
    spin: str | None = None  # a Spin trigger's route as written: spin-* headers are added

    def target_for(self, target: str) -> str:
        """The request target the handler sees (the mount prefix removed when `strip`)."""
        if not self.strip or self.prefix == "/":
            return target
        rest = target[len(self.prefix):]
        return rest if rest.startswith("/") else "/" + rest

    def matches(self, path: str) -> bool:
        p = self.prefix
        return p == "/" or path == p or path.startswith(p + "/")


def mount_for(route: str | None, name: str, lone: bool) -> tuple[str, bool]:
    """(prefix, strip) of a module: its `route`, else `/` alone, else a `/<name>` mount
    that is stripped from the path the handler sees. `replay --url` uses it too."""
    if route is not None:
        return route, False
    return ("/", False) if lone else (f"/{name}", True)


def normalize_prefix(prefix: str, where: str) -> str:
    if not prefix.startswith("/"):
        raise UsageError(f"route {prefix!r} does not start with '/'", where=where,
                         hint='for example route = "/api"')
    if any(c in prefix for c in "?#* \t"):
        raise UsageError(f"route {prefix!r} is not a plain path prefix", where=where,
                         hint="no query, fragment, wildcard or spaces: a prefix like /api")
    return prefix.rstrip("/") or "/"


class RouteTable:
    def __init__(self, routes: list[Route]):
        seen: dict[str, Route] = {}
        for r in routes:
            if r.prefix in seen:
                raise UsageError(
                    f"modules {seen[r.prefix].name!r} and {r.name!r} both route {r.prefix}",
                    hint="give one of them another `route` in its module.toml")
            seen[r.prefix] = r
        # Longest first: the first match is the longest prefix.
        self.routes = sorted(routes, key=lambda r: (-len(r.prefix), r.prefix))

    def match(self, path: str) -> Route | None:
        for r in self.routes:
            if r.matches(path):
                return r
        return None

    def route(self, name: str) -> Route | None:
        return next((r for r in self.routes if r.name == name), None)

    def lines(self) -> list[tuple[str, str, str]]:
        """(prefix, module, state) rows for the table printed at start, shortest first."""
        out = []
        for r in sorted(self.routes, key=lambda r: r.prefix):
            state = r.current.describe() if r.current else f"not serving: {r.problem}"
            out.append((r.prefix, r.name, state))
        return out
