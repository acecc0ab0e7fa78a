"""Request targets the router cannot take as they came: made origin-form, or refused.

The router matches the raw path (`/api` answers `/api/...`, on whole segments). Most
targets are plain origin-form paths and never come here (`DevServer._serve` checks with
three substring tests). The others:

- absolute-form (`GET http://host/api/x?q HTTP/1.1`, which HTTP/1.1 servers must accept,
  RFC 9112 section 3.2.2): routed by its path and query, which the handler sees;
- dot segments, literal or percent-encoded (`/api/../admin`, `/api/%2e%2e/admin`):
  removed as RFC 3986 (section 5.2.4) says, `%2e` being `.`, before routing, so a path
  that names another route's resource reaches that route, as on a platform that
  normalizes URLs, never the route whose prefix it merely starts with; `..` never climbs
  above `/`. The handler sees the normalized path;
- asterisk-form (`OPTIONS *`) and authority-form (`CONNECT host:443`) name no path: 400,
  and CONNECT (any target) is 405: the server is no proxy and opens no tunnel.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit


class Target(NamedTuple):
    target: str | None  # the origin-form target to route and hand over; None: refused
    status: int = 200  # the status of a refusal
    problem: str = ""


def needs_normalizing(path: str) -> bool:
    """False for the usual plain path (the fast check on every request)."""
    return path[:1] != "/" or "/." in path or "%2e" in path or "%2E" in path


def normalize(method: str, target: str) -> Target:
    """The origin-form target for `target` (path and query), or a refusal."""
    if method == "CONNECT":
        return Target(None, 405, f"CONNECT {_shown(target)}: workbench serve is not a "
                                 "proxy and opens no tunnels; send requests for paths")
    if target[:1] != "/":
        if "://" not in target[:12]:
            return Target(None, 400, f"request target {_shown(target)} is not a path: "
                                     "ask for a path such as /api (asterisk-form * and "
                                     "authority-form host:port are for proxies)")
        parts = urlsplit(target)
        target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        if target[:1] != "/":
            return Target(None, 400, f"request target {_shown(target)} has no path")
    path, sep, query = target.partition("?")
    return Target(remove_dot_segments(path) + sep + query)


def remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 on an absolute path, `%2e` (any case) counting as `.`."""
    out: list[str] = []
    segments = path.split("/")[1:]
    for i, seg in enumerate(segments):
        dots = seg.replace("%2e", ".").replace("%2E", ".")
        last = i == len(segments) - 1
        if dots == ".":
            if last:
                out.append("")
        elif dots == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(seg)
    return "/" + "/".join(out)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:80] + "...")
