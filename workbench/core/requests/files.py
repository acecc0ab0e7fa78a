"""Reading request files: one file or a folder of them, parsed by suffix."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workbench.core.errors import RequestFileError
from workbench.core.files import FileRefused, read_limited, utf8_problem
from workbench.core.requests.http_file import parse_http_file
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.model import SUFFIXES, SavedRequest


def load_requests(path: str | os.PathLike[str],
                  variables: Mapping[str, Any] | None = None,
                  captured: set[str] | None = None, *,
                  inside: Path | None = None) -> list[SavedRequest]:
    """Entries of one request file, or of every request file under a folder (sorted by
    name: a replay runs them in this order, so a file may use what an earlier one
    captured). `captured` (in/out) is the set of names captured so far.

    Only regular files are read (a FIFO would hang a replay), size-capped; files found in
    a folder must resolve inside it (a symlink to /proc/self/environ is refused)."""
    p = Path(path)
    variables = variables or {}
    captured = captured if captured is not None else set()
    if p.is_dir():
        out: list[SavedRequest] = []
        for child in sorted(p.rglob("*")):
            if child.suffix in SUFFIXES and child.is_file() and ".workbench" not in child.parts:
                out.extend(load_requests(child, variables, captured, inside=inside or p))
        return out
    try:
        data = read_limited(p, inside=inside)
    except FileRefused as e:
        raise RequestFileError(f"cannot read request file: {e.message}", file=str(p),
                               line=0, hint=e.hint) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        what, line, column, hint = utf8_problem(data, e)
        raise RequestFileError(f"request file is {what}", file=str(p), line=line,
                               column=column, hint=hint) from None
    return parse_request_text(text, file=str(p), variables=variables, captured=captured)


def parse_request_text(text: str, *, file: str, variables: Mapping[str, Any] | None = None,
                       captured: set[str] | None = None) -> list[SavedRequest]:
    """Parse by file suffix: .http/.rest as REST Client, anything else as Hurl."""
    variables = variables or {}
    captured = captured if captured is not None else set()
    if file.endswith((".http", ".rest")):
        return parse_http_file(text, file=file, variables=variables)
    return parse_hurl(text, file=file, variables=variables, captured=captured)
