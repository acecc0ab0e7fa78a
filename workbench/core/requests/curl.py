"""Import a curl command line as a saved request, and write saved requests as Hurl text.

People copy requests out of browser dev tools and docs as `curl ...`; importing turns one
into an entry of a `.hurl` file. Options that change what is sent are understood (method,
headers, data, JSON, cookies, user agent, basic auth, -G); options that only affect how
curl itself behaves (-s, -L, -k, -v, ...) are ignored; anything else is an error naming the
option rather than an import that silently sends something different.
"""

from __future__ import annotations

import base64
import json
import shlex
from urllib.parse import quote_plus

from workbench.core.errors import RequestFileError
from workbench.core.http import Request, header_get, header_set, split_url
from workbench.core.requests.model import SavedRequest

_IGNORED = {"-s", "--silent", "-S", "--show-error", "-L", "--location", "-k", "--insecure",
            "-v", "--verbose", "-i", "--include", "--compressed", "-f", "--fail", "-#",
            "--progress-bar", "--http1.1", "--http2", "-g", "--globoff", "-N", "--no-buffer"}
_IGNORED_WITH_ARG = {"-o", "--output", "-m", "--max-time", "--connect-timeout", "-w",
                     "--write-out", "--retry"}
_DATA = {"-d", "--data", "--data-raw", "--data-binary", "--data-ascii"}
_WITH_ARG = _DATA | _IGNORED_WITH_ARG | {"-X", "--request", "-H", "--header", "--json",
                                         "--data-urlencode", "-A", "--user-agent", "-b",
                                         "--cookie", "-e", "--referer", "-u", "--user", "--url"}


def parse_curl(command: str, *, file: str = "<curl>", line: int = 1) -> SavedRequest:
    """A curl command line (with or without the leading `curl`) as a SavedRequest."""

    def fail(message: str, hint: str | None = None) -> RequestFileError:
        return RequestFileError(message, file=file, line=line, hint=hint)

    try:
        argv = shlex.split(command.replace("\\\r\n", " ").replace("\\\n", " "))
    except ValueError as e:
        raise fail(f"cannot split the command line: {e}") from None
    if argv and argv[0] == "curl":
        argv = argv[1:]
    elif argv and not argv[0].startswith("-") and "." not in argv[0] \
            and "/" not in argv[0] and ":" not in argv[0]:
        raise fail(f"not a curl command: it starts with {argv[0]!r}",
                   hint="paste a command line that starts with curl (browser dev tools: "
                        "Copy as cURL)")
    method: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    data: list[str] = []
    url: str | None = None
    as_get = head = False
    i = 0
    while i < len(argv):
        arg, value = argv[i], None
        if arg.startswith("--") and "=" in arg and arg.split("=", 1)[0] in _WITH_ARG:
            arg, value = arg.split("=", 1)
        elif arg in _WITH_ARG:
            if i + 1 >= len(argv):
                raise fail(f"curl option {arg} needs a value")
            i += 1
            value = argv[i]
        elif len(arg) > 2 and arg[:2] in ("-X", "-H", "-d", "-A", "-b", "-e", "-u"):
            arg, value = arg[:2], arg[2:]  # -XPOST, -H'a: b'
        i += 1
        if not arg.startswith("-") or arg == "--url":
            if url is not None:
                raise fail(f"more than one URL: {url!r} and {value or arg!r}")
            url = value or arg
        elif arg in ("-X", "--request"):
            method = (value or "").upper()
        elif arg in ("-H", "--header"):
            name, colon, hv = (value or "").partition(":")
            if not colon or not name.strip():
                raise fail(f"bad header {value!r}", hint="write -H 'Name: value'")
            headers += ((name.strip(), hv.strip()),)
        elif arg in _DATA or arg == "--json":
            if (value or "").startswith("@"):
                raise fail(f"not supported: data from a file ({arg} {value})")
            data.append(value or "")
            if arg == "--json":
                if header_get(headers, "content-type") is None:
                    headers += (("Content-Type", "application/json"),)
                if header_get(headers, "accept") is None:
                    headers += (("Accept", "application/json"),)
        elif arg == "--data-urlencode":
            name, eq, val = (value or "").partition("=")
            data.append(f"{name}={quote_plus(val)}" if eq else quote_plus(name))
        elif arg in ("-A", "--user-agent"):
            headers = header_set(headers, "User-Agent", value or "")
        elif arg in ("-b", "--cookie"):
            if "=" not in (value or ""):
                raise fail(f"not supported: cookie jar file ({arg} {value})")
            headers += (("Cookie", value or ""),)
        elif arg in ("-e", "--referer"):
            headers += (("Referer", value or ""),)
        elif arg in ("-u", "--user"):
            token = base64.b64encode((value or "").encode()).decode()
            headers = header_set(headers, "Authorization", f"Basic {token}")
        elif arg in ("-G", "--get"):
            as_get = True
        elif arg in ("-I", "--head"):
            head = True
        elif arg in _IGNORED or arg in _IGNORED_WITH_ARG:
            continue
        else:
            raise fail(f"not supported: curl option {arg}",
                       hint="supported: -X -H -d --data-raw --data-binary --json "
                            "--data-urlencode -A -b -e -u -G -I and the URL")
    if url is None:
        raise fail("no URL in the curl command")
    target, host = split_url(url)
    scheme = "https" if url.startswith("https://") else "http"
    body = "&".join(data).encode()
    if as_get and data:
        target += ("&" if "?" in target else "?") + "&".join(data)
        body = b""
    if data and not as_get and header_get(headers, "content-type") is None:
        headers += (("Content-Type", "application/x-www-form-urlencoded"),)
    if host and header_get(headers, "host") is None:
        headers = (("Host", host),) + headers
    method = method or ("HEAD" if head else "POST" if body else "GET")
    return SavedRequest(f"{method} {target}",
                        Request(method, target, headers, body, scheme=scheme), (), file, line)


