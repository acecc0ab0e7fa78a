"""Saved requests: the values every request-file format loads into, and the loader.

A saved request is one entry of a `.hurl` file (Hurl subset, `workbench.core.requests.hurl`), of a
`.http` REST Client file (`workbench.core.requests.http_file`), or an imported curl command line
(`workbench.core.requests.curl`). Each entry keeps its file and line, and each expectation keeps
its own line, so a replay report points at the exact assertion that broke.
See docs/requests.md for the supported subset.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.core.errors import RequestFileError
from workbench.core.http import Request

SUFFIXES = (".hurl", ".http", ".rest")
_VAR = re.compile(r"\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}")


@dataclass(frozen=True, slots=True)
class Assertion:
    """One expectation: `query [arg] [| filter] [not] predicate [value]` at file:line.

    query: status | header | body | jsonpath | duration | fuel. `arg` is the header name
    or the JSONPath. `value` is an int, float, str, bool or None (JSON null); unused for
    `exists`. `implicit` marks the ones derived from the `HTTP 200` line, the expected
    headers, or an expected body.
    """

    query: str
    arg: str | None
    predicate: str
    value: Any
    negate: bool
    file: str
    line: int
    text: str
    filter: str | None = None
    implicit: bool = False

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "arg": self.arg, "filter": self.filter,
                "predicate": self.predicate, "negate": self.negate, "value": self.value,
                "text": self.text, "where": self.where, "implicit": self.implicit}


@dataclass(frozen=True, slots=True)
class SavedRequest:
    """One request entry with its expectations. `name` is unique within its file."""

    name: str
    request: Request
    asserts: tuple[Assertion, ...]
    file: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def key(self) -> str:
        """Stable identity across replays (for last-response diffs): file + name."""
        return f"{self.file}#{self.name}"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "where": self.where, "request": self.request.to_json(),
                "asserts": [a.to_json() for a in self.asserts]}


def substitute(text: str, variables: Mapping[str, Any], file: str, line: int) -> str:
    """Replace {{name}} with variables[name]; an unknown name is an error at file:line."""
    if "{{" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in variables:
            known = ", ".join(sorted(variables)) or "none defined"
            at = line + text.count("\n", 0, m.start())  # the line inside a multi-line body
            raise RequestFileError(f"undefined variable {{{{{name}}}}}", file=file, line=at,
                                   hint=f"define it in workbench.toml [variables] "
                                        f"(known: {known})")
        value = variables[name]
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    return _VAR.sub(one, text)


def entry_name(method: str, target: str, line: int, taken: set[str]) -> str:
    """'GET /healthz', made unique within a file by appending the line when repeated."""
    name = f"{method} {target}"
    if name in taken:
        name = f"{name} (line {line})"
    taken.add(name)
    return name
