"""`.http` / `.rest` files in the VS Code REST Client format (no assertions).

Requests are separated by lines starting with `###`. In each block: comments (`#`, `//`)
and directives (`# @name x`, `# @client-ip 10.1.2.3`), the request line
(`METHOD URL [HTTP/1.1]`, or just a URL for GET), optional `?a=1` / `&b=2` query
continuation lines, headers up to a blank line, then the body to the end of the block.
File variables `@name = value` (outside requests) are available as `{{name}}` and
override workspace variables of the same name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from workbench.core.errors import RequestFileError
from workbench.core.http import Request, header_set, ip_key, request_problem, split_url
from workbench.core.requests.model import SavedRequest, entry_name, substitute

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT")
_REQUEST = re.compile(r"^(?:([A-Z]+)\s+)?(\S+)(?:\s+HTTP/[\d.]+)?\s*$")
_FILE_VAR = re.compile(r"^@([\w.-]+)\s*=\s*(.*?)\s*$")
_DIRECTIVE = re.compile(r"^(?:#|//)\s*@([\w-]+)\s+(.*?)\s*$")
_HEADER = re.compile(r"^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s*(.*?)\s*$")


def parse_http_file(text: str, *, file: str,
                    variables: Mapping[str, Any] | None = None) -> list[SavedRequest]:
    lines = text.splitlines()
    env = dict(variables or {})
    for line in lines:  # file variables are global, wherever they are defined
        m = _FILE_VAR.match(line.strip())
        if m:
            env[m.group(1)] = m.group(2)
    blocks: list[tuple[int, list[str]]] = [(0, [])]
    for i, line in enumerate(lines):
        if line.startswith("###"):
            blocks.append((i + 1, []))
        else:
            blocks[-1][1].append(line)
    out: list[SavedRequest] = []
    names: set[str] = set()
    for start, block in blocks:
        entry = _block(block, start, file, env, names)
        if entry is not None:
            out.append(entry)
    return out


def _block(block: list[str], start: int, file: str, env: Mapping[str, Any],
           names: set[str]) -> SavedRequest | None:
    directives: dict[str, str] = {}
    i = 0
    while i < len(block):  # comments, directives, file variables, blank lines
        s = block[i].strip()
        m = _DIRECTIVE.match(s)
        if m:
            directives[m.group(1)] = m.group(2)
        elif s and not s.startswith(("#", "//")) and not _FILE_VAR.match(s):
            break
        i += 1
    if i == len(block):
        return None
    line_no = start + i + 1

    def sub(text: str, ln: int) -> str:
        return substitute(text, env, file, ln)

    m = _REQUEST.match(sub(block[i].strip(), line_no))
    if not m or (m.group(1) and m.group(1) not in METHODS):
        raise RequestFileError(f"expected a request line like 'GET https://host/path', got "
                               f"{block[i].strip()[:40]!r}", file=file, line=line_no)
    method = m.group(1) or "GET"
    try:
        target, host = split_url(m.group(2))
    except ValueError as e:
        raise RequestFileError(f"invalid URL {m.group(2)[:80]!r}: {e}", file=file,
                               line=line_no) from None
    headers: tuple[tuple[str, str], ...] = (("Host", host),) if host else ()
    i += 1
    while i < len(block) and block[i].strip().startswith(("?", "&")):
        part = sub(block[i].strip()[1:].strip(), start + i + 1)
        target += ("&" if "?" in target else "?") + part
        i += 1
    while i < len(block) and block[i].strip():
        ln = start + i + 1
        s = block[i].strip()
        if s.startswith(("#", "//")):
            i += 1
            continue
        h = _HEADER.match(s)
        if not h:
            raise RequestFileError(f"expected a header 'Name: value' or a blank line before "
                                   f"the body, got {s[:40]!r}", file=file, line=ln)
        name, value = h.group(1), sub(h.group(2), ln)
        headers = (header_set(headers, name, value) if name.lower() == "host"
                   else headers + ((name, value),))
        i += 1
    body_lines = block[i + 1:] if i < len(block) else []
    while body_lines and not body_lines[-1].strip():
        body_lines.pop()
    if body_lines and body_lines[0].strip().startswith("<"):
        raise RequestFileError("not supported: body from a file ('< path')", file=file,
                               line=start + i + 2)
    body = sub("\n".join(body_lines), start + i + 2).encode()
    client_ip = directives.get("client-ip", "127.0.0.1")
    if ip_key(client_ip) is None:
        raise RequestFileError(f"@client-ip {client_ip!r} is not an IP address", file=file,
                               line=line_no)
    problem = request_problem(method, target, headers)
    if problem:
        raise RequestFileError(problem, file=file, line=line_no)
    name = directives.get("name") or entry_name(method, target, line_no, names)
    return SavedRequest(name, Request(method, target, headers, body, client_ip), (), file,
                        line_no)
