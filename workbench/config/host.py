"""module.toml's `[[outbound]]` stubs and `[extism]` table -> a `HostConfig`.

```toml
[[outbound]]                      # first matching stub answers; no match: request denied
url = "https://api.example.com/*" # fnmatch pattern over scheme://authority/path?query
status = 200                      # default 200
headers = { "content-type" = "application/json" }
body = '{"ok": true}'             # or body_file = "stubs/user.json" (module folder)
# error = "connection-refused"    # instead of a response: a wasi:http error-code

[extism]
function = "handle"               # the export an Extism plugin serves requests with
```
Every mistake is a ConfigError naming the file, the line of that `[[outbound]]` entry's key
and what is allowed. The handler never reaches the network: these stubs are its internet.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from workbench.config.check import Checker
from workbench.core.errors import ConfigError
from workbench.core.runtime.component.outbound import ERROR_CODES, Outbound, Stub
from workbench.core.runtime.host_config import DEFAULT_EXTISM_FUNCTION, HostConfig

STUB_KEYS = ("url", "status", "headers", "body", "body_file", "error")
MAX_STUBS = 1000
MAX_BODY_FILE = 16 << 20
_URL = re.compile(r"^(\*|https?://\S+)$")
_EXPORT = re.compile(r"^[^\s]{1,256}$")


def parse_host(ck: Checker, doc: dict[str, Any], folder: Path) -> HostConfig:
    return HostConfig(_outbound(ck, doc, folder), _extism_function(ck, doc))


def _outbound(ck: Checker, doc: dict[str, Any], folder: Path) -> Outbound:
    raw = doc.get("outbound", [])
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise ck.error("outbound", "outbound must be an array of tables ([[outbound]])",
                       hint='[[outbound]] url = "https://api.example.com/*" status = 200')
    if len(raw) > MAX_STUBS:
        raise ck.error("outbound", f"{len(raw)} outbound stubs, at most {MAX_STUBS}")
    headers_at = _entry_lines(ck.text)
    return Outbound(tuple(_stub(ck, t, i, headers_at, folder) for i, t in enumerate(raw)))


def _entry_lines(text: str) -> list[int]:
    """Line of each `[[outbound]]` header, in order."""
    return [text.count("\n", 0, m.start()) + 1
            for m in re.finditer(r"^[ \t]*\[\[[ \t]*outbound[ \t]*\]\]", text, re.M)]


def _stub(ck: Checker, tbl: dict[str, Any], i: int, headers_at: list[int],
          folder: Path) -> Stub:
    start = headers_at[i] if i < len(headers_at) else None

    def error(key: str, message: str, hint: str | None = None) -> ConfigError:
        line = _key_line(ck.text, start, key) if start else ck.line_of(f"outbound.{key}")
        return ConfigError(message, file=str(ck.path), key=f"outbound[{i}].{key}",
                           line=line, hint=hint)

    for key in tbl:
        if key not in STUB_KEYS:
            raise error(key, f"unknown key {key!r} in [[outbound]]",
                        hint="allowed keys here: " + ", ".join(STUB_KEYS))
    url = tbl.get("url")
    if not isinstance(url, str) or not _URL.match(url):
        raise error("url", "[[outbound]] needs url = \"http(s)://host/path\" (a pattern; "
                    "* matches any text)", hint='for example url = "https://api.example.com/*"')
    status = tbl.get("status", 200)
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise error("status", f"status must be an integer from 100 to 599, got {status!r}")
    headers = tbl.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise error("headers", "headers must be a table of strings",
                    hint='headers = { "content-type" = "application/json" }')
    err = tbl.get("error")
    if err is not None and err not in ERROR_CODES:
        raise error("error", f"error = {err!r} is not a wasi:http error-code without payload",
                    hint="allowed: " + ", ".join(ERROR_CODES))
    if err is not None and any(k in tbl for k in ("status", "headers", "body", "body_file")):
        raise error("error", "a stub answers with a response or an error, not both",
                    hint="remove status/headers/body, or error")
    if "body" in tbl and "body_file" in tbl:
        raise error("body_file", "give body or body_file, not both")
    body = tbl.get("body", "")
    if not isinstance(body, str):
        raise error("body", "body must be a string", hint="or body_file = \"stub.json\"")
    data = body.encode()
    if "body_file" in tbl:
        data = _body_file(tbl["body_file"], folder, lambda m, h=None: error("body_file", m, h))
    return Stub(url, status, tuple((str(k), v) for k, v in headers.items()), data, err)


def _body_file(name: Any, folder: Path, error: Any) -> bytes:
    if not isinstance(name, str) or not name:
        raise error("body_file must be a path relative to the module folder")
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise error(f"body_file {name!r} is outside the module folder")
    try:
        if path.stat().st_size > MAX_BODY_FILE:
            raise error(f"body_file {name!r} is over {MAX_BODY_FILE >> 20} MiB")
        return path.read_bytes()
    except OSError as e:
        raise error(f"cannot read body_file {name!r}: {e.strerror}") from None


def _key_line(text: str, start: int, key: str) -> int:
    """Line of `key =` inside the entry that starts on line `start` (else that line)."""
    lines = text.splitlines()
    for n in range(start, len(lines)):
        stripped = lines[n].strip()
        if stripped.startswith("["):
            break
        if re.match(rf'^"?{re.escape(key)}"?\s*=', stripped):
            return n + 1
    return start


def _extism_function(ck: Checker, doc: dict[str, Any]) -> str:
    tbl = ck.table(doc, "extism")
    ck.check_keys(tbl, ("function",), "extism.")
    name = ck.string(tbl, "function", DEFAULT_EXTISM_FUNCTION, prefix="extism.")
    if name is None or not _EXPORT.match(name):
        raise ck.error("extism.function", f"extism.function = {name!r} is not an export name")
    return name
