"""A parsed Hurl request, rendered into the `Request` a module receives.

`EntrySpec.render(variables)` builds what Hurl would send: the URL (scheme kept, userinfo
turned into `Authorization: Basic`, host:port into `Host`), headers, [QueryStringParams]
appended to the query, [Cookies] as one `Cookie` header, [BasicAuth], [FormParams] or
[MultipartFormData] bodies, and the Content-Type Hurl adds for JSON, XML, GraphQL and forms
when the file gives none. Rendering happens when loading (workspace variables) and again
during a replay (plus [Options] variables and captured values).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, unquote, urlsplit

from workbench.core.errors import RequestFileError
from workbench.core.http import Request, header_get, header_set, request_problem
from workbench.core.requests.hurl_body import Body, read_file_body
from workbench.core.requests.template import Template

Pair = tuple[Template, Template]


@dataclass(frozen=True, slots=True)
class FilePart:
    name: Template
    filename: Template
    content_type: str | None


@dataclass(frozen=True, slots=True)
class EntrySpec:
    method: str
    url: Template
    headers: tuple[Pair, ...]
    query: tuple[Pair, ...]
    form: tuple[Pair, ...] | None
    multipart: tuple[Pair | FilePart, ...] | None
    cookies: tuple[Pair, ...]
    basic_auth: Pair | None
    body: Body | None
    option_headers: tuple[Template, ...]
    option_user: Template | None
    client_ip: str
    file: str
    line: int
    variables: tuple[tuple[str, Any], ...] = ()  # the workspace variables it was loaded with

    def render(self, variables: Mapping[str, Any], *, preview: bool = False) -> Request:
        """The request as sent; `preview` (load time) tolerates body files not there yet."""
        url = self.url.render(variables)
        if url.startswith("{{"):  # load-time preview of a URL bound at replay time
            return Request(self.method, url, (), b"", self.client_ip)
        problem = request_problem(None, url.replace(" ", "%20"))  # urlsplit drops CR/LF/TAB
        if problem:
            raise RequestFileError(problem.replace("request target", "URL"), file=self.file,
                                   line=self.line, hint="a URL is one line without control "
                                                        "characters")
        try:
            parts = urlsplit(url)
        except ValueError as e:
            raise RequestFileError(f"invalid URL {url!r}: {e}", file=self.file,
                                   line=self.line) from None
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RequestFileError(f"invalid URL {url!r}: it must start with http:// or "
                                   f"https:// and name a host", file=self.file, line=self.line,
                                   hint="write http://{{host}}/path")
        host = parts.netloc.rsplit("@", 1)[-1]  # host[:port], [ipv6]:port
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers: tuple[tuple[str, str], ...] = (("Host", host),)
        if parts.username is not None:
            creds = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            headers += (("Authorization",
                         "Basic " + base64.b64encode(creds.encode()).decode()),)
        for k, v in self.headers:
            name, value = k.render(variables), v.render(variables)
            headers = (header_set(headers, name, value) if name.lower() == "host"
                       else headers + ((name, value),))
        for t in self.option_headers:
            name, _, value = t.render(variables).partition(":")
            headers += ((name.strip(), value.strip()),)
        user = self.option_user or None
        if self.basic_auth is not None or user is not None:
            if self.basic_auth is not None:
                creds = (f"{self.basic_auth[0].render(variables)}:"
                         f"{self.basic_auth[1].render(variables)}")
            else:
                assert user is not None
                creds = user.render(variables)
            headers = header_set(headers, "Authorization",
                                 "Basic " + base64.b64encode(creds.encode()).decode())
        if self.query:
            sep = "&" if "?" in target else "?"
            target += sep + "&".join(f"{quote(k.render(variables), safe='')}="
                                     f"{quote(v.render(variables), safe='')}"
                                     for k, v in self.query)
        if self.cookies:
            cookie = "; ".join(f"{k.render(variables)}={v.render(variables)}"
                               for k, v in self.cookies)
            old = header_get(headers, "cookie")
            headers = header_set(headers, "Cookie", f"{old}; {cookie}" if old else cookie)
        body, implicit = self._body(variables, preview)
        if implicit and header_get(headers, "content-type") is None:
            headers += (("Content-Type", implicit),)
        problem = request_problem(None, target, headers)
        if problem and not (preview and "{{" in problem):  # captured later: checked then
            raise RequestFileError(problem, file=self.file, line=self.line,
                                   hint="a lone CR in the file is not a line ending (use LF "
                                        "or CRLF); write a space as %20 in a URL"
                                   if "CR" in problem or "space" in problem else None)
        return Request(self.method, target, headers, body, self.client_ip, parts.scheme)

    def _body(self, variables: Mapping[str, Any], preview: bool) -> tuple[bytes, str | None]:
        base = None if self.file.startswith("<") else _folder(self.file)
        if self.form is not None:
            text = "&".join(f"{_form(k.render(variables))}={_form(v.render(variables))}"
                            for k, v in self.form)
            return text.encode(), "application/x-www-form-urlencoded"
        if self.multipart is not None:
            return self._multipart(variables, base, preview)
        if self.body is None:
            return b"", None
        return self.body.render(variables, base, self.file, preview), self.body.content_type

    def _multipart(self, variables: Mapping[str, Any], base: Path | None, preview: bool
                   ) -> tuple[bytes, str]:
        chunks: list[tuple[bytes, bytes]] = []
        for part in self.multipart or ():
            if isinstance(part, FilePart):
                fname = part.filename.render(variables)
                data = read_file_body(fname, base, self.file, self.line, preview=preview)
                ctype = part.content_type or mimetypes.guess_type(fname)[0] \
                    or "application/octet-stream"
                head = (f'Content-Disposition: form-data; name="{part.name.render(variables)}"; '
                        f'filename="{Path(fname).name}"\r\nContent-Type: {ctype}\r\n')
                chunks.append((head.encode(), data))
            else:
                k, v = part
                head = f'Content-Disposition: form-data; name="{k.render(variables)}"\r\n'
                chunks.append((head.encode(), v.render(variables).encode()))
        digest = hashlib.sha256(b"".join(h + d for h, d in chunks)).hexdigest()[:24]
        boundary = f"----workbench{digest}"
        out = b"".join(b"--" + boundary.encode() + b"\r\n" + h + b"\r\n" + d + b"\r\n"
                       for h, d in chunks) + b"--" + boundary.encode() + b"--\r\n"
        return out, f"multipart/form-data; boundary={boundary}"


@functools.lru_cache(maxsize=64)
def _folder(file: str) -> Path:
    """The folder of a request file (resolved once: a file of 100,000 entries renders each)."""
    return Path(file).resolve().parent


def _form(text: str) -> str:
    """application/x-www-form-urlencoded as Hurl (rust url crate) writes it."""
    return quote_plus(text, safe="*").replace("~", "%7E")
