"""One build of one module, ready to serve: its bytes, limits and a pool of harnesses.

A `ServedModule` never changes: live reload makes a new one and swaps it into the route,
so a request keeps the build it started on. A harness runs one request at a time (it has
one lock), so the module keeps up to one harness per worker thread, made on demand from
the same bytes (the compiled-module cache makes the second one cheap). The KV store and
secrets are shared: the workspace's, as `workbench run` uses them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.http import Request
from workbench.core.runtime.harness import MODES, Harness, read_module_file
from workbench.core.runtime.host_config import HostConfig
from workbench.core.runtime.kv import KvStore
from workbench.core.runtime.limits import Chaos, Limits
from workbench.core.runtime.result import RunResult
from workbench.core.runtime.secrets import Secrets
from workbench.services.serve.inline import INLINE_FUEL, InlinePolicy


@dataclass(frozen=True)
class ModuleSource:
    """Where a build is and how to run it (from module.toml, or defaults for a .wasm)."""

    name: str
    wasm_path: Path
    limits: Limits = field(default_factory=Limits)
    chaos: Chaos = field(default_factory=Chaos)
    hooks: Path | None = None
    host: HostConfig = field(default_factory=HostConfig)  # [[outbound]] stubs, [extism]


class ServedModule:
    def __init__(self, source: ModuleSource, *, build: int = 1, mode: str = "warm",
                 kv: KvStore | None = None, secrets: Secrets | None = None,
                 cache_dir: Path | None = None, inline: bool = True):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.source = source
        self.name = source.name
        self.build = build
        self.mode = mode
        self.limits = source.limits
        self.kv = kv if kv is not None else KvStore(None)
        self.secrets = secrets if secrets is not None else Secrets()
        self._cache_dir = cache_dir
        from workbench.services.trust import enforce_signature

        # [trust] require_signed: an unsigned or tampered build is not served (typed
        # SignatureRejected: the route keeps its last good build, the log says why)
        enforce_signature(source.wasm_path)
        self.wasm = read_module_file(source.wasm_path)  # pinned: a rebuild cannot change it
        self._idle: list[Harness] = []
        self._lock = threading.Lock()
        first = self._new()
        self.abi = first.check().name  # typed AbiMismatch / MalformedModule up front
        # what the harness really runs (a ComponentizeJS component: fresh where warm is
        # asked, as `wasmtime serve` and Spin do), so the route and the log say so
        self.mode = first.runs_as(mode)
        first.check_instantiates()  # CannotInstantiate: refused now, not 500 per request
        self._idle.append(first)
        # warm edge requests try the event loop first (inline.py); the rest use workers
        self.inline = InlinePolicy(inline and mode == "warm" and self.abi == "edge"
                                   and not source.chaos.latency_ms)

    @property
    def max_request_bytes(self) -> int:
        return self.limits.max_request_bytes

    def _new(self) -> Harness:
        h = Harness(self.wasm, limits=self.limits, chaos=self.source.chaos, kv=self.kv,
                    secrets=self.secrets, cache_dir=self._cache_dir, name=self.name,
                    host=self.source.host)
        h.path = self.source.wasm_path  # error messages name the file
        return h

    def run(self, request: Request) -> RunResult:
        """One request on an idle harness (a new one when all are busy). Thread-safe."""
        with self._lock:
            h = self._idle.pop() if self._idle else None
        if h is None:
            h = self._new()
        try:
            return h.run(request, self.mode)
        finally:
            with self._lock:
                self._idle.append(h)

    def run_inline(self, request: Request) -> RunResult | None:
        """The request answered on the calling (event loop) thread, or None: run it with
        `run` on a worker (see inline.py). Call from the loop thread only."""
        policy = self.inline
        if not policy.should_try():
            return None
        with self._lock:
            h = self._idle.pop() if self._idle else None
        if h is None:
            return None
        try:
            result = h.run_inline(request, INLINE_FUEL)
        finally:
            with self._lock:
                self._idle.append(h)
        if isinstance(result, str):
            if result not in ("busy", "not warm"):
                policy.missed(result)
            return None
        policy.answered()
        return result

    def describe(self) -> str:
        return f"{self.name} (build {self.build}, {self.abi}, {self.mode})"
