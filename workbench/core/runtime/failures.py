"""Turn what wasmtime raises into a `RunError` value a handler author can act on.

Kinds: fuel and timeout come from the trap code; a trap while linear memory sits at the
store limit is a `memory` error (the guest's allocator saw memory.grow fail and
aborted); a Python exception from a host function is `host`; anything else is `trap`.
Backtraces name functions from the name section (wasmtime), else from the workbench
reader (names from exports), else `func[N]`.
"""

from __future__ import annotations

from collections.abc import Callable

import wasmtime

from workbench.core.runtime.limits import Limits
from workbench.core.runtime.result import RunError

PAGE = 65536


def classify(exc: Exception, limits: Limits, memory_bytes: int,
             names: Callable[[], dict[int, str]] | None = None) -> RunError:
    """The RunError for an exception raised by a guest call."""
    cause = exc.__cause__
    if cause is not None and not isinstance(cause, wasmtime.WasmtimeError):
        return RunError("host", f"host function failed: {type(cause).__name__}: {cause}")
    if isinstance(exc, wasmtime.Trap):
        code = exc.trap_code
        bt = backtrace(exc, names)
        if code == wasmtime.TrapCode.OUT_OF_FUEL:
            return RunError("fuel", f"fuel exhausted: the handler used more than "
                                    f"{limits.fuel:,} units (limits.fuel)", bt)
        if code == wasmtime.TrapCode.INTERRUPT:
            return RunError("timeout", f"handler ran longer than {limits.timeout_ms} ms "
                                       "(limits.timeout_ms) and was interrupted", bt)
        msg = first_line(exc.message)
        if memory_bytes + PAGE > limits.memory_bytes:
            return RunError("memory", f"linear memory reached the limit of "
                                      f"{limits.memory_bytes:,} bytes (limits.memory_bytes): "
                                      f"memory.grow failed, then: {msg}", bt)
        return RunError("trap", msg, bt)
    if isinstance(exc, wasmtime.ExitTrap):
        return RunError("exit", f"exited with status {exc.code}")
    msg = first_line(str(exc))
    if msg.startswith("host function "):  # fastcall.define_host's last-resort trap
        return RunError("host", msg)
    return RunError("trap", msg)


def deadline_error(limits: Limits, waiting_in: str = "") -> RunError:
    """The call reached its deadline inside a host call (a WASI sleep, chaos latency)."""
    what = waiting_in or "a WASI sleep (poll_oneoff)"
    return RunError("timeout", f"handler ran longer than {limits.timeout_ms} ms "
                               f"(limits.timeout_ms): it was waiting in {what} when the "
                               "deadline passed")


def instantiate_error(exc: Exception, limits: Limits) -> RunError:
    text = str(exc)
    low = text.lower()
    if "memory" in low and ("limit" in low or "resource" in low or "minimum" in low):
        return RunError("memory", f"the module's initial memory does not fit the limit of "
                                  f"{limits.memory_bytes:,} bytes (limits.memory_bytes): "
                                  f"{first_line(text)}")
    if isinstance(exc, wasmtime.Trap):
        return RunError("trap", "start function trapped: " + first_line(exc.message),
                        backtrace(exc, None))
    return RunError("instantiate", first_line(text))


def backtrace(trap: wasmtime.Trap, names: Callable[[], dict[int, str]] | None
              ) -> tuple[str, ...]:
    out = []
    table: dict[int, str] | None = None
    for f in trap.frames:
        name = f.func_name
        if not name:
            if table is None:
                table = names() if names else {}
            name = table.get(f.func_index, f"func[{f.func_index}]")
        out.append(f"{name} @ 0x{f.module_offset:x}")
    return tuple(out)


def first_line(text: str) -> str:
    """The cause without wasmtime's own rendered backtrace (we render ours)."""
    if "Caused by:" in text:
        text = text.split("Caused by:", 1)[1]
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[0] if lines else "unknown failure"


def function_names(wasm: bytes) -> dict[int, str]:
    """Function index -> display name from the workbench reader ({} when it cannot parse)."""
    from workbench.core.wasm.reader import parse_module

    try:
        mod = parse_module(wasm)
    except Exception:  # any reader failure only costs names in the backtrace
        return {}
    return {f.index: f.name for f in mod.functions}
