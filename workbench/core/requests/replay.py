"""Replay saved requests against a module and check every assertion.

`replay(entries, harness, ...)` runs each entry through the runtime harness (hooks first,
when given), evaluates all of its assertions — none is skipped after a failure — and
compares the response with the one kept from the previous replay. A failed assertion or a
failed run (trap, timeout, bad response...) fails the entry. The report is a frozen value
for the CLI (`workbench replay`), the TUI, JSON and JUnit XML (`replay_junit.py`).
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from workbench.core.http import Request, Response
from workbench.core.requests.asserts import AssertionResult
from workbench.core.requests.chain import Chain
from workbench.core.requests.model import SavedRequest
from workbench.core.requests.store import LastResponses, ResponseDiff, diff_records, response_record

DEFAULT_STORE = Path(".workbench") / "last_responses.json"


class RunLike(Protocol):
    response: Response | None
    timing: dict[str, float]
    fuel: int
    error: Any  # RunError | None: .kind, .message
    hook: dict[str, Any] | None


class HarnessLike(Protocol):
    def run(self, request: Request, mode: str = ..., hooks: Any = ...) -> Any: ...


@dataclass(frozen=True, slots=True)
class EntryResult:
    entry: SavedRequest
    results: tuple[AssertionResult, ...]
    status: int | None
    duration_ms: float
    fuel: int | None
    error: dict[str, Any] | None  # {kind, message} when the run itself failed
    hook_rule: str | None  # the hook rule that answered, if any
    diff: ResponseDiff | None  # None on the first replay or when nothing changed
    run: dict[str, Any] | None = None  # the run's to_json(), for --json consumers
    request: Request | None = None  # as sent (placeholders rendered); None: entry.request
    captured: dict[str, Any] | None = None  # [Captures] values (redacted ones hidden)
    skipped: bool = False  # [Options] skip: true
    attempts: int = 1  # tries, with [Options] retry
    redirects: tuple[dict[str, Any], ...] = ()  # followed with [Options] location: true
    chain: Chain | None = None  # for redaction of captured secrets

    @property
    def passed(self) -> bool:
        return self.error is None and all(r.passed for r in self.results)

    @property
    def sent(self) -> Request:
        return self.request if self.request is not None else self.entry.request

    def redacted(self, text: str) -> str:
        """`text` with captured `redact` values hidden, for plain-text reports."""
        return self.chain.redact(text) if self.chain is not None else text

    @property
    def failures(self) -> tuple[AssertionResult, ...]:
        return tuple(r for r in self.results if not r.passed)

    def to_json(self) -> dict[str, Any]:
        out = {"name": self.entry.name, "where": self.entry.where, "passed": self.passed,
               "status": self.status, "duration_ms": round(self.duration_ms, 3),
               "fuel": self.fuel, "error": self.error, "hook_rule": self.hook_rule,
               "timing": (self.run or {}).get("timing"),
               "assertions": [r.to_json() for r in self.results],
               "diff": self.diff.to_json() if self.diff else None,
               "request": self.sent.to_json(), "skipped": self.skipped,
               "attempts": self.attempts, "redirects": list(self.redirects),
               "captured": {k: _jsonable(v) for k, v in (self.captured or {}).items()}}
        return self.chain.redact(out) if self.chain is not None else out


@dataclass(frozen=True, slots=True)
class ReplayReport:
    module: str
    entries: tuple[EntryResult, ...]
    elapsed_ms: float
    cancelled: bool = False
    warning: str | None = None  # e.g. the last responses could not be saved

    @property
    def passed(self) -> bool:
        return not self.cancelled and all(e.passed for e in self.entries)

    @property
    def counts(self) -> dict[str, int]:
        assertions = [r for e in self.entries for r in e.results]
        return {"entries": len(self.entries),
                "entries_failed": sum(not e.passed for e in self.entries),
                "assertions": len(assertions),
                "assertions_failed": sum(not r.passed for r in assertions),
                "run_errors": sum(e.error is not None for e in self.entries),
                "changed": sum(e.diff is not None for e in self.entries)}

    def to_json(self) -> dict[str, Any]:
        return {"module": self.module, "passed": self.passed, "cancelled": self.cancelled,
                "warning": self.warning, **self.counts, "elapsed_ms": round(self.elapsed_ms, 3),
                "entries": [e.to_json() for e in self.entries]}


def _key(entry: SavedRequest, store: Path | None) -> str:
    """Entry identity in the store: its file relative to the store's module folder."""
    file = entry.file
    if not file.startswith("<"):  # "<curl>" and other in-memory sources stay as they are
        base = store.parent.parent if store is not None else Path.cwd()
        file = _relative(file, base)
    return f"{file}#{entry.name}"


