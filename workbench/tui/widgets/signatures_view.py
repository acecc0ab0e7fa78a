"""Signatures: exports and imports with their types, and the detected handler ABI.

The ABI verdict and its list of problems come from `core.runtime.abi.detect_abi`, the
same function `inspect` uses, so the app and the CLI agree on what is missing.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from workbench.tui.state import ModuleState
from workbench.tui.widgets.table import Column, RowTable
from workbench.tui.widgets.view import View


class SignaturesView(View):
    TITLE = "Signatures"
    HELP = """\
[b]Signatures[/b] — what the module exports and imports, with WebAssembly types written
like (i32, i32) -> i32 and memories as min..max pages of 64 KiB (∞: no maximum), and
the handler ABI detected from them ("edge" or "wagi").
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
        exports = [(e.name, e.kind, e.type) for e in module.exports] if module else []
        imports = [(i.module, i.name, i.kind, i.type) for i in module.imports] if module else []
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
        if state.module.kind == "component":
            t.append("  component binary: core modules embedded", style="yellow")
        for problem in abi.problems:
            t.append(f"\n  ✖ {problem}", style="red")
        if ok and not abi.problems:
            t.append("\n  ✓ fits the ABI: ready to run", style="green")
        sig = state.extras.get("signature")
        if isinstance(sig, str):
            bad = sig.startswith("REFUSED")
            t.append("\nSignature  ", style="bold")
            t.append(sig, style="bold red" if bad else "green" if sig.startswith("verified")
                     else "dim")
        return t
