"""Which resource table a host call uses: one `Session` per store, set per thread.

Host functions and resource destructors get no user data from wasmtime-py's C callbacks,
so the store's session is a thread-local set around every guest call (instantiation
included); the TUI runs harnesses in worker threads, each with its own.
"""

from __future__ import annotations

import threading
from typing import Any


class Session:
    """The resource table of one store: rep -> host object. Set per thread (`set_session`)."""

    def __init__(self) -> None:
        self.objects: dict[int, Any] = {}
        self.next_rep = 1
        self.failure: BaseException | None = None  # why the last host call failed
        self.host_ns = 0  # time spent inside host functions (summed by the callback)

    def add(self, obj: Any) -> int:
        rep = self.next_rep
        self.next_rep = rep + 1 if rep < 0xFFFFFFF0 else 1
        self.objects[rep] = obj
        return rep


_local = threading.local()


def set_session(s: Session | None) -> None:
    _local.session = s


def current() -> Session | None:
    """The session of this thread's running guest call, if any (for C callbacks)."""
    s: Session | None = getattr(_local, "session", None)
    return s


def session() -> Session:
    s: Session | None = getattr(_local, "session", None)
    if s is None:
        raise RuntimeError("no component session on this thread")
    return s
