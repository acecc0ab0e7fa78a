"""`Unavailable`: a result a view needs is not there (yet): no build output, for example.

The views render it as a note instead of a traceback.
"""

from __future__ import annotations


class Unavailable(Exception):
    """A core part or result this view needs is not there (broken install, no build output)."""

    def __init__(self, what: str, reason: str = "") -> None:
        self.what = what
        self.reason = reason
        super().__init__(f"{what} is not available yet" + (f" ({reason})" if reason else ""))
