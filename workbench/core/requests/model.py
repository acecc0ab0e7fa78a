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
    filter: str | None = None  # the filters as written ("count", "nth 0 | toInt"...)
    implicit: bool = False
    filters: tuple[Any, ...] = ()  # parsed filters (workbench.core.requests.filters.Filter)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "arg": show_arg(self.arg), "filter": self.filter,
                "predicate": self.predicate, "negate": self.negate,
                "value": show_arg(self.value),
                "text": self.text, "where": self.where, "implicit": self.implicit}


@dataclass(frozen=True, slots=True)
class Capture:
    """`name: query [filters] [redact]` of a [Captures] section at file:line."""

    name: str
    query: str
    arg: Any
    filters: tuple[Any, ...]
    redact: bool
    file: str
    line: int
    text: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "text": self.text, "where": self.where,
                "redact": self.redact}


@dataclass(frozen=True, slots=True)
class SavedRequest:
    """One request entry with its expectations. `name` is unique within its file.

    `request` is the request as loaded (placeholders bound only at replay time, such as
    captured values, are shown as `{{name}}`); `spec`, when set, renders the request
    again with the replay's variables (a `workbench.core.requests.hurl_entry.EntrySpec`).
    `options` are the entry's [Options] (an `EntryOptions`), `captures` its [Captures].
    """

    name: str
    request: Request
    asserts: tuple[Assertion, ...]
    file: str
    line: int
    captures: tuple[Capture, ...] = ()
    spec: Any = None
    options: Any = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def key(self) -> str:
        """Stable identity across replays (for last-response diffs): file + name."""
        return f"{self.file}#{self.name}"

    def to_json(self) -> dict[str, Any]:
        out = {"name": self.name, "where": self.where, "request": self.request.to_json(),
               "asserts": [a.to_json() for a in self.asserts]}
        if self.captures:
            out["captures"] = [c.to_json() for c in self.captures]
        return out


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
    """'GET /healthz', made unique within a file by appending the line when repeated. A
    target of thousands of characters is shortened (the name is a label in reports)."""
    if len(target) > 120:
        target = f"{target[:100]}…{target[-10:]}"
    name = f"{method} {target}"
    if name in taken:
        name = f"{name} (line {line})"
    taken.add(name)
    return name


def show_arg(value: Any) -> Any:
    """A parsed value for JSON: templates as their `{{name}}` text, bytes as hex."""
    if isinstance(value, bytes):
        return "hex," + value.hex() + ";"
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "regex":
        return f"/{value[1]}/"
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
