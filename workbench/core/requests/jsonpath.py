"""A small JSONPath: `$`, `.key`, `['key']` / `["key"]`, `[n]` (negative from the end).

Enough for the assertions edge handlers need ("$.user.id", "$.items[0].name",
"$['content-type']") and nothing that needs a dependency. Filters, wildcards, slices
and recursive descent are rejected when the file is loaded, so an unsupported path is a
"not supported" error with file:line instead of a silent mismatch.
"""

from __future__ import annotations

import re
from typing import Any

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "<missing>"})()

_KEY = re.compile(r"\.([A-Za-z_$@][\w$@-]*)")
_INDEX = re.compile(r"\[\s*(-?\d+)\s*\]")
_QUOTED = re.compile(r"""\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]""")


class JsonPathError(ValueError):
    """A path outside the supported subset; the message says which part."""


def parse_jsonpath(path: str) -> tuple[str | int, ...]:
    """'$.a[0]["b c"]' -> ('a', 0, 'b c'). Raises JsonPathError for unsupported syntax."""
    if not path.startswith("$"):
        raise JsonPathError(f"JSONPath must start with '$': {path!r}")
    steps: list[str | int] = []
    i = 1
    while i < len(path):
        for rx, conv in ((_KEY, str), (_INDEX, int), (_QUOTED, None)):
            m = rx.match(path, i)
            if m:
                if conv is None:
                    raw = m.group(1) if m.group(1) is not None else m.group(2)
                    steps.append(re.sub(r"\\(.)", r"\1", raw))
                else:
                    steps.append(conv(m.group(1)))
                i = m.end()
                break
        else:
            rest = path[i:]
            what = ("recursive descent '..'" if rest.startswith("..") else
                    "wildcard '*'" if "*" in rest[:3] else
                    "filter '[?(...)]'" if rest.startswith("[?") else
                    "slice" if rest.startswith("[") and ":" in rest.split("]")[0] else
                    f"{rest[:12]!r}")
            raise JsonPathError(f"not supported in JSONPath: {what} (supported: $.key, "
                                f"['key'], [n])")
    return tuple(steps)


def evaluate_jsonpath(doc: Any, steps: tuple[str | int, ...]) -> Any:
    """The value at `steps`, or MISSING when any step does not exist."""
    cur = doc
    for step in steps:
        if isinstance(step, int):
            if not isinstance(cur, list) or not -len(cur) <= step < len(cur):
                return MISSING
            cur = cur[step]
        else:
            if not isinstance(cur, dict) or step not in cur:
                return MISSING
            cur = cur[step]
    return cur
