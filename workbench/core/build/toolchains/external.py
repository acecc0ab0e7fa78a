"""The custom-command toolchain (Rust: `rust.py`; AssemblyScript: `assemblyscript.py`).

The command is the user's own: it runs through `sh -c` in the module folder and writes
the module to `$WORKBENCH_OUTPUT` (or `output` itself; the builder rolls back on failure).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.build.diagnostics import parse_any
from workbench.core.build.toolchains import Plan

if TYPE_CHECKING:
    from workbench.core.build.spec import BuildSpec


def plan_command(cfg: BuildSpec, partial: Path) -> Plan:
    assert cfg.command is not None  # config validation guarantees it
    shell = shutil.which("sh") or "/bin/sh"
    # The command writes a private file that replaces `output` only when it is a valid
    # module; a command that writes `output` itself is backed up and rolled back on failure.
    env = {"WORKBENCH_OUTPUT": str(partial), "WORKBENCH_PROFILE": cfg.profile,
           "WORKBENCH_TARGET": cfg.target, "WORKBENCH_MODULE": cfg.name,
           "WORKBENCH_MODULE_DIR": str(cfg.root)}
    return Plan("command", cfg.root, partial, parse_any, argv=(shell, "-c", cfg.command),
                env=env)
