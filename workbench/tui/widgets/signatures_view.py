"""Signatures: exports and imports with their types, and the detected handler ABI.

The ABI verdict and its list of problems come from `core.runtime.abi.detect_abi`, the
same function `inspect` uses, so the app and the CLI agree on what is missing.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from workbench.core.text import printable
from workbench.core.wasm.component_world import World, decode_world
from workbench.tui.state import ModuleState
from workbench.tui.widgets.table import Column, RowTable
from workbench.tui.widgets.view import View


class SignaturesView(View):
    TITLE = "Signatures"
    HELP = """\
[b]Signatures[/b] — what the module exports and imports, with WebAssembly types written
like (i32, i32) -> i32 and memories as min..max pages of 64 KiB (∞: no maximum), and
the handler ABI detected from them ("edge", "wagi" or "wasi-http") and the platform the
file was built for (Fastly Compute, Extism, proxy-wasm, wasm-bindgen, ...: what runs it).
For a component, the tables list its world: each imported and exported interface
(`wasi:http/types@0.2.0`) with its functions in WIT, as `wasm-tools component wit` does.
When the module fits no ABI, the problems say exactly what is missing or wrong.
Tables sort with s (or a header click) and scroll with the arrow keys.
"""

    def compose(self) -> ComposeResult:
        yield Static(id="abi")
        yield Static("Exports", classes="subtitle")
        yield RowTable([Column("name", "name"), Column("kind", "kind"), Column("type", "type")],
                       id="exports-table")
        yield Static("Imports", classes="subtitle")
        yield RowTable([Column("module", "module"), Column("name", "name"),
                        Column("kind", "kind"), Column("type", "type")], id="imports-table")
        yield Static(Text("no imports", style="dim italic"), id="no-imports")

    def show(self, state: ModuleState | None) -> None:
        module = state.module if state else None
        self.query_one("#abi", Static).update(self._abi(state))
        exports: list[tuple[str, str, str]] = [
            (e.name, e.kind, e.type) for e in module.exports] if module else []
        imports: list[tuple[str, str, str, str]] = [
            (i.module, i.name, i.kind, i.type) for i in module.imports] if module else []
        if module is not None and module.kind == "component":
            exports, imports = world_rows(decode_world(module.data))
        self.query_one("#exports-table", RowTable).set_rows(exports)
        table = self.query_one("#imports-table", RowTable)
        table.set_rows(imports)
        table.display = bool(imports) or module is None
        self.query_one("#no-imports", Static).display = module is not None and not imports

    def _abi(self, state: ModuleState | None) -> Text:
        if state is None or state.module is None:
            return Text("No module loaded.", style="dim italic")
        abi: Any = state.abi
        if abi is None:
            return Text("ABI: not detected yet.", style="dim italic")
        ok = getattr(abi, "ok", not abi.problems)
        t = Text.assemble(("ABI  ", "bold"), (abi.name, "bold green" if ok else "bold red"))
        if getattr(abi, "wasi", False):
            t.append("  (imports WASI)", style="dim")
        platform = getattr(abi, "platform", None)
        if platform is not None:
            t.append("\nPlatform  ", style="bold")
            t.append(platform.name, style="bold green" if platform.runs else "bold cyan")
            t.append(f"  {platform.note}", style="dim")
        for problem in abi.problems:
            if platform is None or problem != platform.describe():
                t.append(f"\n  ✖ {printable(problem)}", style="red")  # names exports
        if ok and not abi.problems:
            t.append("\n  ✓ fits the ABI: ready to run", style="green")
        sig = state.extras.get("signature")
        if isinstance(sig, str):
            bad = sig.startswith("REFUSED")
            t.append("\nSignature  ", style="bold")
            t.append(sig, style="bold red" if bad else "green" if sig.startswith("verified")
                     else "dim")
        return t


def world_rows(world: World) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str, str]]]:
    """A component's world as (exports, imports) rows of the two tables: one row per
    interface function, the interface in the name/module column."""
    exports: list[tuple[str, str, str]] = []
    for e in world.exports:
        exports += [(f"{e.name}#{f}", "func", sig or "?") for f, sig in e.functions] or [
            (e.name, e.kind, "")]
    imports: list[tuple[str, str, str, str]] = []
    for i in world.imports:
        imports += [(i.name, f, "func", sig or "?") for f, sig in i.functions] or [
            (i.name, "", i.kind, "")]
    return exports, imports
