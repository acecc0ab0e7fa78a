"""Where a hooks-file mistake is: file, line (best effort), rule and field.

`tomllib` gives no positions for values, so lines are found by scanning the source for
the n-th `[[rule]]` header and then the first line in that block naming the field. That is
good enough to put the cursor on the right line in an editor.

The file is split into lines and its `[[rule]]` headers found once (`Source`), so every
rule's Site is O(1) to make: a hooks file of n rules loads in O(n), not O(n^2).
"""

from __future__ import annotations

import difflib
import re
from typing import Any, NoReturn

from workbench.core.errors import HooksError

_RULE_HEADER = re.compile(r"^\s*\[\[\s*rule\s*\]\]")


class Source:
    """A hooks file's text split once: its lines and where each `[[rule]]` starts."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.lines = text.splitlines()
        self.starts = [i for i, line in enumerate(self.lines) if _RULE_HEADER.match(line)]

    def block(self, index: int) -> tuple[int, int]:
        if index < len(self.starts):
            start = self.starts[index]
            end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.lines)
            return start, end
        return 0, 0


class Site:
    """Error factory for one rule of one hooks file."""

    def __init__(self, file: str | Source, text: str, index: int, name: str | None) -> None:
        source = file if isinstance(file, Source) else Source(file, text)
        self.file = source.file
        self.lines = source.lines
        self.index = index
        self.name = name
        self._start, self._end = source.block(index)

    def line_of(self, field: str | None) -> int | None:
        """1-based line of `field` inside this rule's block (or of the block header)."""
        if self._end == 0:
            return None
        if field:
            key = field.split(".")[-1].split("[")[0]
            pat = re.compile(r'(^|[\s{,])"?' + re.escape(key) + r'"?\s*=')
            for i in range(self._start, self._end):
                if pat.search(self.lines[i]):
                    return i + 1
        return self._start + 1

    @property
    def label(self) -> str:
        return self.name if self.name else f"#{self.index + 1}"

    def fail(self, field: str | None, message: str, hint: str | None = None) -> NoReturn:
        line = self.line_of(field)
        file = f"{self.file}:{line}" if line else self.file
        raise HooksError(message, file=file, rule=self.label, field=field, hint=hint)

    def check_keys(self, table: dict[str, Any], allowed: set[str] | tuple[str, ...],
                   field: str | None, what: str) -> None:
        """Reject keys outside `allowed`, listing what is allowed."""
        for key in table:
            if key not in allowed:
                where = f"{field}.{key}" if field else key
                close = difflib.get_close_matches(str(key), list(allowed), n=1, cutoff=0.6)
                self.fail(where, f"unknown key {key!r} in {what}"
                          + (f": did you mean {close[0]!r}?" if close else ""),
                          hint="allowed: " + ", ".join(sorted(allowed)))

    def want(self, value: Any, types: type | tuple[type, ...], field: str,
             what: str) -> Any:
        """Type check that refuses bool where int is wanted (TOML true is not 1)."""
        ok = isinstance(value, types)
        if ok and isinstance(value, bool) and not _allows_bool(types):
            ok = False
        if not ok:
            self.fail(field, f"{field} must be {what}, got {type(value).__name__} {value!r}")
        return value


def _allows_bool(types: type | tuple[type, ...]) -> bool:
    seq = types if isinstance(types, tuple) else (types,)
    return bool in seq
