"""Import a curl command line (as browsers copy it, or from docs) as a saved request.

The command is split as its shell would (`shellwords`: bash with `$'...'`, cmd.exe with
`^`, PowerShell with backticks), then read as curl 7.88 reads it (checked against the real
curl: `--data-urlencode` writes spaces as `+`, `-d @file` drops CR and LF, repeated
`--json` data is concatenated, `-H 'X;'` sends an empty header, `-H 'X:'` removes one,
credentials in the URL become Basic auth, a URL without a scheme is http). Options that
change what is sent are understood; options that only change curl itself (-s, -L, -k,
--compressed, ...) are ignored; anything else is an error naming the option, never an
import that silently sends something different.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from workbench.core.errors import RequestFileError
from workbench.core.http import Request, header_get, request_problem
from workbench.core.requests.model import SavedRequest
from workbench.core.requests.shellwords import ShellSyntax, split_words

FLAGS = {"-s", "--silent", "-S", "--show-error", "-L", "--location", "-k", "--insecure",
         "-v", "--verbose", "-i", "--include", "--compressed", "-f", "--fail", "-#",
         "--progress-bar", "--http1.1", "--http2", "--http2-prior-knowledge", "--http3",
         "-g", "--globoff", "-N", "--no-buffer", "--fail-with-body", "--location-trusted",
         "--no-progress-meter", "--raw", "--path-as-is", "-4", "-6", "--ipv4", "--ipv6",
         "--tcp-nodelay", "--no-keepalive", "--ssl-no-revoke", "-q", "--disable",
         "-G", "--get", "-I", "--head"}
IGNORED_WITH_ARG = {"-o", "--output", "-m", "--max-time", "--connect-timeout", "-w",
                    "--write-out", "--retry", "--retry-delay", "--retry-max-time", "-x",
                    "--proxy", "--resolve", "--connect-to", "--cacert", "--capath",
                    "-c", "--cookie-jar", "--limit-rate", "--max-redirs", "-D",
                    "--dump-header", "--trace", "--trace-ascii", "--stderr"}
DATA = {"-d": "ascii", "--data": "ascii", "--data-ascii": "ascii", "--data-raw": "raw",
        "--data-binary": "binary", "--json": "json", "--data-urlencode": "urlencode"}
WITH_ARG = set(DATA) | IGNORED_WITH_ARG | {
    "-X", "--request", "-H", "--header", "-A", "--user-agent", "-b", "--cookie", "-e",
    "--referer", "-u", "--user", "--url", "-r", "--range", "-F", "--form", "--form-string",
    "-T", "--upload-file"}
SUPPORTED = ("-X -H -d --data-raw --data-binary --data-urlencode --json -A -b -e -u -r -G "
             "-I --url and the URL")
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]")
Fail = Callable[..., RequestFileError]
_PROMPT = re.compile(r"^\s*(?:\$|%|>|PS [^>]*>)\s+(?=curl)")


@dataclass
class _Command:
    """What the options say, before it becomes a request."""

    method: str | None = None
    url: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    data: list[bytes] = field(default_factory=list)
    json: bool = False
    as_get: bool = False
    head: bool = False


def parse_curl(command: str, *, file: str = "<curl>", line: int = 1,
               dialect: str | None = None, cwd: Path | None = None) -> SavedRequest:
    """A curl command line (with or without the leading `curl`) as a SavedRequest.
    `@file` data is read relative to `cwd` (default: the current folder)."""

    def fail(message: str, hint: str | None = None, at: int = line,
             column: int | None = None) -> RequestFileError:
        return RequestFileError(message, file=file, line=at, column=column, hint=hint)

    text = _PROMPT.sub("", command.removeprefix("\ufeff"), count=1)
    if re.match(r"\s*(Invoke-WebRequest|Invoke-RestMethod|\$session\b|iwr\b)", text, re.I):
        raise fail("this is a PowerShell Invoke-WebRequest command, not curl",
                   hint="in the browser, use Copy as cURL (bash) or Copy as cURL (cmd)")
    try:
        argv, _ = split_words(text, dialect)
    except ShellSyntax as e:
        raise fail(f"cannot read the command line: {e.message}", e.hint,
                   line + e.line - 1, e.column) from None
    if argv and argv[0].lower() in ("curl", "curl.exe"):
        argv = argv[1:]
    elif argv and not argv[0].startswith("-") and "." not in argv[0] \
            and "/" not in argv[0] and ":" not in argv[0]:
        raise fail(f"not a curl command: it starts with {argv[0][:40]!r}",
                   hint="paste a command line that starts with curl (browser dev tools: "
                        "Copy as cURL)")
    cmd = _Command()
    for opt, value in _options(argv, fail):
        _apply(cmd, opt, value, fail, cwd or Path.cwd())
    return _request(cmd, fail, file, line)


def _options(argv: list[str], fail: Fail) -> Iterator[tuple[str, str | None]]:
    """(option, value) pairs; the URL comes as ("--url", url). Short flags combine
    (`-sSL`, `-sXPOST`) as curl reads them."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg.startswith("--") and "=" in arg and arg.split("=", 1)[0] in WITH_ARG:
            name, _, value = arg.partition("=")
            yield name, value
        elif arg.startswith("--") or arg in WITH_ARG or arg in FLAGS:
            if arg in WITH_ARG:
                if i >= len(argv):
                    raise fail(f"curl option {arg} needs a value")
                i += 1
                yield arg, argv[i - 1]
            else:
                yield arg, None
        elif arg.startswith("-") and len(arg) > 1:
            j = 1
            while j < len(arg):
                opt = "-" + arg[j]
                if opt in WITH_ARG:
                    rest = arg[j + 1:]
                    if not rest:
                        if i >= len(argv):
                            raise fail(f"curl option {opt} needs a value")
                        rest, i = argv[i], i + 1
                    yield opt, rest
                    break
                yield opt, None
                j += 1
        else:
            yield "--url", arg


