"""The Size view's result panes: DWARF sources tree, build diff, strip preview + budget.

They render the size core's frozen results through their `to_json()` documents (the same
documents `inspect --json` prints), so the TUI and the CLI show the same figures.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, Tree

from workbench.tui.state import ModuleState, signed
from workbench.tui.widgets.table import Column, RowTable
from workbench.tui.widgets.view import extra_note


def as_json(value: Any) -> Any:
    """A result's JSON document (dicts/lists pass through)."""
    to_json = getattr(value, "to_json", None)
    return to_json() if callable(to_json) else value


class SourcesPane(Vertical):
    """Source files → functions (→ inlined) attributed by DWARF, as a drill-down tree."""

    def compose(self) -> ComposeResult:
        yield Static(id="sources-note")
        yield Tree("sources", id="sources-tree")

    def show(self, state: ModuleState | None) -> None:
        tree = self.query_one("#sources-tree", Tree)
        tree.clear()
        value: Any = state.extras.get("sources") if state else None
        msg = extra_note(value, "DWARF sources")
        note = self.query_one("#sources-note", Static)
        if msg is not None:
            note.update(msg)
            return
        status = getattr(value, "status", "ok")
        if status == "absent":
            note.update(Text("No DWARF in this module: build with the debug profile (-g) to "
                             "attribute code to source files. See Functions for the "
                             "name-section view.", style="dim italic"))
            return
        files = value.rows()
        total = max(1, value.code_size)
        head = Text(f"{len(value.files)} source files, {value.attributed:,} of "
                    f"{value.code_size:,} code bytes attributed", style="dim")
        if value.warning:
            head.append(f"\n⚠ {value.warning}", style="bold yellow")
        note.update(head)
        tree.root.expand()
        for f in sorted(files, key=lambda f: -f.size):
            node = tree.root.add(_label(f.file, f.size, total), expand=False)
            for fn in sorted(f.functions, key=lambda x: -x.size):
                child = node.add(_label(fn.name, fn.size, total), allow_expand=bool(fn.inlined))
                for inl in fn.inlined:
                    child.add_leaf(_label(f"inlined {inl.name} ×{inl.count}", inl.size, total))
        if files:  # the rows add up to the code section payload: say so
            label = _label("total (code section payload)", sum(f.size for f in files), total)
            label.stylize("bold")
            tree.root.add_leaf(label)


def _label(name: str, size: int, total: int) -> Text:
    return Text.assemble((f"{size:>9,} ", "bold"), (f"{size / total * 100:5.1f}%  ", "dim"), name)


class DiffPane(Vertical):
    """This build against the previous one: per section, function and source file."""

    def compose(self) -> ComposeResult:
        yield Static(id="diff-note")
        yield RowTable([
            Column("what", "kind"), Column("name", "name"), Column("old", "old", numeric=True),
            Column("new", "new", numeric=True), Column("delta", "Δ", numeric=True,
                                                       fmt=_delta_cell),
        ], sort="delta", id="diff-table")

    def show(self, state: ModuleState | None) -> None:
        table = self.query_one("#diff-table", RowTable)
        value: Any = state.extras.get("diff") if state else None
        note = self.query_one("#diff-note", Static)
        if state is not None and value == "identical":
            note.update(Text(f"previous build → this build: {state.size or 0:,} → "
                             f"{state.size or 0:,} bytes  ±0 B\nThe last rebuild produced "
                             "identical bytes: nothing changed.", style="dim"))
            table.set_rows([])
            return
        if state is not None and value is None:
            text = ("No previous build yet: save a source file (or press b) and the diff "
                    "against this build appears here." if state.prev_module is None else
                    "The last rebuild produced identical bytes: nothing changed.")
            note.update(Text(text, style="dim italic"))
            table.set_rows([])
            return
        msg = extra_note(value, "Build diff")
        if msg is not None:
            note.update(msg)
            table.set_rows([])
            return
        rows, styles = [], []
        groups = (("section", value.sections), ("function", value.functions),
                  ("source", value.sources or ()))
        for kind, items in groups:
            for row in items:
                if not row.delta:
                    continue
                status = "" if row.status == "changed" else f" ({row.status})"
                rows.append((kind, row.name + status, row.old, row.new, row.delta))
                styles.append("bold" if row.delta > 0 else "")
        delta = value.delta
        color = "red" if delta > 0 else "green" if delta < 0 else "dim"
        head = Text.assemble(("previous build → this build: ", "dim"),
                             (f"{value.old_size:,} → {value.new_size:,} bytes  ", ""),
                             (f"{signed(delta)} B", f"bold {color}"))
        if value.note:
            head.append(f"\n{value.note}", style="dim italic")
        if not rows:
            head.append("\nno section, function or source file changed size", style="dim")
        note.update(head)
        table.set_rows(rows, styles)


def _delta_cell(value: Any) -> Text:
    if not value:
        return Text("0", style="dim", justify="right")
    return Text(f"{value:+,}", style="bold red" if value > 0 else "green", justify="right")


class StripPane(VerticalScroll):
    """Strip preview (raw and gzip sizes per strip level) and the module's budget."""

    def compose(self) -> ComposeResult:
        yield Static(id="strip-body")

    def show(self, state: ModuleState | None) -> None:
        body = self.query_one("#strip-body", Static)
        if state is None:
            body.update("")
            return
        parts: list[Any] = [Text("Strip preview", style="bold underline")]
        strip: Any = state.extras.get("strip")
        msg = extra_note(strip, "Strip preview")
        if msg is not None:
            parts.append(msg)
        else:
            table = Table(box=None, header_style="bold", pad_edge=False)
            for col in ("", "bytes", "gzip", "saves"):
                table.add_column(col, justify="left" if not col else "right")
            table.add_row("as built", f"{strip.size:,}", f"{strip.gzip_size:,}", "")
            for opt in strip.options:
                saved = strip.size - opt.size
                table.add_row(opt.description, f"{opt.size:,}", f"{opt.gzip_size:,}",
                              Text(f"{saved:,}" if saved else "—",
                                   style="green" if saved else "dim"))
            if strip.wasm_opt is not None and strip.wasm_opt.size is not None:
                table.add_row("wasm-opt -Oz", f"{strip.wasm_opt.size:,}",
                              f"{strip.wasm_opt.gzip_size or 0:,}",
                              f"{strip.size - strip.wasm_opt.size:,}")
            parts.append(table)
        parts.append(Text("\nBudget", style="bold underline"))
        budget: Any = state.extras.get("budget")
        if budget == "none":
            parts.append(Text("no [budget] in module.toml (max_bytes, max_gzip_bytes, "
                              "sections)", style="dim italic"))
        elif (msg := extra_note(budget, "Budget")) is not None:
            parts.append(msg)
        else:
            table = Table(box=None, header_style="bold", pad_edge=False)
            for col in ("limit", "actual", "max", ""):
                table.add_column(col, justify="left" if col in ("limit", "") else "right")
            for line in budget.lines:
                word = f"OVER by {-line.headroom:,}" if line.over else \
                    f"{line.headroom:,} to spare"
                table.add_row(line.limit, f"{line.actual:,}", f"{line.max:,}",
                              Text(word, style="bold red" if line.over else "green"))
            parts.append(table)
        body.update(Group(*parts))
