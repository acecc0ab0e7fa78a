"""How every command reports a failure: one paragraph on stderr (where, what, what to do)
and the exit status from `workbench.core.errors.exit_status` (README "Exit status": 1 a
module failed, 2 a usage or configuration mistake).

Errors raised out of a command reach `report` through `workbench.cli.main`; commands that
go on after a failed file (inspect, check) report each with `report_json_error` and exit
with the worst status. Stdout is left alone: with `--json` it stays valid JSON.
"""

from __future__ import annotations

import sys
from typing import Any

from workbench.core.errors import WorkbenchError, exit_status
from workbench.core.text import printable

# What to do, for errors raised without a hint of their own (by kind).
DEFAULT_HINTS = {
    "malformed": "this file is not a complete WebAssembly module: rebuild it, or pass the "
                 "build output's path (`workbench inspect FILE` shows where it breaks)",
    "abi": "see docs/handler-abi.md for the handler ABIs workbench runs",
    "file": "check the path and the file's permissions",
    "io": "check the path and the file's permissions",
}


def text_of(err: WorkbenchError) -> str:
    """`str(err)`, with the kind's default hint when the error carries none."""
    text = str(err)
    if not err.hint and err.kind in DEFAULT_HINTS:
        text += f"\n  hint: {DEFAULT_HINTS[err.kind]}"
    return text


def report(err: WorkbenchError) -> int:
    """Print `err` on stderr; its exit status."""
    _write(text_of(err))
    return err.exit_status


def report_json_error(file: str, error: dict[str, Any]) -> int:
    """An error a report carries as JSON (`{"kind", "message", "offset"?, "hint"?}`) for
    `file`, printed on stderr like `report`; its exit status."""
    kind = error.get("kind")
    message = str(error.get("message", ""))
    offset = error.get("offset")
    where = file + (f" @ 0x{offset:x}" if isinstance(offset, int) else "")
    text = message if file in message else f"{where}: {message}"
    hint = error.get("hint") or DEFAULT_HINTS.get(str(kind))
    if hint:
        text += f"\n  hint: {hint}"
    _write(text)
    return exit_status(kind if isinstance(kind, str) else None)


def _write(text: str) -> None:
    try:
        print(f"workbench: {printable(text)}", file=sys.stderr, flush=True)
    except (BrokenPipeError, ValueError):
        pass
