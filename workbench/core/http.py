"""HTTP request/response values shared by the runtime, hooks, saved requests and replay.

Requests are what a handler receives; responses what it returns. Both serialize to and
parse from HTTP/1.1 messages (the edge ABI's wire format, see docs/handler-abi.md).
Header names keep their case for display; lookups are case-insensitive.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

REASONS = {
    200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 301: "Moved Permanently",
    302: "Found", 303: "See Other", 304: "Not Modified", 307: "Temporary Redirect",
    308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
    404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 413: "Payload Too Large",
    422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error",
    502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}

Headers = tuple[tuple[str, str], ...]


def header_get(headers: Headers, name: str, default: str | None = None) -> str | None:
    """First value of a header, case-insensitive."""
    low = name.lower()
    for k, v in headers:
        if k.lower() == low:
            return v
    return default


def header_set(headers: Headers, name: str, value: str) -> Headers:
    """Replace every occurrence of `name` with one `name: value` (appended if absent)."""
    low = name.lower()
    out = [(k, v) for k, v in headers if k.lower() != low]
    out.append((name, value))
    return tuple(out)


def header_remove(headers: Headers, name: str) -> Headers:
    low = name.lower()
    return tuple((k, v) for k, v in headers if k.lower() != low)


@dataclass(frozen=True, slots=True)
class Request:
    method: str = "GET"
    target: str = "/"  # path plus optional ?query, as on the request line
    headers: Headers = ()
    body: bytes = b""
    client_ip: str = "127.0.0.1"
    scheme: str = "http"  # of the URL it was written with (http or https); last: positional-safe

    @property
    def url(self) -> str:
        """The absolute URL when the request has a Host, else the target."""
        return f"{self.scheme}://{self.host}{self.target}" if self.host else self.target

    @property
    def path(self) -> str:
        return urlsplit(self.target).path or "/"

    @property
    def query_string(self) -> str:
        return urlsplit(self.target).query

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(self.query_string, keep_blank_values=True))

    @property
    def host(self) -> str:
        return header_get(self.headers, "host", "") or ""

    def header(self, name: str, default: str | None = None) -> str | None:
        return header_get(self.headers, name, default)

    def cookies(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for k, v in self.headers:
            if k.lower() == "cookie":
                for part in v.split(";"):
                    name, _, val = part.strip().partition("=")
                    if name:
                        out[name] = val
        return out

    def with_headers(self, headers: Headers) -> Request:
        return replace(self, headers=headers)

    def to_http(self) -> bytes:
        """The HTTP/1.1 request message: request line, headers, blank line, body.

        Adds `content-length` when there is a body and none was given.
        """
        headers = self.headers
        if self.body and header_get(headers, "content-length") is None:
            headers = headers + (("content-length", str(len(self.body))),)
        head = f"{self.method} {self.target} HTTP/1.1\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers)
        return head.encode("utf-8") + b"\r\n" + self.body

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "target": self.target,
                "headers": [list(h) for h in self.headers],
                "body": self.body.decode("utf-8", "replace"), "client_ip": self.client_ip,
                "scheme": self.scheme}


@dataclass(frozen=True, slots=True)
class Response:
    status: int = 200
    headers: Headers = ()
    body: bytes = b""
    reason: str = field(default="")

    def header(self, name: str, default: str | None = None) -> str | None:
        return header_get(self.headers, name, default)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def to_http(self) -> bytes:
        reason = self.reason or REASONS.get(self.status, "")
        head = f"HTTP/1.1 {self.status} {reason}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in self.headers)
        return head.encode("utf-8") + b"\r\n" + self.body

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "reason": self.reason or REASONS.get(self.status, ""),
                "headers": [list(h) for h in self.headers],
                "body": self.body.decode("utf-8", "replace")}


class HttpParseError(ValueError):
    """A response message that is not valid HTTP/1.1; `offset` is where it went wrong."""

    def __init__(self, message: str, offset: int):
        super().__init__(f"{message} (at byte {offset})")
        self.offset = offset


def parse_response(data: bytes) -> Response:
    """Parse an HTTP/1.1 response message. Accepts CRLF or bare LF line endings.

    If content-length is present the body must be exactly that long.
    """
    sep = data.find(b"\r\n\r\n")
    sep_len = 4
    lf = data.find(b"\n\n")
    if sep < 0 or (0 <= lf < sep):
        sep, sep_len = lf, 2
    if sep < 0:
        raise HttpParseError("no blank line after the headers", len(data))
    try:
        head = data[:sep].decode("utf-8")
    except UnicodeDecodeError as e:
        raise HttpParseError("headers are not UTF-8", e.start) from None
    body = data[sep + sep_len:]
    lines = head.replace("\r\n", "\n").split("\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise HttpParseError(f"bad status line {lines[0][:60]!r}", 0)
    try:
        status = int(parts[1])
    except ValueError:
        raise HttpParseError(f"bad status code {parts[1][:10]!r}", len(parts[0]) + 1) from None
    if not 100 <= status <= 999:
        raise HttpParseError(f"status code {status} out of range", len(parts[0]) + 1)
    reason = parts[2] if len(parts) > 2 else ""
    headers: list[tuple[str, str]] = []
    offset = len(lines[0]) + 1
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or name != name.strip():
            raise HttpParseError(f"bad header line {line[:60]!r}", offset)
        headers.append((name, value.strip()))
        offset += len(line) + 1
    clen = header_get(tuple(headers), "content-length")
    if clen is not None:
        # compared as text: int() of a 5,000-digit header raises (Python's digit limit)
        if not (clen.isascii() and clen.isdigit()) or (clen.lstrip("0") or "0") != str(len(body)):
            shown = clen if len(clen) <= 40 else f"{clen[:20]}... ({len(clen):,} characters)"
            raise HttpParseError(
                f"content-length {shown} but the body has {len(body)} bytes", sep + sep_len)
    return Response(status=status, headers=tuple(headers), body=body, reason=reason)


_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token: methods, field names
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # C0 controls but tab, and DEL
_NAMES = {0: "NUL", 9: "TAB", 10: "LF (a line break)", 13: "CR (a line break)", 27: "ESC",
          127: "DEL"}


def control_name(ch: str) -> str:
    """`U+000D CR (a line break)`: a control character in words."""
    code = ord(ch)
    return f"U+{code:04X}" + (f" {_NAMES[code]}" if code in _NAMES else "")


def request_problem(method: str | None = None, target: str | None = None,
                    headers: Headers = ()) -> str | None:
    """Why these parts cannot be written as an HTTP/1.1 request, or None. A CR or LF in a
    target or header value would end the line early: the handler would read a second
    header (or request) that nobody wrote; a NUL truncates it in C handlers."""
    if method is not None and not _TOKEN.fullmatch(method):
        return (f"method {method[:40]!r} is not an HTTP method (letters, digits and "
                "!#$%&'*+.^_`|~- only)")
    if target is not None:
        m = _CONTROL.search(target) or re.search(r"[ \t]", target)
        if m:
            where = f"at character {m.start() + 1}"
            what = control_name(m.group()) if m.group() not in " " else "a space"
            return f"the request target holds {what} {where}: {target[:60]!r}"
    for name, value in headers:
        if not _TOKEN.fullmatch(name):
            return (f"header name {name[:40]!r} is not a field name (letters, digits and "
                    "!#$%&'*+.^_`|~- only)")
        m = _CONTROL.search(value)
        if m:
            return (f"header {name} holds {control_name(m.group())} at character "
                    f"{m.start() + 1}: a header value is one line")
    return None


def split_url(url: str) -> tuple[str, str | None]:
    """'https://h:8080/p?q' -> ('/p?q', 'h:8080'); '/p' -> ('/p', None). ValueError for
    a URL urllib cannot split (`http://[::1`: an unclosed IPv6 bracket)."""
    if url.startswith(("http://", "https://")):
        parts = urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        return target, parts.netloc or None
    if not url.startswith("/"):
        url = "/" + url
    return url, None


@lru_cache(maxsize=4096)
def ip_key(text: str) -> tuple[int, int] | None:
    """(version, integer) of an address, or None when it is not an IP address."""
    try:
        addr = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    return addr.version, int(addr)
