"""The Size view's result panes: DWARF sources tree, build diff, strip preview + budget.

They render the size core's frozen results through their `to_json()` documents (the same
documents `inspect --json` prints), so the TUI and the CLI show the same figures.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, Tree

from workbench.tui.state import ModuleState, signed, size_text
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
        value = state.extras.get("sources") if state else None
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
        value = state.extras.get("diff") if state else None
        note = self.query_one("#diff-note", Static)
        if state is not None and value is None and state.prev_module is None:
            note.update(Text("No previous build yet: save a source file (or press b) and "
                             "the diff against this build appears here.", style="dim italic"))
            table.set_rows([])
            return
        msg = extra_note(value, "Build diff")
        if msg is not None:
            note.update(msg)
            table.set_rows([])
            return
        doc = as_json(value)
        rows, styles = [], []
        for kind in ("sections", "functions", "sources"):
            for item in (doc.get(kind) or []) if isinstance(doc, dict) else []:
                old, new = item.get("old"), item.get("new")
                delta = item.get("delta", (new or 0) - (old or 0))
                status = item.get("status") or ("added" if old is None else
                                                "removed" if new is None else "")
                name = str(item.get("name") or item.get("file") or "?")
                rows.append((kind[:-1], name + (f" ({status})" if status else ""), old, new,
                             delta))
                styles.append("bold" if delta and delta > 0 else "")
        total = doc.get("total") if isinstance(doc, dict) else None
        head = f"total {signed(total.get('delta'))} B" if isinstance(total, dict) else ""
        note.update(Text(f"{len(rows)} changed items  {head}", style="dim"))
        table.set_rows([r for r in rows if r[4]], [s for r, s in zip(rows, styles, strict=True)
                                                   if r[4]])


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
        out = Text()
        for key, title in (("strip", "Strip preview"), ("budget", "Budget")):
            value = state.extras.get(key)
            msg = extra_note(value, title)
            out.append(f"{title}\n", style="bold underline")
            if msg is not None:
                out.append_text(msg)
                out.append("\n\n")
                continue
            out.append_text(render_doc(as_json(value)))
            out.append("\n")
        body.update(out)


def render_doc(doc: Any, indent: int = 0) -> Text:
    """A compact, readable rendering of a small JSON document (sizes made human)."""
    out = Text()
    pad = "  " * indent
    if isinstance(doc, dict):
        for k, v in doc.items():
            if isinstance(v, (dict, list)):
                out.append(f"{pad}{k}:\n", style="bold")
                out.append_text(render_doc(v, indent + 1))
            else:
                shown = _human(k, v)
                style = "red bold" if v is False or (k in ("over", "ok") and v == (k == "over")) \
                    else ""
                out.append(f"{pad}{k}: ", style="dim")
                out.append(f"{shown}\n", style=style)
    elif isinstance(doc, list):
        for item in doc:
            out.append_text(render_doc(item, indent))
            if isinstance(item, dict):
                out.append("\n")
    else:
        out.append(f"{pad}{doc}\n")
    return out


def _human(key: str, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and (
            "size" in key or "bytes" in key or key in ("raw", "gzip", "saved", "limit")):
        return f"{value:,} ({size_text(value)})"
    return str(value)
