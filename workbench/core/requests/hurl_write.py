"""Requests written as Hurl text that `parse_hurl` reads back to the same bytes.

Used by `import-curl` (`to_hurl`) and the app's "save as .hurl" (`export.to_hurl_entry`).
What a Hurl reader would take for syntax is escaped: `#` starts a comment in a header
value or URL, `{{` a placeholder, a backslash an escape, leading and trailing spaces are
trimmed, and a header name may hold only key characters. A body is written as it was sent
when that reads back byte for byte (JSON, one-line text, a ``` block), else as base64.
"""

from __future__ import annotations

import base64
import json
import re

from workbench.core.errors import WorkbenchError
from workbench.core.http import Request, header_get
from workbench.core.requests.hurl_json import scan_json
from workbench.core.requests.model import SavedRequest

_KEY_CHAR = re.compile(r"[A-Za-z0-9_.\[\]@$-]")  # ASCII subset of Hurl's key characters
_VALUE_ESCAPE = {"\\": "\\\\", "#": "\\#", "\t": "\\t", "\n": "\\n", "\r": "\\r",
                 "\b": "\\b", "\f": "\\f"}


def hurl_value(text: str) -> str:
    """`text` as a Hurl value-string: reads back to exactly `text`."""
    out = [_VALUE_ESCAPE.get(ch, ch) if ch.isprintable() or ch in _VALUE_ESCAPE
           else f"\\u{{{ord(ch):x}}}" for ch in text]
    value = "".join(out)
    # `{{` would open a placeholder: write the first brace of each pair as an escape
    value = re.sub(r"\{(?=\{)", lambda _m: "\\u{7b}", value)
    if value.startswith((" ", "\t")):  # leading spaces are skipped by the reader
        value = f"\\u{{{ord(value[0]):x}}}" + value[1:]
    if value.endswith((" ", "\t")):  # trailing ones are trimmed
        value = value[:-1] + f"\\u{{{ord(value[-1]):x}}}"
    return value


def hurl_key(name: str) -> str:
    """A header name as a Hurl key-string (characters outside the key set escaped)."""
    return "".join(ch if _KEY_CHAR.fullmatch(ch) else f"\\u{{{ord(ch):x}}}" for ch in name)


def hurl_url(req: Request, host: str | None) -> str:
    """`scheme://host/target` as a value-string (Hurl needs an absolute URL)."""
    return hurl_value(f"{req.scheme}://{host or 'localhost'}{req.target}")


def body_lines(req: Request) -> list[str]:
    """The body as Hurl lines (none for an empty body)."""
    if not req.body:
        return []
    try:
        text: str | None = req.body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    typed = header_get(req.headers, "content-type") is not None
    if text is None or "{{" in text:  # would read back as a {{variable}}: exact bytes
        return [f"base64,{base64.b64encode(req.body).decode()};"]
    if typed and _json_as_written(text):
        return [text]  # byte for byte: the body sent is the body imported
    if text.endswith("\n") and "```" not in text and "\\" not in text \
            and _printable_lines(text[:-1]):
        return ["```", *text[:-1].split("\n"), "```"]
    if "\n" not in text and "`" not in text and "\\" not in text and "#" not in text \
            and text.isprintable():
        return [f"`{text}`"]
    return [f"base64,{base64.b64encode(req.body).decode()};"]


def entry_lines(req: Request) -> list[str]:
    """Request line, headers (Host goes into the URL) and body of one entry."""
    lines: list[str] = []
    if req.client_ip != "127.0.0.1":
        lines.append(f"# @client-ip {req.client_ip}")
    lines.append(f"{req.method} {hurl_url(req, header_get(req.headers, 'host'))}")
    lines += [f"{hurl_key(k)}: {hurl_value(v)}" for k, v in req.headers
              if k.lower() != "host"]
    return lines + body_lines(req)


def to_hurl(entries: list[SavedRequest]) -> str:
    """Hurl text for saved requests (the form `parse_hurl` reads back)."""
    out: list[str] = []
    for entry in entries:
        lines = entry_lines(entry.request)
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


def _printable_lines(text: str) -> bool:
    return all(line.isprintable() for line in text.split("\n"))


def _json_as_written(text: str) -> bool:
    """Whether a JSON body can be written as is and read back byte for byte (Hurl's JSON
    reader is stricter than json.loads: 128 levels at most, no NaN)."""
    if not text.startswith(("{", "[")) or "\r" in text or text != text.rstrip():
        return False
    try:
        if not isinstance(json.loads(text), dict | list):
            return False
        template, end = scan_json(text, file="<body>", line=1)
    except (ValueError, RecursionError, WorkbenchError):
        return False
    return end == len(text) and template.static and template.render({}) == text
