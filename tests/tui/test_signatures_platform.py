"""The Signatures view shows the platform line and, for a component, its world."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime
from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.core.platforms.fixtures import CORE
from tests.core.runtime.components import proxy
from workbench.core.abi.detect import detect_abi
from workbench.core.wasm import parse_module
from workbench.tui.state import ModuleState
from workbench.tui.widgets.signatures_view import SignaturesView
from workbench.tui.widgets.table import RowTable


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield SignaturesView()


def _state(data: bytes) -> ModuleState:
    module = parse_module(data)
    return ModuleState("m", Path("."), module=module, abi=detect_abi(module))


@pytest.mark.asyncio
async def test_component_world_and_platform_rows() -> None:
    app = _Host()
    async with app.run_test() as pilot:
        view = app.query_one(SignaturesView)
        view.show(_state(proxy("local.get $req local.get $out call $hi")))
        await pilot.pause()
        abi = str(view.query_one("#abi", Static).render())
        assert "wasi:http/proxy 0.2 component" in abi and "wasi-http" in abi
        exports = view.query_one("#exports-table", RowTable)._rows
        assert exports == [("wasi:http/incoming-handler@0.2.0#handle", "func",
                            "func(request: incoming-request, response-out: response-outparam)")]
        imports = view.query_one("#imports-table", RowTable)._rows
        assert ("wasi:cli/stdout@0.2.0", "get-stdout", "func", "func() -> output-stream") in imports


@pytest.mark.asyncio
async def test_fastly_module_is_named_not_wagi() -> None:
    app = _Host()
    async with app.run_test() as pilot:
        view = app.query_one(SignaturesView)
        view.show(_state(wasmtime.wat2wasm(CORE["fastly-compute"])))
        await pilot.pause()
        abi = str(view.query_one("#abi", Static).render())
        assert "Fastly Compute" in abi and "Viceroy" in abi
        assert "wagi" not in abi