def _apply(cmd: _Command, opt: str, value: str | None, fail: Fail, cwd: Path) -> None:
    v = value or ""
    if opt == "--url":
        if cmd.url is not None:
            raise fail(f"more than one URL: {cmd.url[:60]!r} and {v[:60]!r}",
                       hint="import one request at a time")
        cmd.url = v
    elif opt in ("-X", "--request"):
        cmd.method = v
    elif opt in ("-H", "--header"):
        _header(cmd, v, fail)
    elif opt in DATA:
        cmd.data.append(_data(DATA[opt], opt, v, fail, cwd))
        if opt == "--json":
            cmd.json = True
    elif opt in ("-A", "--user-agent"):
        _set(cmd, "User-Agent", v)
    elif opt in ("-b", "--cookie"):
        if "=" not in v:
            raise fail(f"not supported: cookie jar file ({opt} {v[:60]})",
                       hint="write the cookies out: -b 'name=value; other=value'")
        cmd.headers.append(("Cookie", v))
    elif opt in ("-e", "--referer"):
        cmd.headers.append(("Referer", v.removesuffix(";auto")))
    elif opt in ("-u", "--user"):
        if ":" not in v:
            raise fail(f"{opt} {v[:40]!r} has no password (curl would prompt for it)",
                       hint=f"write {opt} user:password")
        _set(cmd, "Authorization", "Basic " + base64.b64encode(
            v.encode("utf-8", "surrogateescape")).decode())
    elif opt in ("-r", "--range"):
        cmd.headers.append(("Range", f"bytes={v}"))
    elif opt in ("-G", "--get"):
        cmd.as_get = True
    elif opt in ("-I", "--head"):
        cmd.head = True
    elif opt in ("-F", "--form", "--form-string", "-T", "--upload-file"):
        raise fail(f"not supported: {opt} (multipart forms and uploads)",
                   hint="write the .hurl entry by hand with a [MultipartFormData] section "
                        "(name: value, file: file,photo.png;) or a file,name; body")
    elif opt not in FLAGS and opt not in IGNORED_WITH_ARG:
        raise fail(f"not supported: curl option {opt[:40]}", hint=f"supported: {SUPPORTED}")


def _header(cmd: _Command, v: str, fail: Fail) -> None:
    if v.startswith("@"):
        raise fail(f"not supported: headers from a file (-H {v[:60]})",
                   hint="write each header as -H 'Name: value'")
    name, colon, hv = v.partition(":")
    if not colon and v.rstrip().endswith(";") and v.rstrip()[:-1].strip():
        _set(cmd, v.rstrip()[:-1].strip(), "")  # `-H 'X;'`: an empty header
        return
    if not colon or not name.strip():
        raise fail(f"bad header {v[:60]!r}", hint="write -H 'Name: value'")
    if not hv.strip():  # `-H 'Accept:'` removes a header in curl
        cmd.headers = [(k, x) for k, x in cmd.headers if k.lower() != name.strip().lower()]
        return
    cmd.headers.append((name.strip(), hv.strip()))


def _set(cmd: _Command, name: str, value: str) -> None:
    cmd.headers = [(k, v) for k, v in cmd.headers if k.lower() != name.lower()]
    cmd.headers.append((name, value))


