"""The cookie store of one Hurl file run, with Hurl's (libcurl's) semantics.

Within a file, every response's `Set-Cookie` is stored (Domain, Path, Secure, Max-Age /
Expires honoured; `Max-Age=0` or a past date deletes) and the matching cookies are sent
as `Cookie` on the following requests, after the cookies the entry itself gives (its
`Cookie:` header and its `[Cookies]` section win on a name clash). Each file starts with
an empty store, as `hurl a.hurl b.hurl` does. The `cookie "name"` query still reads the
response's own `Set-Cookie` headers, as Hurl's does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from workbench.core.http import Headers, Request, header_get, header_set


@dataclass(frozen=True, slots=True)
class StoredCookie:
    name: str
    value: str
    domain: str  # lower-case, no leading dot
    host_only: bool
    path: str
    secure: bool
    expires: float | None  # epoch seconds; None: a session cookie

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "value": self.value, "domain": self.domain,
                "host_only": self.host_only, "path": self.path, "secure": self.secure,
                "expires": self.expires}


def _host(request: Request) -> str:
    host = request.host.lower()
    if host.startswith("["):  # [ipv6]:port
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _default_path(path: str) -> str:
    if not path.startswith("/") or path.count("/") == 1:
        return "/"
    return path[: path.rindex("/")]


def _path_match(request_path: str, cookie_path: str) -> bool:
    if request_path == cookie_path:
        return True
    if request_path.startswith(cookie_path):
        return cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"
    return False


def _domain_match(host: str, cookie: StoredCookie) -> bool:
    if cookie.host_only:
        return host == cookie.domain
    return host == cookie.domain or host.endswith("." + cookie.domain)


def parse_set_cookie(value: str, request: Request, now: float) -> StoredCookie | None:
    """One `Set-Cookie` value as stored for `request`; None when it is to be ignored."""
    first, _, rest = value.partition(";")
    name, eq, val = first.partition("=")
    name, val = name.strip(), val.strip()
    if not eq or not name or any(ord(c) < 32 or c in ";," for c in name) \
            or any(ord(c) < 32 or c == ";" for c in val):
        return None  # not a cookie a client would keep (and never a header injection)
    host = _host(request)
    domain, host_only, path, secure = host, True, _default_path(request.path), False
    expires: float | None = None
    max_age: float | None = None
    for part in rest.split(";"):
        key, _, attr = part.strip().partition("=")
        key, attr = key.strip().lower(), attr.strip()
        if key == "domain" and attr:
            d = attr.lstrip(".").lower()
            if not (host == d or host.endswith("." + d)):
                return None  # a domain the request host is not in: rejected
            domain, host_only = d, False
        elif key == "path" and attr.startswith("/"):
            path = attr
        elif key == "secure":
            secure = True
        elif key == "max-age":
            try:
                max_age = now + int(attr)
            except ValueError:
                pass
        elif key == "expires":
            try:
                expires = parsedate_to_datetime(attr.replace("-", " ")).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                pass
    return StoredCookie(name, val, domain, host_only, path, secure,
                        max_age if max_age is not None else expires)


@dataclass
class CookieJar:
    cookies: list[StoredCookie] = field(default_factory=list)

    def store(self, request: Request, headers: Headers, now: float | None = None) -> None:
        """Keep the response's `Set-Cookie` cookies (replacing same name/domain/path)."""
        now = time.time() if now is None else now
        for k, v in headers:
            if k.lower() != "set-cookie":
                continue
            c = parse_set_cookie(v, request, now)
            if c is None:
                continue
            self.cookies = [o for o in self.cookies if (o.name, o.domain, o.path)
                            != (c.name, c.domain, c.path)]
            if c.expires is None or c.expires > now:
                self.cookies.append(c)

    def matching(self, request: Request, now: float | None = None) -> list[StoredCookie]:
        now = time.time() if now is None else now
        host, path = _host(request), request.path
        found = [c for c in self.cookies if _domain_match(host, c)
                 and _path_match(path, c.path) and (not c.secure or request.scheme == "https")
                 and (c.expires is None or c.expires > now)]
        return sorted(found, key=lambda c: -len(c.path))  # longer paths first (RFC 6265)

    def apply(self, request: Request, now: float | None = None) -> Request:
        """`request` with the stored cookies added to its `Cookie` header."""
        found = self.matching(request, now)
        if not found:
            return request
        own = request.cookies()
        extra = "; ".join(f"{c.name}={c.value}" for c in found if c.name not in own)
        if not extra:
            return request
        old = header_get(request.headers, "cookie")
        value = f"{old}; {extra}" if old else extra
        return request.with_headers(header_set(request.headers, "Cookie", value))
