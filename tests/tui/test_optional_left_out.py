"""The app on a workspace whose optional `command` module needs a tool (module.toml
`requires`): without the tool the module is not in the list and nothing asks for trust
(as hello-rust without rustc); with it, the module is listed and the trust prompt asks
before its build.sh runs."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import built, copy_module, wait_for
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.trust import TrustScreen


def _workspace(root: Path, tool: str) -> Path:
    copy_module(root / "hello-wat")
    py = root / "py"
    py.mkdir()
    (py / "module.toml").write_text('toolchain = "command"\ncommand = "./build.sh"\n'
                                    f'requires = ["{tool}"]\n')
    (py / "build.sh").write_text("#!/bin/sh\nexit 1\n")
    (root / "workbench.toml").write_text('modules = ["hello-wat"]\n'
                                         'optional_modules = ["py"]\n')
    return root


async def test_left_out_module_is_not_listed_and_not_prompted(tmp_path: Path) -> None:
    app = WorkbenchApp([_workspace(tmp_path, "wb-no-such-tool-3f9a")], watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the builds")
        await pilot.pause()
        assert list(app.modules) == ["hello-wat"]
        assert [g.name for g in app.workspace.left_out] == ["py"]  # type: ignore[union-attr]
        assert not isinstance(app.screen, TrustScreen)


async def test_listed_when_the_tool_is_there_and_its_build_asks_for_trust(
        tmp_path: Path) -> None:
    app = WorkbenchApp([_workspace(tmp_path, "sh")], watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TrustScreen),
                       what="the trust prompt")
        assert sorted(app.modules) == ["hello-wat", "py"]
