"""The `extism` host SDK, loaded on demand, and the two things its public API lacks.

PRIVATE API, QUARANTINED. Written against extism 1.1.1 / extism-sys 1.41.0. The Python
SDK's `CompiledPlugin` takes no fuel limit, so `compile_plugin` calls the C function
`extism_compiled_plugin_new_with_fuel_limit` through `extism.extism._lib`/`_ffi` (the
SDK's own cffi handles). Plugin log lines (the PDK's `log_info` & co.) go to one
process-wide logger (`extism_log_custom`); `LogTap` drains it after every call and files
each line under the plugin id it names, so concurrent harnesses keep their own lines.
tests/core/runtime/test_extism.py fails first when an upgrade changes these names.
"""

from __future__ import annotations

import json
import re
import threading
from base64 import b64encode
from types import ModuleType
from typing import Any

from workbench.core.errors import WorkbenchError

INSTALL_HINT = "pip install 'workbench[extism]'"


class ExtismMissing(WorkbenchError):
    """The extra is not installed: an Extism plugin cannot run in this environment."""

    kind = "unavailable"


def load() -> ModuleType:
    """The `extism` module, or ExtismMissing naming the extra to install."""
    try:
        import extism
    except ImportError as e:
        raise ExtismMissing(
            f"this is an Extism plugin and the Extism host SDK is not installed ({e.msg})",
            hint=f"install the optional extra: {INSTALL_HINT}") from None
    return extism


def versions() -> dict[str, str]:
    """{"extism": SDK version, "runtime": libextism version} (for reports and tests)."""
    from importlib.metadata import version

    return {"extism": version("extism"), "runtime": load().extism_version()}


def manifest(wasm: bytes, *, timeout_ms: int, memory_bytes: int) -> bytes:
    """An Extism manifest: the module, its timeout and memory cap, no HTTP hosts, no paths."""
    return json.dumps({
        "wasm": [{"data": b64encode(wasm).decode()}],
        "timeout_ms": int(timeout_ms),
        "memory": {"max_pages": max(1, memory_bytes // 65536)},
        "allowed_hosts": [],
        "allowed_paths": {},
    }).encode()


def compile_plugin(ext: ModuleType, data: bytes, fuel: int) -> Any:
    """A `CompiledPlugin` with a per-call fuel limit (private C API, see module doc)."""
    x = ext.extism
    err = x._ffi.new("char**")
    ptr = x._lib.extism_compiled_plugin_new_with_fuel_limit(
        data, len(data), x._ffi.NULL, 0, True, int(fuel), err)
    if ptr == x._ffi.NULL:
        msg = x._ffi.string(err[0]).decode("utf-8", "replace")
        x._lib.extism_plugin_new_error_free(err[0])
        raise ext.Error(msg)
    compiled = x.CompiledPlugin.__new__(x.CompiledPlugin)
    compiled.pointer, compiled.functions = ptr, []
    return compiled


_LINE = re.compile(r"^\S+\s+(TRACE|DEBUG|INFO|WARN|ERROR)\s+extism::pdk: (.*?)"
                   r"(?: plugin=\"([0-9a-f-]+)\")?\s*$", re.S)
_LEVELS = {"TRACE": "debug", "DEBUG": "debug", "INFO": "info", "WARN": "warn",
           "ERROR": "error"}


class LogTap:
    """The process-wide Extism log, split by plugin id."""

    _instance: LogTap | None = None
    _guard = threading.Lock()

    def __init__(self, ext: ModuleType):
        self._lock = threading.Lock()
        self._lines: dict[str, list[tuple[str, str]]] = {}
        self._logger = ext.set_log_custom(self._take, "debug")

    @classmethod
    def get(cls, ext: ModuleType) -> LogTap:
        with cls._guard:
            if cls._instance is None:
                cls._instance = LogTap(ext)
            return cls._instance

    def _take(self, line: str) -> None:
        m = _LINE.match(line)
        if m is None:
            return  # the runtime's own debug lines (plugin created, input size, ...)
        level, text, plugin = m.groups()
        self._lines.setdefault(plugin or "", []).append((_LEVELS[level], text))

    def drain(self, plugin_id: str) -> list[tuple[str, str]]:
        """(level, text) lines the plugin logged since the last drain."""
        with self._lock:
            self._logger.drain()
            return self._lines.pop(plugin_id, [])
