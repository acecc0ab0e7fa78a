"""What a failed component call becomes: a `RunError` with the kind the edge ABI uses.

Component calls fail with a `WasmtimeError` whose text carries the trap ("all fuel
consumed", "interrupt", "unreachable") and a rendered wasm backtrace; a failing host
function leaves its Python exception in the session (`capi.Session.failure`), which says
more than the text: a named trap for an unavailable import, wasi:cli/exit, a blocking
call past the deadline, or a workbench bug (`host`).
"""

from __future__ import annotations

import re

from workbench.core.runtime.component.state import GuestExit, HostTimeout, Unavailable
from workbench.core.runtime.limits import Limits
from workbench.core.runtime.result import RunError

_FRAME = re.compile(r"^\s*\d+:\s+(0x[0-9a-f]+)\s+-\s+(.*)$")


def classify(exc: Exception, failure: BaseException | None, limits: Limits) -> RunError:
    text = str(exc)
    bt = backtrace(text)
    if isinstance(failure, GuestExit):
        return RunError("exit", f"the component exited with status {failure.code}")
    if isinstance(failure, Unavailable):
        return RunError("trap", str(failure), bt)
    if isinstance(failure, HostTimeout) or "wasm trap: interrupt" in text:
        during = f" ({failure})" if isinstance(failure, HostTimeout) else ""
        return RunError("timeout", f"handler ran longer than {limits.timeout_ms} ms "
                                   f"(limits.timeout_ms) and was interrupted{during}", bt)
    if "all fuel consumed" in text:
        return RunError("fuel", f"fuel exhausted: the handler used more than "
                                f"{limits.fuel:,} units (limits.fuel)", bt)
    if failure is not None:
        return RunError("host", f"host function failed: {type(failure).__name__}: "
                                f"{failure}", bt)
    return RunError("trap", cause(text), bt)


def cause(text: str) -> str:
    """The innermost cause of a wasmtime error text, without the rendered backtrace."""
    if "Caused by:" in text:
        text = text.rsplit("Caused by:", 1)[1]
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    lines = [re.sub(r"^\d+:\s*", "", ln) for ln in lines if not _FRAME.match(ln)]
    return lines[-1] if lines else "unknown failure"


def backtrace(text: str) -> tuple[str, ...]:
    """`name @ 0xoffset` frames from wasmtime's rendered backtrace."""
    out = []
    for line in text.split("Caused by:", 1)[0].splitlines():
        m = _FRAME.match(line)
        if m:
            name = m.group(2).strip().split("!")[-1] or "<unknown>"
            out.append(f"{name} @ {m.group(1)}")
    return tuple(out)
