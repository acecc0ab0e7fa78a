"""Globs over '/'-separated paths: one translation for source patterns and hooks paths.

`*` is any run of characters except '/', `?` one such character, `[abc]`/`[!abc]` a
class, `**` anything (also '/'), and `**/` zero or more whole folders (so `src/**/*.c`
matches `src/a.c`). The result is anchored at both ends.
"""

from __future__ import annotations

import re
from functools import lru_cache


def glob_pattern(pattern: str) -> str:
    """The regular-expression text for `pattern`, anchored with ^ and $: valid for both
    Python's `re` and RE2 (which has no \\Z; paths hold no newline, so $ is exact)."""
    pattern = re.sub(r"\*{3,}", "**", pattern)  # `***` means `**`: keep the expression small
    out: list[str] = ["^"]
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            if out[-1] != ".*":
                out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1:end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out) + "$"


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """`pattern` compiled with Python's `re` (cached), anchored at the very end (\\Z)."""
    return re.compile(glob_pattern(pattern)[:-1] + r"\Z")
