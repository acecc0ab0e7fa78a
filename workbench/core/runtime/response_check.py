"""Is a handler's response one an HTTP server can send as it is?

Every ABI's answer passes here (`Harness.finish`) before it becomes a `RunResult`, so
`workbench run`, `replay` and `serve` report the same error. A response an HTTP/1.1 server
cannot send as given is an error of kind `response` naming the field:

- a status outside 200-599: 1xx are interim answers a server sends on its own (101 would
  switch the connection to another protocol, which no handler ABI can carry), and RFC 9110
  (section 15) has no status above 599;
- a header name that is not an RFC 9110 token (spaces, colons, parentheses, non-ASCII);
- a header value with a control character (CR, LF, NUL, ... all but tab): CR or LF would
  end the header early and let the handler's text inject headers or a second response
  (response splitting); aiohttp refuses such a value by dropping the connection, so the
  client would get no answer at all.

A 204 or 304 response with a body is sent without it (HTTP forbids one there); the run
gets a `warn` log line saying so (`dropped_body_note`).
"""

from __future__ import annotations

import re

from workbench.core.http import Response

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # aiohttp refuses exactly these
_NAMES = {"\r": "CR (\\r)", "\n": "LF (\\n)", "\x00": "NUL (\\0)"}
SHOWN = 60  # characters of a bad name or value quoted in the message


def response_problem(resp: Response) -> str | None:
    """Why `resp` cannot be sent as an HTTP/1.1 response, or None when it can."""
    status = resp.status
    if not 200 <= status <= 599:
        if 100 <= status <= 199:
            return (f"status {status} is an interim (1xx) status: a handler's response "
                    "is the final one, 200-599 (the server sends 100 Continue itself; "
                    "101 Switching Protocols and upgrades are not part of the handler ABIs)")
        return (f"status {status} is outside 200-599, the range of HTTP status codes "
                "(RFC 9110, section 15)")
    for name, value in resp.headers:
        if not _TOKEN.fullmatch(name):
            return (f"header name {_quote(name)} is not a valid HTTP field name: use "
                    "letters, digits and !#$%&'*+-.^_`|~ only (no spaces, colons, "
                    "control or non-ASCII characters)")
        bad = _CONTROL.search(value)
        if bad is not None:
            ch = bad.group()
            what = _NAMES.get(ch, f"control character U+{ord(ch):04X}")
            return (f"header {name!r} has {what} at character {bad.start()} of its value "
                    f"{_quote(value)}: a header value is one line of text, and a CR or LF "
                    "there would inject headers or a second response (response "
                    "splitting). Remove it, or percent-encode the value")
    return None


def dropped_body_note(resp: Response) -> str:
    """The log line for a 204/304 answer with a body, which will not be sent."""
    return (f"[workbench] a {resp.status} response has no body: the "
            f"{len(resp.body):,} bytes the handler wrote are not sent")


def _quote(text: str) -> str:
    if len(text) <= SHOWN:
        return repr(text)
    return repr(text[:SHOWN]) + f"... ({len(text):,} characters)"
