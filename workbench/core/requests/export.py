"""A request as a command line or a saved entry: `curl ...` and Hurl text.

For "copy as curl" and "save as .hurl" in the app. The URL is built from `base_url` (the
dev server, or a deployed one) when given, else from the request's Host header.
"""

from __future__ import annotations

import shlex

from workbench.core.http import Request, header_get


def request_url(req: Request, base_url: str | None = None) -> str:
    if base_url:
        return base_url.rstrip("/") + req.target
    host = header_get(req.headers, "host") or "localhost"
    return f"http://{host}{req.target}"


def to_curl(req: Request, base_url: str | None = None) -> str:
    """One shell-safe line: `curl -X POST 'http://h/p' -H 'k: v' --data-binary '...'`."""
    parts = ["curl"]
    if req.method != "GET" or req.body:
        parts += ["-X", req.method]
    parts.append(request_url(req, base_url))
    for name, value in req.headers:
        if name.lower() == "host" and not base_url:
            continue  # already in the URL
        parts += ["-H", f"{name}: {value}"]
    if req.body:
        parts += ["--data-binary", req.body.decode("utf-8", "replace")]
    return " ".join(shlex.quote(p) for p in parts)


def to_hurl_entry(req: Request, *, status: int | None = None, comment: str = "") -> str:
    """A Hurl entry (`parse_hurl` reads it back to the same request), ending in a blank
    line. Bodies that are not UTF-8 text are written as base64."""
    from workbench.core.requests.hurl_write import entry_lines

    lines = [f"# {' '.join(comment.split())}"] if comment else []
    lines += entry_lines(req)
    if status is not None:
        lines.append(f"HTTP {status}")
    return "\n".join(lines) + "\n\n"