@functools.lru_cache(maxsize=256)
def _relative(file: str, base: Path) -> str:
    """Resolved once per file (two resolves per entry were a quarter of a replay of a
    file with thousands of entries)."""
    try:
        return os.path.relpath(Path(file).resolve(), base.resolve())
    except ValueError:  # another drive on Windows
        return file


def _jsonable(v: Any) -> Any:
    if isinstance(v, bytes):
        return "hex," + v.hex() + ";"
    if isinstance(v, str | int | float | bool | list | dict) or v is None:
        return v
    return str(v)


def run_entry(entry: SavedRequest, harness: HarnessLike, *, hooks: Any = None,
              mode: str = "fresh", last: dict[str, Any] | None = None,
              chain: Chain | None = None, cancel: threading.Event | None = None
              ) -> list[tuple[EntryResult, dict[str, Any]]]:
    """One entry (each repetition of it): run, capture, assert, diff against `last`.
    Also returns the record to store. `chain` carries captures between entries."""
    chain = chain if chain is not None else Chain()
    attempts = chain.run(entry, lambda req: harness.run(req, mode=mode, hooks=hooks), cancel)
    if attempts is None:
        skipped = EntryResult(entry, (), None, 0.0, None, None, None, None, skipped=True,
                              attempts=0, chain=chain)
        return [(skipped, {})]
    out: list[tuple[EntryResult, dict[str, Any]]] = []
    for at in attempts:
        run: RunLike | None = at.run
        err = run.error if run is not None else None
        error = at.error
        response = run.response if run is not None else None
        hook_rule = (run.hook or {}).get("rule") if run is not None and run.hook else None
        fuel = None if (hook_rule or run is None) else run.fuel
        record = response_record(response, f"{error['kind']}: {error['message']}"
                                 if error else None)
        if err is not None and error is None:
            error = {"kind": err.kind, "message": err.message}
        diff = None
        if last is not None and run is not None:
            d = diff_records(last, record)
            diff = d if d.changed else None
        to_json = getattr(run, "to_json", None)
        hidden = {k: ("[redacted]" if v is not None and str(v) in chain.secrets else v)
                  for k, v in at.captured.items()}
        result = EntryResult(entry, at.results, response.status if response else None,
                             at.duration_ms, fuel, error, hook_rule, diff,
                             to_json() if callable(to_json) else None, at.request, hidden,
                             False, at.tries, at.redirects, chain)
        out.append((result, record))
    return out


def replay(entries: Sequence[SavedRequest], harness: HarnessLike, *, hooks: Any = None,
           mode: str = "fresh", store: Path | None = None, module: str = "module",
           progress: Callable[[int, int, EntryResult], None] | None = None,
           cancel: threading.Event | None = None, save: bool = True) -> ReplayReport:
    """Replay every entry in order. `store` is the last-responses JSON (None: no diffs)."""
    t0 = time.perf_counter()
    last = LastResponses(store)
    out: list[EntryResult] = []
    cancelled = False
    chain = Chain()
    for i, entry in enumerate(entries):
        if cancel is not None and cancel.is_set():
            cancelled = True
            break
        key = _key(entry, store)
        for result, record in run_entry(entry, harness, hooks=hooks, mode=mode,
                                        last=last.get(key), chain=chain, cancel=cancel):
            if record:
                last.put(key, record)
            out.append(result)
            if progress is not None:
                progress(i + 1, len(entries), result)
    warning = None
    if save and store is not None and out:
        try:
            last.save()
        except OSError as e:  # the replay itself is still valid: report, do not fail
            warning = (f"could not save the last responses to {store}: "
                       f"{e.strerror or e} (the next replay cannot show what changed)")
    return ReplayReport(module, tuple(out), (time.perf_counter() - t0) * 1000, cancelled,
                        warning)
