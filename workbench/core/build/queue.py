"""The pure part of the watcher: when to build which module, given file events and time.

No threads, no clock, no filesystem: every method takes `now` (seconds, any monotonic
origin), so tests drive bursts of saves deterministically. The policy:

- a change starts (or extends) a quiet period of `debounce` seconds per module; the module
  is due when no change arrived for that long;
- one build per module at a time; a change during a build marks the running build
  superseded (the watcher cancels it) and queues the next one, so the newest source
  always wins and a burst of saves costs at most one build after the one already running;
- modules are independent: a save in one never delays another.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class _ModuleState:
    pending: set[str] = field(default_factory=set)  # changed paths not yet built
    first_change: float | None = None  # when the oldest pending change arrived
    last_change: float | None = None
    building: bool = False
    superseded: bool = False  # a change arrived while building


@dataclass(frozen=True, slots=True)
class Due:
    """A build to start now: which module, why, and since when the user has been waiting."""

    module: str
    changed: tuple[str, ...]
    first_change: float


class BuildQueue:
    def __init__(self, debounce_s: float):
        self.debounce_s = max(0.0, debounce_s)
        self._states: dict[str, _ModuleState] = {}

    def _state(self, module: str) -> _ModuleState:
        return self._states.setdefault(module, _ModuleState())

    def change(self, module: str, path: str, now: float) -> bool:
        """Record a relevant change. True when it supersedes a running build (cancel it)."""
        st = self._state(module)
        st.pending.add(path)
        if st.first_change is None:
            st.first_change = now
        st.last_change = now
        if st.building and not st.superseded:
            st.superseded = True
            return True
        return False

    def due(self, now: float) -> list[Due]:
        """Modules whose quiet period is over and that are not building; marks them building."""
        out: list[Due] = []
        for name, st in self._states.items():
            if st.building or not st.pending or st.last_change is None:
                continue
            if now - st.last_change + 1e-9 < self.debounce_s:
                continue
            out.append(Due(name, tuple(sorted(st.pending)), st.first_change or now))
            st.pending = set()
            st.first_change = st.last_change = None
            st.building = True
            st.superseded = False
        return out

    def request(self, module: str, now: float, reason: str = "requested") -> None:
        """Ask for a build without a file change (start-up, module.toml reload)."""
        st = self._state(module)
        st.pending.add(reason)
        st.first_change = st.first_change if st.first_change is not None else now
        st.last_change = now - self.debounce_s  # due at once

    def finished(self, module: str) -> None:
        st = self._state(module)
        st.building = False
        st.superseded = False

    def is_building(self, module: str) -> bool:
        return self._state(module).building

    def next_deadline(self) -> float | None:
        """The earliest time a pending module becomes due (for the watcher's wait)."""
        times = [st.last_change + self.debounce_s for st in self._states.values()
                 if st.pending and not st.building and st.last_change is not None]
        return min(times) if times else None

    def forget(self, module: str) -> None:
        self._states.pop(module, None)
