"""Hurl templates: text with `{{name}}` placeholders, kept unrendered until replay time.

A `Template` is a tuple of literal strings (escapes already decoded) and `Expr`
placeholders. Placeholders are rendered with the workspace variables, the `[Options]
variable:` definitions and the values captured by earlier entries — the last two exist
only while a replay runs, which is why rendering is separate from parsing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from workbench.core.errors import RequestFileError

FUNCTIONS = ("newUuid", "newDate")  # Hurl's generator functions


@dataclass(frozen=True, slots=True)
class Expr:
    """`{{name}}` at file:line (a Hurl `placeholder` with no filter)."""

    name: str
    file: str
    line: int

    def __str__(self) -> str:
        return "{{" + self.name + "}}"


@dataclass(frozen=True, slots=True)
class Template:
    parts: tuple[str | Expr, ...]

    @staticmethod
    def of(text: str) -> Template:
        return Template((text,) if text else ())

    @property
    def static(self) -> bool:
        return all(isinstance(p, str) for p in self.parts)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parts if isinstance(p, Expr))

    @property
    def source(self) -> str:
        """The text with placeholders written back as `{{name}}` (for reports)."""
        return "".join(str(p) for p in self.parts)

    def render(self, variables: Mapping[str, Any]) -> str:
        return "".join(p if isinstance(p, str) else render_value(p, variables) for p in self.parts)

    def __str__(self) -> str:
        return self.source


def render_value(expr: Expr, variables: Mapping[str, Any]) -> str:
    """One placeholder's text; an unknown name or a list/object value is an error."""
    if expr.name not in variables:
        if expr.name == "newUuid":
            return str(uuid.uuid4())
        if expr.name == "newDate":
            return datetime.now(UTC).isoformat().replace("+00:00", "Z")
        known = ", ".join(sorted(k for k in variables if not k.startswith("\0"))) or "none"
        raise RequestFileError(f"undefined variable {{{{{expr.name}}}}}", file=expr.file,
                               line=expr.line,
                               hint=f"define it in workbench.toml [variables], with [Options] "
                                    f"variable: or capture it in an earlier entry "
                                    f"(known: {known})")
    return text_of(variables[expr.name], expr)


def text_of(value: Any, expr: Expr | None = None) -> str:
    """A variable's text as Hurl renders it: strings as is, numbers, true/false, null."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float | str):
        return str(value)
    if isinstance(value, bytes | list | dict):
        what = {bytes: "bytes", list: "a list", dict: "an object"}[type(value)]
        raise RequestFileError(f"variable {{{{{expr.name if expr else '?'}}}}} is {what}, "
                               f"which cannot be rendered as text",
                               file=expr.file if expr else "", line=expr.line if expr else 0,
                               hint="capture a single value (add a filter such as nth 0)")
    return json.dumps(value)


def resolve(value: Any, variables: Mapping[str, Any]) -> Any:
    """A parsed value with its templates rendered (other values as they are)."""
    if isinstance(value, Template):
        return value.render(variables)
    return value
