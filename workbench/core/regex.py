"""Regular expressions from files nobody reviewed, on a linear-time engine.

Hooks (`path_regex`, `header.matches`) and Hurl asserts, captures and filters (`matches`,
`regex`, `replaceRegex`) take patterns from a folder or a saved request. On Python's `re`,
`^([\\s\\S]|.)*Z$` against a 50-character body backtracks for hours: a replay, a watch loop
or the dev server would freeze. Patterns here run on RE2 (`google-re2`), whose matching is
linear in the text whatever the pattern. RE2 has no backreferences or lookaround; neither
has Hurl's own engine (Rust's `regex` crate), so a pattern using them is refused with
words saying so, not run with different meaning.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import re2

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print parse errors to stderr itself
_UNSUPPORTED = re.compile(r"\\[1-9]|\(\?<?[=!]")


class PatternError(ValueError):
    """A regular expression RE2 cannot compile (syntax, or backreferences/lookaround)."""


@functools.lru_cache(maxsize=4096)  # hooks compile a rule's pattern twice; asserts per run
def compile_regex(pattern: str) -> Any:
    """A linear-time compiled pattern with `re`'s search/sub/groups/groupindex interface."""
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as e:
        raw = e.args[0] if e.args else str(e)
        why = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        if _UNSUPPORTED.search(pattern):
            why += " (backreferences and lookaround are not supported: patterns run on " \
                   "the linear-time RE2 engine)"
        raise PatternError(why) from None
    except (TypeError, ValueError) as e:  # a NUL or a lone surrogate the binding refuses
        raise PatternError(str(e)) from None
