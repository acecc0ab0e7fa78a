"""Rebuild on save: watch module folders, rebuild only the module whose sources changed.

`Watcher(modules, on_event=...).run(stop_event)` blocks until `stop_event` is set, so the
TUI runs it in a thread worker and `workbench watch` in the main thread. Three parts:

- a watchfiles thread turns file events into relevant changes (`classify`): sources by
  the module's globs, never build outputs, editor swap/backup files or metadata-only
  events (a content hash per file decides: a `touch` or `chmod` changes nothing);
- the pure `BuildQueue` decides when a module is due (debounce, one build at a time,
  newest change wins: a change during a build cancels it and queues the next);
- build threads run `build_module`, inspect the result, call `after_build` (replay
  hooks in here) and emit events (`workbench.core.build.events`).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.build.builder import BuildResult, build_module
from workbench.core.build.diagnostics import Diagnostic
from workbench.core.build.events import (
    AfterBuild,
    BuildCancelled,
    BuildFailed,
    BuildFinished,
    BuildStarted,
    FilesChanged,
    WatchEvent,
    WatchStarted,
)
from workbench.core.build.queue import BuildQueue
from workbench.core.build.sources import is_ignored, matches, relative_to, source_files
from workbench.core.errors import ConfigError, WorkbenchError

if TYPE_CHECKING:
    from workbench.core.build.spec import BuildSpec

# The hook receives the module config the watcher was given (a ModuleConfig in practice).
AfterBuildHook = Callable[[Any, BuildResult], "AfterBuild | Iterable[AfterBuild] | None"]
InspectHook = Callable[["BuildSpec", BuildResult], "dict[str, Any] | None"]
DEFAULT_DEBOUNCE_MS = 50
WATCH_STEP_MS = 10  # watchfiles groups events this close together before handing them over


def default_inspect(cfg: BuildSpec, result: BuildResult) -> dict[str, Any] | None:
    """Parse the new module and detect its ABI: "finished" means rebuilt and inspected."""
    from workbench.core.abi.detect import detect_abi
    from workbench.core.wasm import parse_module

    assert result.wasm_path is not None
    module = parse_module(result.wasm_path.read_bytes(), file=str(result.wasm_path))
    abi = detect_abi(module)
    return {"abi": abi.name, "abi_problems": list(abi.problems),
            "sections": len(getattr(module, "sections", ()) or ())}


def _digest(path: Path) -> bytes | None:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return None  # deleted (or unreadable): a change if it used to exist


class Watcher:
    """Watches modules and rebuilds them on save; see the module docstring."""

    def __init__(self, modules: Sequence[BuildSpec], *,
                 on_event: Callable[[WatchEvent], None],
                 debounce_ms: int = DEFAULT_DEBOUNCE_MS,
                 after_build: AfterBuildHook | None = None,
                 inspect: InspectHook | None = default_inspect,
                 initial_build: bool = False,
                 build: Callable[..., BuildResult] = build_module,
                 reload: Callable[[BuildSpec], BuildSpec] | None = None,
                 force_polling: bool | None = None):
        self.modules: dict[Path, BuildSpec] = {_key(m): m for m in modules}
        self._roots = {k: m.root.resolve() for k, m in self.modules.items()}  # for owner()
        self.debounce_ms = debounce_ms
        self.queue = BuildQueue(debounce_ms / 1000)
        self._on_event, self._after_build, self._inspect = on_event, after_build, inspect
        self._initial_build, self._build, self._force_polling = initial_build, build, force_polling
        self._reload_spec = reload  # re-reads a module's config after module.toml changes
        self._lock = threading.Condition()
        self._emit_lock = threading.Lock()
        self._cancels: dict[str, threading.Event] = {}
        self._threads: list[threading.Thread] = []
        self._hashes: dict[Path, bytes | None] = {}
        self._last_good: dict[str, BuildResult] = {}  # per module, for re-running replays
        self._after_lock = threading.Lock()  # one after_build run at a time
        # Compilers in parallel at most one per core: a workspace's start-up build must
        # not fork a dozen clangs on a laptop.
        self._slots = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))
        for cfg in modules:
            self._remember(cfg)

    # ---- classification (no threads; tests call it directly) ------------------------
    def _remember(self, cfg: BuildSpec) -> None:
        for path in source_files(cfg.root, cfg.sources):
            self._hashes[path.resolve()] = _digest(path)
        extras = [cfg.config_file, cfg.hooks]
        if cfg.toolchain == "prebuilt":  # its one source, wherever it is (even target/)
            extras.append(cfg.output)
        if cfg.requests is not None:
            extras += [cfg.requests] if cfg.requests.is_file() else \
                [p for p in cfg.requests.rglob("*") if p.suffix in (".hurl", ".http")]
        for extra in extras:
            if extra is not None and extra.is_file():
                self._hashes[extra.resolve()] = _digest(extra)

    def owner(self, path: Path) -> BuildSpec | None:
        """The module a changed file belongs to: a prebuilt module's own file, else the
        module with the deepest folder holding it (a .wasm opened as a file owns nothing
        else of its folder)."""
        best: BuildSpec | None = None
        depth = -1
        for key, cfg in self.modules.items():
            if cfg.toolchain == "prebuilt":
                if path == key:
                    return cfg
                if cfg.config_file is None:
                    continue
            root = self._roots[key]
            if len(root.parts) > depth and path.is_relative_to(root):
                best, depth = cfg, len(root.parts)
        return best

    def classify(self, path: Path) -> tuple[BuildSpec, str, str] | None:
        """(module, what, relative path) for a change that matters, else None.

        `what` is "source", "config", "hooks" or "requests". Content that did not change
        (metadata-only events, a save of identical bytes) returns None.
        """
        path = path.resolve()
        cfg = self.owner(path)
        if cfg is None:
            return None
        rel = relative_to(path, cfg.root.resolve())
        # a prebuilt module's output is its source (another tool writes it, even under
        # target/); any other output is the build's own write
        prebuilt = cfg.toolchain == "prebuilt" and path == cfg.output
        if rel is None or (not prebuilt and (is_ignored(rel) or path == cfg.output)):
            return None
        if path.is_dir():  # a folder appearing (build/, .workbench/) is no edit: the
            return None  # files saved in it come as their own events
        if prebuilt:
            what = "source"
        elif rel == "module.toml" or (cfg.config_file is not None
                                      and path == cfg.config_file.resolve()):
            what = "config"  # module.toml, or a Spin app's spin.toml (config/spin.py)
        elif cfg.hooks is not None and path == cfg.hooks.resolve():
            what = "hooks"
        elif cfg.requests is not None and path.is_relative_to(cfg.requests.resolve()) \
                and path.suffix in (".hurl", ".http"):
            what = "requests"
        elif matches(rel, cfg.sources):
            what = "source"
        else:
            return None
        new = _digest(path)
        if new == self._hashes.get(path, b"absent"):
            return None  # metadata-only event, or the same bytes saved again
        self._hashes[path] = new
        return cfg, what, rel

    # ---- events in --------------------------------------------------------------------
    def notice(self, path: Path, now: float | None = None) -> None:
        """Feed one file event (the watchfiles thread calls this; tests may too)."""
        found = self.classify(path)
        if found is None:
            return
        cfg, what, rel = found
        now = time.monotonic() if now is None else now
        if what == "source":
            with self._lock:
                if self.queue.change(cfg.name, rel, now):
                    cancel = self._cancels.get(cfg.name)
                    if cancel is not None:
                        cancel.set()
                self._lock.notify_all()
        elif what == "config":
            self._reload(cfg, rel, now)
        else:
            self._emit(FilesChanged(cfg.name, what, (rel,)))
            self._rerun_after_build(cfg)

    def _rerun_after_build(self, cfg: BuildSpec) -> None:
        """Hooks or saved requests changed: replay them against the module in service."""
        last = self._last_good.get(cfg.name)
        if self._after_build is None or last is None:
            return

        def rerun() -> None:
            for event in self._run_after_build(cfg, last):
                self._emit(event)

        thread = threading.Thread(target=rerun, name=f"workbench-rerun-{cfg.name}", daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def _reload(self, cfg: BuildSpec, rel: str, now: float) -> None:
        if self._reload_spec is None:
            return
        try:
            new = self._reload_spec(cfg)
        except WorkbenchError as err:
            self._emit(FilesChanged(cfg.name, "config", (rel,), error=err.to_json()))
            return
        with self._lock:
            if new.name != cfg.name:
                self.queue.forget(cfg.name)
            self.modules.pop(_key(cfg), None)
            self._roots.pop(_key(cfg), None)
            self.modules[_key(new)] = new
            self._roots[_key(new)] = new.root.resolve()
            self._remember(new)
            self.queue.request(new.name, now, "module.toml")
            self._lock.notify_all()
        self._emit(FilesChanged(new.name, "config", (rel,)))

    # ---- the loop ----------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        """Watch and rebuild until `stop` is set. Safe to call from a worker thread."""
        import watchfiles

        roots = tuple(sorted({str(r) for r in self._roots.values()}))
        self._emit(WatchStarted(tuple(m.name for m in self.modules.values()), roots,
                                self.debounce_ms))
        if self._initial_build:
            with self._lock:
                for cfg in self.modules.values():
                    self.queue.request(cfg.name, time.monotonic(), "start")

        def feed() -> None:
            for changes in watchfiles.watch(
                    *roots, watch_filter=None, debounce=max(WATCH_STEP_MS, 50),
                    step=WATCH_STEP_MS, stop_event=stop, rust_timeout=200,
                    yield_on_timeout=True, raise_interrupt=False,
                    force_polling=self._force_polling, poll_delay_ms=50,
                    ignore_permission_denied=True):
                now = time.monotonic()
                for _change, raw in changes:
                    self.notice(Path(raw), now)
                if stop.is_set():
                    break

        watcher_thread = threading.Thread(target=feed, name="workbench-watchfiles", daemon=True)
        watcher_thread.start()
        try:
            self._schedule(stop)
        finally:
            stop.set()
            with self._lock:
                for cancel in self._cancels.values():
                    cancel.set()
            for t in list(self._threads):
                t.join()
            watcher_thread.join(timeout=5)

    def _schedule(self, stop: threading.Event) -> None:
        while not stop.is_set():
            with self._lock:
                now = time.monotonic()
                for due in self.queue.due(now):
                    self._start(due.module, due.changed, due.first_change)
                deadline = self.queue.next_deadline()
                wait = 0.1 if deadline is None else max(0.0, min(0.1, deadline - now))
                self._lock.wait(wait)

    def _start(self, name: str, changed: tuple[str, ...], since: float) -> None:
        cfg = next((c for c in self.modules.values() if c.name == name), None)
        if cfg is None:  # renamed in module.toml since the change was queued
            self.queue.forget(name)
            return
        cancel = threading.Event()
        self._cancels[name] = cancel
        self._threads = [t for t in self._threads if t.is_alive()]
        thread = threading.Thread(target=self._build_one, args=(cfg, changed, since, cancel),
                                  name=f"workbench-build-{name}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _build_one(self, cfg: BuildSpec, changed: tuple[str, ...], since: float,
                   cancel: threading.Event) -> None:
        try:
            with self._slots:
                self._emit(BuildStarted(cfg.name, changed))
                self._build_and_report(cfg, since, cancel)
        finally:
            with self._lock:
                self._cancels.pop(cfg.name, None)
                self.queue.finished(cfg.name)
                self._lock.notify_all()

    def _build_and_report(self, cfg: BuildSpec, since: float,
                          cancel: threading.Event) -> None:
        try:
            result = self._build(cfg, cancel=cancel)
        except WorkbenchError as err:  # missing toolchain, unusable sources
            if isinstance(err, ConfigError):  # a file and a line, not a "where" text
                diag = Diagnostic(err.file, err.line, None, "error", err.message)
            else:
                diag = Diagnostic(err.where, None, None, "error", err.message)
            self._emit(BuildFailed(cfg.name, (diag,), _ms_since(since), error=err.to_json()))
            return
        if result.cancelled:
            self._emit(BuildCancelled(cfg.name))
            return
        if not result.ok:
            self._emit(BuildFailed(cfg.name, result.diagnostics, _ms_since(since), result))
            return
        info = self._safe_inspect(cfg, result)
        self._last_good[cfg.name] = result
        self._emit(BuildFinished(cfg.name, result, _ms_since(since), info))
        if self._after_build is not None:
            for event in self._run_after_build(cfg, result):
                self._emit(event)

    def _safe_inspect(self, cfg: BuildSpec, result: BuildResult) -> dict[str, Any] | None:
        if self._inspect is None:
            return None
        try:
            return self._inspect(cfg, result)
        except WorkbenchError as err:
            return {"error": err.to_json()}

    def _run_after_build(self, cfg: BuildSpec, result: BuildResult) -> list[AfterBuild]:
        assert self._after_build is not None
        try:
            with self._after_lock:
                out = self._after_build(cfg, result)
        except WorkbenchError as err:
            return [AfterBuild(cfg.name, "after_build_error", err.to_json())]
        if out is None:
            return []
        return [out] if isinstance(out, AfterBuild) else list(out)

    def _emit(self, event: WatchEvent) -> None:
        with self._emit_lock:
            self._on_event(event)


def _ms_since(t: float) -> float:
    return (time.monotonic() - t) * 1000


def _key(cfg: BuildSpec) -> Path:
    """How the watcher tells modules apart: the folder, or for a prebuilt module its file
    (several .wasm files of one folder can be opened side by side)."""
    return cfg.output.resolve() if cfg.toolchain == "prebuilt" else cfg.root.resolve()
