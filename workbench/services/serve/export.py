"""A served request as a saved Hurl entry (the app's ctrl+s in the Served view).

The entry is complete: method, URL, every header the client sent (except those HTTP
computes again: Host, Content-Length, Connection...), the body byte for byte, and the
status it got as the expected `HTTP` line. `workbench.core.requests.hurl.parse_hurl`
reads it back to the same request (tests/services/serve/test_export.py).

The URL is `http://localhost` + the path the handler saw (below an automatic `/<name>`
mount), like the module's other saved requests: replay runs it in-process, and
`replay --url` puts its own base in front. Secret values are replaced as in the log
(`[redacted:NAME]`): a saved file must not carry them.
"""

from __future__ import annotations

import base64

from workbench.core.http import Request
from workbench.core.runtime.secrets import Secrets
from workbench.services.serve.record import ServeRecord

# computed again by whatever sends the request (or meaningless in a file)
_DROPPED = frozenset({"host", "content-length", "connection", "keep-alive",
                      "transfer-encoding", "te", "upgrade", "proxy-connection", "trailer"})


def record_request(record: ServeRecord) -> Request:
    """The request as the module saw it (secrets redacted), for saving or replaying."""
    sec = record.secrets or Secrets()
    red = sec.redact if sec else (lambda s: s)
    headers = tuple((k, red(v)) for k, v in record.request_headers
                    if k.lower() not in _DROPPED)
    body = sec.redact_bytes(record.request_body) if sec else record.request_body
    return Request(record.method, red(record.handler_target or record.target), headers, body)


def record_hurl(record: ServeRecord, comment: str = "saved from the dev server log") -> str:
    """One Hurl entry, ending in a blank line (appendable to a .hurl file)."""
    req = record_request(record)
    lines = [f"# {_one_line(comment)}"] if comment else []
    lines.append(f"{req.method} http://localhost{_value(req.target)}")
    lines += [f"{_key(k)}: {_value(v)}" for k, v in req.headers]
    lines += _body(req.body)
    lines.append(f"HTTP {record.status}")
    return "\n".join(lines) + "\n\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _escape(text: str, extra: str) -> str:
    out = []
    for ch in text:
        if ch == "\\" or ch in extra:
            out.append("\\" + ch)
        elif ch == "{":  # never the start of a {{placeholder}}
            out.append("\\u{7b}")
        elif ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif not ch.isprintable():
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    return "".join(out)


def _value(text: str) -> str:
    """A Hurl value string: `#` would start a comment, `{{` a placeholder."""
    value = _escape(text, "#")
    if value.startswith(" "):  # leading spaces are trimmed by the reader
        value = "\\u{20}" + value[1:]
    if value.endswith(" "):
        value = value[:-1] + "\\u{20}"
    return value


def _key(name: str) -> str:
    return _escape(name, "#:")


def _body(body: bytes) -> list[str]:
    """Text as a ``` block when it ends in a newline, a `one line` when it fits one,
    else base64 (exact bytes either way)."""
    if not body:
        return []
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and text.endswith("\n") and "```" not in text \
            and "\\" not in text and "{{" not in text and "\r" not in text:
        return ["```", text[:-1], "```"]
    if text is not None and text.isprintable() and not any(c in text for c in "`\\{"):
        return [f"`{text}`"]
    return [f"base64,{base64.b64encode(body).decode()};"]
