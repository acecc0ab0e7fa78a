"""WAGI: a WASI command serves one request as a CGI script.

The request becomes CGI/1.1 environment variables (RFC 3875) plus the body on stdin; the
command writes CGI headers, a blank line and the body to stdout. WASI is configured with
no preopened directories, no inherited environment and no network (wasmtime's WASI
preview1 has no sockets): the module sees only what is set here.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable

import wasmtime

from workbench.core.http import REASONS, HttpParseError, Request, Response, header_get
from workbench.core.runtime.edge import preview


def cgi_env(req: Request, name: str = "handler") -> list[tuple[str, str]]:
    """The CGI variables for `req` (the order is irrelevant to CGI, kept stable for tests)."""
    host = req.host or "localhost"
    server, _, port = host.partition(":")
    env = {
        "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_SOFTWARE": "workbench",
        "SERVER_PROTOCOL": "HTTP/1.1", "SERVER_NAME": server, "SERVER_PORT": port or "80",
        "REQUEST_METHOD": req.method, "SCRIPT_NAME": "", "PATH_INFO": req.path,
        "QUERY_STRING": req.query_string, "REQUEST_URI": req.target,
        "REMOTE_ADDR": req.client_ip, "REMOTE_HOST": req.client_ip,
        "CONTENT_LENGTH": str(len(req.body)),
        "CONTENT_TYPE": header_get(req.headers, "content-type", "") or "",
        "X_FULL_URL": f"http://{host}{req.target}", "X_RAW_PATH_INFO": req.path,
        "X_MATCHED_ROUTE": "/...", "X_WORKBENCH_MODULE": name,
    }
    for k, v in req.headers:
        low = k.lower()
        if low in ("content-type", "content-length"):
            continue
        key = "HTTP_" + k.upper().replace("-", "_")
        env[key] = f"{env[key]}, {v}" if key in env else v
    return list(env.items())


class WagiIO:
    """stdin file, captured stdout (capped) and stderr for one run."""

    def __init__(self, req: Request, max_stdout: int, on_stderr: Callable[[bytes], None]):
        self.stdout = bytearray()
        self.overflow = False
        self._max = max_stdout
        self._on_stderr = on_stderr
        fd, self.stdin_path = tempfile.mkstemp(prefix="workbench-stdin-")
        with os.fdopen(fd, "wb") as f:
            f.write(req.body)

    def configure(self, req: Request, name: str) -> wasmtime.WasiConfig:
        cfg = wasmtime.WasiConfig()
        cfg.argv = [name]
        cfg.env = cgi_env(req, name)
        cfg.stdin_file = self.stdin_path
        cfg.stdout_custom = self._out
        cfg.stderr_custom = self._err
        return cfg

    def _out(self, data: bytes) -> int:
        if self.overflow or len(self.stdout) + len(data) > self._max:
            # the write fails (EFBIG): a command that checks it stops; one that keeps
            # writing runs into its limits. Either way the run reports response_too_large
            self.overflow = True
            return -errno.EFBIG
        self.stdout += data
        return len(data)

    def _err(self, data: bytes) -> int:
        self._on_stderr(data)  # raw bytes: the receiver splits and caps the lines
        return len(data)

    def close(self) -> None:
        try:
            os.unlink(self.stdin_path)
        except OSError:
            pass


def parse_cgi(data: bytes) -> Response:
    """CGI output -> Response. `Status:` sets the status; `Location:` alone means 302;
    a document response must have a content-type."""
    sep, sep_len = data.find(b"\r\n\r\n"), 4
    lf = data.find(b"\n\n")
    if sep < 0 or 0 <= lf < sep:
        sep, sep_len = lf, 2
    if sep < 0:
        if not data:
            raise HttpParseError("the command wrote nothing to stdout", 0)
        raise HttpParseError("no blank line after the CGI headers; output starts with "
                             + preview(data), len(data))
    try:
        head = data[:sep].decode("utf-8")
    except UnicodeDecodeError as e:
        raise HttpParseError("CGI headers are not UTF-8", e.start) from None
    body = data[sep + sep_len:]
    headers: list[tuple[str, str]] = []
    status: int | None = None
    reason = ""
    offset = 0
    for line in head.replace("\r\n", "\n").split("\n"):
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or name != name.strip():
            raise HttpParseError(f"bad CGI header line {line[:60]!r}", offset)
        value = value.strip()
        if name.lower() == "status":
            code, _, reason = value.partition(" ")
            if not code.isdecimal() or not 100 <= int(code) <= 999:
                raise HttpParseError(f"bad Status header {value[:40]!r}", offset)
            status = int(code)
        else:
            headers.append((name, value))
        offset += len(line) + 1
    hdrs = tuple(headers)
    location = header_get(hdrs, "location")
    if status is None:
        status = 302 if location is not None else 200
    no_content = status in (204, 304) and not body  # no document to describe
    if header_get(hdrs, "content-type") is None and not (location and not body) \
            and not no_content:
        raise HttpParseError("missing Content-Type header (required for a CGI document "
                             "response; print e.g. 'Content-Type: text/plain' before the "
                             "blank line)", 0)
    return Response(status=status, headers=hdrs, body=body,
                    reason=reason or REASONS.get(status, ""))
