"""Per-request evaluation context for hooks: everything a condition reads, computed once.

Conditions are compiled closures over a `Ctx`. Parsing the target, the headers, the query
and the cookies happens lazily and at most once per request (and again only after a
`set_headers`/`flag` action changed the headers), so a 100-rule file does not re-split the
URL a hundred times. Client IPs are turned into integers through a small memo so a CIDR
test is two integer operations per network.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from workbench.core.http import Request


class Ctx:
    """What the conditions of one evaluation look at. `captures` collects path_regex groups.

    `headers` (lower-cased name -> first value) is built eagerly because almost every file
    reads it; `query`, `cookies` and `host` are computed on first use through
    `load_query()` / `load_cookies()` / `load_host()` and cached in the slots, which the
    compiled closures read directly (a slot read is cheaper than a property call).
    """

    __slots__ = ("req", "method", "path", "qs", "headers", "_query", "_cookies", "_host",
                 "captures")

    def __init__(self, req: Request) -> None:
        self.req = req
        method = req.method
        self.method = method if method.isupper() else method.upper()
        target = req.target
        if target[:1] != "/" and target.startswith(("http://", "https://")):
            # absolute-form target: drop scheme and authority
            rest = target.split("://", 1)[1]
            slash = rest.find("/")
            target = rest[slash:] if slash >= 0 else "/"
        if "#" in target:
            target = target.partition("#")[0]
        path, _, qs = target.partition("?")
        self.path = path or "/"
        self.qs = qs
        self.headers = {k.lower(): v for k, v in reversed(req.headers)}
        self._query: dict[str, str] | None = None
        self._cookies: dict[str, str] | None = None
        self._host: str | None = None
        self.captures: dict[str, str] = {}

    def set_request(self, req: Request) -> None:
        """Headers changed (set_headers / flag): forget what was derived from them."""
        self.req = req
        self.headers = {k.lower(): v for k, v in reversed(req.headers)}
        self._cookies = None
        self._host = None

    def load_host(self) -> str:
        """Host header, lower-cased, without port."""
        host = self.headers.get("host", "").lower()
        if host.startswith("["):  # [::1]:8080
            host = host.partition("]")[0] + "]"
        elif ":" in host:
            host = host.rpartition(":")[0]
        self._host = host
        return host

    def load_query(self) -> dict[str, str]:
        """Query parameters (first value wins, like headers); decodes only when needed."""
        qs = self.qs
        q: dict[str, str] = {}
        if qs:
            if "%" in qs or "+" in qs:
                for k, v in parse_qsl(qs, keep_blank_values=True):
                    q.setdefault(k, v)
            else:
                for part in qs.split("&"):
                    k, _, v = part.partition("=")
                    if k and k not in q:
                        q[k] = v
        self._query = q
        return q

    def load_cookies(self) -> dict[str, str]:
        """Cookies of every Cookie header (first value of a name wins)."""
        c: dict[str, str] = {}
        if "cookie" in self.headers:
            for k, v in self.req.headers:
                if k.lower() == "cookie":
                    for part in v.split(";"):
                        name, _, val = part.strip().partition("=")
                        if name and name not in c:
                            c[name] = val
        self._cookies = c
        return c

    @property
    def host(self) -> str:
        return self._host if self._host is not None else self.load_host()

    @property
    def query(self) -> dict[str, str]:
        return self._query if self._query is not None else self.load_query()

    @property
    def cookies(self) -> dict[str, str]:
        return self._cookies if self._cookies is not None else self.load_cookies()
