"""A workspace's `optional_modules`: module folders opened only when their toolchain is.

`optional_modules = ["hello-rust"]` in workbench.toml lists a module when the compiler it
needs is installed (a rustc with the wasm32 std, node + the folder's asc, ...) and so
are the tools its module.toml `requires` (componentize-py for the `command` build of
hello-wasi-http-py: `workbench.core.build.requires`); otherwise it is left out, with the
reason and the install hint (`Workspace.left_out`), so a workspace that others open
with pip alone still builds cleanly. The check is what a build would check first
(`workbench.core.build.toolchains.check_available`).
"""

from __future__ import annotations

from pathlib import Path

from workbench.config.check import Checker
from workbench.config.folders import load_module
from workbench.config.module import LeftOut, ModuleConfig, is_module_folder
from workbench.core.build.toolchains import check_available
from workbench.core.errors import ToolchainMissing
from workbench.core.runtime.limits import Chaos

KEY = "optional_modules"


def load_optional(ck: Checker, entries: tuple[str, ...], root: Path,
                  chaos: Chaos) -> tuple[list[ModuleConfig], list[LeftOut]]:
    """The entries' modules whose toolchain is installed, and the ones left out."""
    listed: list[ModuleConfig] = []
    left_out: list[LeftOut] = []
    for entry in entries:
        folder = root / entry
        if not folder.is_dir():
            raise ck.error(KEY, f"module folder {entry!r} does not exist",
                           hint=f"paths are relative to {root}")
        if not is_module_folder(folder):
            raise ck.error(KEY, f"{entry!r} is not a module folder",
                           hint="it needs a module.toml or one obvious source")
        cfg = load_module(folder, base_chaos=chaos)
        try:
            check_available(cfg)
        except ToolchainMissing as exc:
            left_out.append(LeftOut(cfg.name, cfg.root, exc.message, exc.hint))
            continue
        listed.append(cfg)
    return listed, left_out