def _data(kind: str, opt: str, v: str, fail: Fail, cwd: Path) -> bytes:
    if kind == "urlencode":
        name, sep, content = _urlencode_parts(v)
        if content.startswith("@"):
            raw = _read(content[1:], opt, fail, cwd)
        else:
            raw = content.encode("utf-8", "surrogateescape")
        return name.encode("utf-8", "surrogateescape") + sep + _curl_escape(raw)
    if kind != "raw" and v.startswith("@"):
        raw = _read(v[1:], opt, fail, cwd)
        return raw.replace(b"\r", b"").replace(b"\n", b"") if kind == "ascii" else raw
    return v.encode("utf-8", "surrogateescape")


def _urlencode_parts(v: str) -> tuple[str, bytes, str]:
    """curl's forms: content, =content, name=content, @file, name@file."""
    if v.startswith("="):
        return "", b"", v[1:]
    eq, at = v.find("="), v.find("@")
    if at >= 0 and (eq < 0 or at < eq):
        return v[:at], b"=" if at else b"", v[at:]
    if eq >= 0:
        return v[:eq], b"=", v[eq + 1:]
    return "", b"", v


def _curl_escape(raw: bytes) -> bytes:
    """As curl 7.88's --data-urlencode: unreserved bytes kept, space as +, else %xx."""
    out = []
    for b in raw:
        ch = chr(b)
        out.append(ch if b < 128 and _UNRESERVED.fullmatch(ch) else
                   "+" if ch == " " else f"%{b:02x}")
    return "".join(out).encode()


def _read(name: str, opt: str, fail: Fail, cwd: Path) -> bytes:
    from workbench.core.files import BODY_LIMIT, FileRefused, read_limited

    if name == "-":
        raise fail(f"not supported: {opt} @- (data from stdin)",
                   hint="save the data to a file and write @file")
    try:
        return read_limited(cwd / name, limit=BODY_LIMIT)
    except FileRefused as e:
        raise fail(f"cannot read {opt} @{name}: {e.message}",
                   hint=e.hint or "a path relative to the current folder") from None


def _request(cmd: _Command, fail: Fail, file: str, line: int) -> SavedRequest:
    if cmd.url is None:
        raise fail("no URL in the curl command")
    url = cmd.url if "://" in cmd.url else "http://" + cmd.url  # as curl guesses
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as e:
        raise fail(f"invalid URL {cmd.url[:80]!r}: {e}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise fail(f"invalid URL {cmd.url[:80]!r}: only http:// and https:// URLs with a "
                   "host are requests a handler answers")
    headers = list(cmd.headers)
    if parts.username is not None and header_get(tuple(headers), "authorization") is None:
        creds = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        headers.insert(0, ("Authorization", "Basic " + base64.b64encode(
            creds.encode()).decode()))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    body = (b"" if cmd.json else b"&").join(cmd.data)
    if cmd.as_get and cmd.data:
        target += ("&" if "?" in target else "?") + body.decode("utf-8", "surrogateescape")
        body = b""
    hdrs = tuple(headers)
    if cmd.json:
        hdrs = _default(_default(hdrs, "Content-Type", "application/json"),
                        "Accept", "application/json")
    elif body:
        hdrs = _default(hdrs, "Content-Type", "application/x-www-form-urlencoded")
    host = parts.netloc.rsplit("@", 1)[-1]
    if header_get(hdrs, "host") is None:
        hdrs = (("Host", host),) + hdrs
    method = (cmd.method or ("HEAD" if cmd.head else "POST" if body else "GET"))
    if not re.fullmatch(r"[A-Za-z]+", method):
        raise fail(f"method {method[:40]!r} cannot be written in Hurl (upper-case letters "
                   "only)", hint="-X POST, -X PUT, -X DELETE, ...")
    method = method.upper()
    problem = request_problem(method, target, hdrs)
    if not problem and any("\udc80" <= c <= "\udcff" for v in (target, *(v for _, v in hdrs))
                           for c in v):
        problem = "the URL or a header holds bytes that are not UTF-8 text"
    if problem:
        raise fail(problem, hint="curl would send this as is; a handler's request must be "
                                 "valid HTTP/1.1 (write %20 for a space in a URL)")
    return SavedRequest(f"{method} {target}", Request(method, target, hdrs, body,
                                                      scheme=parts.scheme.lower()),
                        (), file, line)


def _default(headers: tuple[tuple[str, str], ...], name: str, value: str
             ) -> tuple[tuple[str, str], ...]:
    return headers if header_get(headers, name) is not None else headers + ((name, value),)

