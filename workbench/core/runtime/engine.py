"""One process-wide wasmtime Engine, its epoch ticker, and the on-disk compiled-module cache.

Why one engine: compiled modules are tied to the engine (and its config) that built them,
and the epoch counter is per engine, so a single ticker thread serves every harness.

The ticker only ticks while calls may be in flight (until the latest deadline announced
by `touch`, plus a short grace period), so an idle workbench does not wake up 1000 times
a second on a shared machine, and a long call still reaches its deadline.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import wasmtime

if TYPE_CHECKING:
    from workbench.core.runtime.watchdog import InlineWatchdog

TICK_S = 0.001  # one epoch tick = 1 ms: the timeout resolution
_IDLE_AFTER_S = 0.25

_engine: wasmtime.Engine | None = None
_ticker: EpochTicker | None = None
_watchdog: InlineWatchdog | None = None
_lock = threading.Lock()


def wasmtime_version() -> str:
    try:
        from importlib.metadata import version

        return version("wasmtime")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return "unknown"


def engine() -> wasmtime.Engine:
    """The shared engine: fuel metering and epoch interruption on."""
    global _engine
    with _lock:
        if _engine is None:
            cfg = wasmtime.Config()
            cfg.consume_fuel = True
            cfg.epoch_interruption = True
            cfg.cranelift_opt_level = "speed"
            _engine = wasmtime.Engine(cfg)
        return _engine


class EpochTicker:
    """Daemon thread that increments the engine epoch every TICK_S while `busy`."""

    def __init__(self, eng: wasmtime.Engine):
        self._engine = eng
        self._wake = threading.Event()
        self.busy_until = time.monotonic()  # tick at least until then (+ the grace period)
        self.sync_at = 0.0  # time of the latest touch (see _loop)
        self.awake = False
        self._thread = threading.Thread(target=self._loop, name="workbench-epoch", daemon=True)
        self._thread.start()

    def touch(self, span_s: float = 0.0) -> None:
        """Called before each guest call with its timeout: keep ticking at least until the
        call's deadline has passed. Cheap unless the ticker is asleep."""
        now = time.monotonic()
        self.sync_at = now  # a deadline was just set: no catch-up for earlier time
        until = now + span_s
        if until > self.busy_until:
            self.busy_until = until
        if not self.awake:
            self.awake = True
            self._wake.set()

    def sync(self) -> None:
        """Count ticks from now on only (a deadline was just set without `touch`)."""
        self.sync_at = time.monotonic()

    def _loop(self) -> None:
        from workbench.core.runtime.fastcall import epoch_incrementer

        increment = epoch_incrementer(self._engine)  # keeps the GIL (one take per tick)
        while True:
            self._wake.wait()
            self._wake.clear()
            self.awake = True
            # Ticks follow the wall clock (sleep overshoots ~10%: catch up, do not drift),
            # but ticks still owed for the time before the latest `touch` (the ticker not
            # scheduled on a loaded machine) are dropped: replayed in a burst they would
            # count time from before a call's deadline was set and end the call early.
            next_tick = time.monotonic()
            while (now := time.monotonic()) - self.busy_until < _IDLE_AFTER_S:
                if next_tick < self.sync_at:
                    next_tick = self.sync_at
                while next_tick <= now:
                    increment()
                    next_tick += TICK_S
                time.sleep(max(0.0, next_tick - time.monotonic()))
            self.awake = False
            # A touch() racing with the line above re-sets the event; no tick is lost.
            if time.monotonic() - self.busy_until < _IDLE_AFTER_S:
                self._wake.set()


def ticker() -> EpochTicker:
    global _ticker
    eng = engine()
    with _lock:
        if _ticker is None:
            _ticker = EpochTicker(eng)
        return _ticker


def inline_watchdog() -> InlineWatchdog:
    """The wall-clock stop for guest calls run on the dev server's loop (watchdog.py);
    started on first use, so only a serving process has the thread."""
    global _watchdog
    from workbench.core.runtime.fastcall import epoch_incrementer
    from workbench.core.runtime.watchdog import InlineWatchdog

    eng, tick = engine(), ticker()  # (each takes _lock: not inside it)
    with _lock:
        if _watchdog is None:
            _watchdog = InlineWatchdog(epoch_incrementer(eng), lambda: tick.awake, tick.sync)
        return _watchdog


def exit_process(code: int) -> NoReturn:
    """End a CLI process that ran wasmtime without Python's interpreter teardown.

    wasmtime-wasi keeps tokio worker threads (they serve WASI stdout/stderr); at a normal
    exit they race the interpreter's and the Rust runtime's teardown and often die with
    "panic in a function that cannot unwind" printed after a complete result, sometimes
    as SIGABRT (exit 134). Output is flushed first; every command has finished its work
    (files closed, compilers reaped) before it returns its exit code."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "workbench" / "modules"


def cache_key(wasm: bytes) -> str:
    """Content hash + wasmtime version: a new wasmtime never loads stale machine code."""
    h = hashlib.sha256(wasm)
    h.update(b"\0wasmtime-" + wasmtime_version().encode())
    return h.hexdigest()[:40]


def load_cached(cache_dir: Path, key: str) -> wasmtime.Module | None:
    """A compiled module from the authenticated cache, or None (see module_cache.py)."""
    from workbench.core.runtime import module_cache

    return module_cache.load(engine(), cache_dir, key)


def store_cached(cache_dir: Path, key: str, module: wasmtime.Module) -> None:
    from workbench.core.runtime import module_cache

    module_cache.store(cache_dir, key, module)