def to_hurl(entries: list[SavedRequest]) -> str:
    """Hurl text for saved requests (the form `parse_hurl` reads back)."""
    out: list[str] = []
    for entry in entries:
        req = entry.request
        lines: list[str] = []
        if req.client_ip != "127.0.0.1":
            lines.append(f"# @client-ip {req.client_ip}")
        host = header_get(req.headers, "host")
        # Hurl needs an absolute URL; the scheme is kept (http when there was none)
        url = f"{req.scheme}://{host or 'localhost'}{req.target}"
        lines.append(f"{req.method} {url}")
        lines += [f"{k}: {v}" for k, v in req.headers if k.lower() != "host"]
        if req.body:
            text = req.body.decode("utf-8", "replace")
            typed = header_get(req.headers, "content-type") is not None
            if typed and _json_as_written(text, req.body):
                lines.append(text)  # byte for byte: the body sent is the body imported
            elif "{{" in text:  # would read back as a {{variable}}: keep the exact bytes
                lines.append(f"base64,{base64.b64encode(req.body).decode()};")
            elif text.endswith("\n") and "```" not in text and req.body == text.encode():
                lines += ["```", *text[:-1].split("\n"), "```"]
            elif "\n" not in text and "`" not in text and req.body == text.encode():
                lines.append(f"`{text}`")
            else:  # exact bytes whatever they are
                lines.append(f"base64,{base64.b64encode(req.body).decode()};")
        for a in entry.asserts:
            if a.implicit and a.query == "status":
                lines.append(f"HTTP {a.value}")
        asserts = [a.text for a in entry.asserts if not a.implicit]
        if asserts:
            if not any(a.implicit and a.query == "status" for a in entry.asserts):
                lines.append("HTTP *")
            lines += ["[Asserts]", *asserts]
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def _json_as_written(text: str, body: bytes) -> bool:
    """Whether a JSON body can be written as is and read back byte for byte."""
    if not text.startswith(("{", "[")) or body != text.encode() or "\r" in text \
            or text != text.rstrip() or "{{" in text:
        return False
    try:
        return isinstance(json.loads(text), dict | list)
    except (ValueError, RecursionError):
        return False
