"""Validation helpers for workbench.toml / module.toml.

Every mistake becomes a `ConfigError` naming the file, the dotted key, the line when it
can be found, and what is allowed. tomllib keeps no positions, so `line_of` finds a key's
line by a plain text search: good enough to point an editor at it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from workbench.core.errors import ConfigError
from workbench.core.files import FileRefused, read_limited, utf8_problem
from workbench.core.tomldoc import TomlSyntax, parse_toml


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse a TOML file; a syntax error becomes a ConfigError with the line number."""
    try:
        data = read_limited(path)
    except FileRefused as exc:
        raise ConfigError(exc.message, file=str(path), hint=exc.hint) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        what, line, column, hint = utf8_problem(data, e)
        raise ConfigError(what, file=str(path), line=line, column=column, hint=hint) \
            from None
    try:
        return parse_toml(text), text.removeprefix("\ufeff")
    except TomlSyntax as exc:
        raise ConfigError(f"invalid TOML: {exc.message}", file=str(path), line=exc.line,
                          column=exc.column,
                          hint=exc.hint or "see docs/config.md for the file format") from None


class Checker:
    """Reads typed values out of one parsed TOML document, raising ConfigError on mistakes."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text

    def line_of(self, key: str) -> int | None:
        """Best-effort line of a dotted key (`limits.fuel` looks for `fuel =` after `[limits]`)."""
        parts = key.split(".")
        leaf = re.escape(parts[-1])
        start = 0
        if len(parts) > 1:
            table = re.escape(".".join(parts[:-1]))
            m = re.search(rf"^[ \t]*\[[ \t]*{table}[ \t]*\]", self.text, re.M)
            if m:
                start = m.end()
        # `[ \t]*`, not `\s*`: a match must not start on an earlier (blank) line.
        m = re.search(rf"^[ \t]*\"?{leaf}\"?[ \t]*=", self.text[start:], re.M) or \
            re.search(rf"[{{,][ \t]*\"?{leaf}\"?[ \t]*=", self.text[start:])  # inline table
        if m is None:  # a table header `[key]`, else the enclosing table's line
            m = re.search(rf"^[ \t]*\[[ \t]*{re.escape(key)}[ \t]*\]", self.text, re.M)
            if m is not None:
                return self.text.count("\n", 0, m.start()) + 1
            return self.line_of(".".join(parts[:-1])) if len(parts) > 1 else None
        return self.text.count("\n", 0, start + m.start()) + 1

    def error(self, key: str | None, message: str, hint: str | None = None, *,
              near: str | None = None) -> ConfigError:
        """`near` names another key whose line to show when `key` itself is absent."""
        line = self.line_of(key) if key else None
        if line is None and near:
            line = self.line_of(near)
        return ConfigError(message, file=str(self.path), key=key, line=line, hint=hint)

    def check_keys(self, table: Mapping[str, Any], allowed: Iterable[str],
                   prefix: str = "") -> None:
        allowed = list(allowed)
        for key in table:
            if key not in allowed:
                full = f"{prefix}{key}"
                raise self.error(full, f"unknown key {full!r}",
                                 hint="allowed keys here: " + ", ".join(allowed))

    def table(self, doc: Mapping[str, Any], key: str, prefix: str = "") -> dict[str, Any]:
        value = doc.get(key, {})
        if not isinstance(value, dict):
            raise self.error(prefix + key, f"{prefix + key} must be a table ([{prefix + key}])")
        return value

    def string(self, doc: Mapping[str, Any], key: str, default: str | None = None, *,
               choices: tuple[str, ...] | None = None, prefix: str = "") -> str | None:
        value = doc.get(key, default)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(prefix + key, f"{prefix + key} must be a string",
                             hint=_choices_hint(choices))
        self._no_nul(prefix + key, value)
        if choices is not None and value not in choices:
            raise self.error(prefix + key, f"{prefix + key} = {value!r} is not allowed",
                             hint=_choices_hint(choices))
        return value

    def strings(self, doc: Mapping[str, Any], key: str, prefix: str = "") -> tuple[str, ...] | None:
        value = doc.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(prefix + key, f"{prefix + key} must be a list of strings",
                             hint=f'for example {key} = ["src/*.c"]')
        for v in value:
            self._no_nul(prefix + key, v)
        return tuple(value)

    def _no_nul(self, key: str, value: str) -> None:
        """A NUL is never part of a name or path (the OS refuses it: a ValueError deep in
        pathlib otherwise)."""
        if "\x00" in value:
            raise self.error(key, f"{key} holds a NUL character (\\u0000)",
                             hint="remove it: names and paths cannot hold NUL")

    def integer(self, doc: Mapping[str, Any], key: str, *, minimum: int = 0,
                prefix: str = "") -> int | None:
        value = doc.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(prefix + key, f"{prefix + key} must be an integer >= {minimum}",
                             hint=f"got {value!r}")
        return value

    def number(self, doc: Mapping[str, Any], key: str, *, lo: float, hi: float | None = None,
               prefix: str = "") -> float | None:
        value = doc.get(key)
        if value is None:
            return None
        bad = isinstance(value, bool) or not isinstance(value, int | float)
        if bad or value < lo or (hi is not None and value > hi):
            allowed = f"between {lo} and {hi}" if hi is not None else f">= {lo}"
            raise self.error(prefix + key, f"{prefix + key} must be a number {allowed}",
                             hint=f"got {value!r}")
        return float(value)

    def boolean(self, doc: Mapping[str, Any], key: str, prefix: str = "") -> bool | None:
        value = doc.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.error(prefix + key, f"{prefix + key} must be true or false",
                             hint=f"got {value!r}")
        return value


def _choices_hint(choices: tuple[str, ...] | None) -> str | None:
    return "allowed: " + ", ".join(choices) if choices else None
