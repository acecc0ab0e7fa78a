"""Helpers of a request's run that need no harness state: deadlines, fuel, WASI log lines,
and redaction of a response."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import wasmtime

from workbench.core.http import Response
from workbench.core.runtime import engine as E  # noqa: N812
from workbench.core.runtime.fastcall import StoreOps
from workbench.core.runtime.hostfns import HostState, add_output
from workbench.core.runtime.secrets import Secrets

if TYPE_CHECKING:
    pass


def deadline_ticks(timeout_ms: float) -> int:
    return max(1, math.ceil(timeout_ms / (E.TICK_S * 1000))) + 1


def fuel_left(ops: StoreOps) -> int:
    try:
        return ops.get_fuel()
    except wasmtime.WasmtimeError:
        return 0


def edge_wasi(st: HostState) -> wasmtime.WasiConfig:
    """Edge modules built for wasm32-wasi: stdout/stderr become log lines, nothing else."""
    cfg = wasmtime.WasiConfig()
    cfg.stdout_custom = lambda b: _lines(st, b, "info", "stdout")
    cfg.stderr_custom = lambda b: _lines(st, b, "error", "stderr")
    return cfg


def _lines(st: HostState, data: bytes, level: str, source: str) -> int:
    add_output(st, data, level, source)
    return len(data)


def redact_response(secrets: Secrets, response: Response | None) -> Response | None:
    """The response with every secret value replaced (headers, body, reason phrase)."""
    if response is None or not secrets:
        return response
    return Response(response.status,
                    tuple((k, secrets.redact(v)) for k, v in response.headers),
                    secrets.redact_bytes(response.body), secrets.redact(response.reason))
