"""Build: the last build's command, duration, parsed diagnostics and the whole log.

Diagnostics are `core.diagnostics.Diagnostic` records from the build result. Selecting
one (enter) shows the source lines around file:line, so a failed build can be read
without leaving the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from workbench.tui.state import ModuleState, signed
from workbench.tui.widgets.findbar import FindableText, FindBar
from workbench.tui.widgets.table import Column, RowTable
from workbench.tui.widgets.view import View

SEVERITY = {"error": "bold red", "warning": "yellow", "note": "cyan"}


class DiagTable(RowTable):
    """The diagnostics: y copies the highlighted one (file:line:col: message), as in the
    rest of the Build view, rather than the whole table."""

    def action_copy_table(self) -> None:
        view = next(a for a in self.ancestors if isinstance(a, BuildView))
        view.action_copy_diagnostic()


class BuildView(View):
    BINDINGS = [
        Binding("e", "open_editor", "Open in $EDITOR"),
        Binding("y", "copy_diagnostic", "Copy"),
    ]
    TITLE = "Build"
    HELP = """\
[b]Build[/b] — the last build of the selected module: toolchain command, duration,
size and size change, the diagnostics parsed from the compiler output (file:line, with
severity), and the whole output. Select a diagnostic (enter) to see its source lines;
e opens it in $VISUAL / $EDITOR at its line, y copies it (file:line:col: message).
ctrl+f or / finds in the compiler output (enter / shift+enter or n / N move between
matches, esc closes). b rebuilds now; saving a source file rebuilds on its own. A
failed build keeps the last good module serving, marked stale in the module list.
"""

    def compose(self) -> ComposeResult:
        yield Static(id="build-summary")
        yield DiagTable([Column("where", "file:line"), Column("severity", "severity"),
                        Column("message", "message")], id="diag-table")
        yield Static(Text("no diagnostics", style="dim italic"), id="no-diags")
        with VerticalScroll(id="build-log"):
            yield Static(id="build-source")
            yield FindableText(id="build-output")
        yield FindBar(id="build-find")

    def show(self, state: ModuleState | None) -> None:
        self._state = state
        result: Any = state.build_result if state else None
        summary = self.query_one("#build-summary", Static)
        table = self.query_one("#diag-table", RowTable)
        output = self.query_one("#build-output", FindableText)
        self.query_one("#build-source", Static).update("")
        if state is not None and state.build == "building" and state.build_started:
            import time

            secs = time.monotonic() - state.build_started
            note = ("  (the first wasm32-wasi build compiles wasi-libc: 1-2 min once)"
                    if secs > 10 else "")
            building = Text(f"◐ building… {secs:,.1f} s{note}\n", style="yellow")
            if result is None:
                summary.update(building)
                return
        else:
            building = Text()
        if state is None or result is None:
            text = "No build yet." if state is None or state.build_error is None else \
                str(state.build_error)
            summary.update(Text(text, style="dim italic" if state is None else "red"))
            table.set_rows([])
            self._diags_shown(False)
            output.set_text("")
            self.query_one(FindBar).refresh_count()
            return
        ok = result.ok
        head = Text()
        if state.config_error:
            head.append(f"module.toml not applied: {state.config_error}\n"
                        "(the build keeps using the last good settings)\n\n", style="bold red")
        if state.build in ("failed", "stale") and state.build_error is not None and ok:
            # the newest attempt failed before producing a result (a deleted source, a bad
            # setting): say so above the last good build's figures
            head.append(f"FAILED  {state.build_error}\n", style="bold red")
            head.append("the last good build below keeps serving\n\n", style="magenta")
            ok = False
        untrusted = bool(getattr(result, "untrusted", False))
        if untrusted:  # restricted mode: nothing ran, nothing failed
            head.append("NOT TRUSTED", style="bold yellow")
            head.append("  its build runs this folder's own code: press b to review what "
                        "runs and trust it")
        else:
            head.append_text(Text.assemble(
                ("ok" if result.ok else "FAILED", "bold green" if result.ok else "bold red"),
                f"  {result.toolchain} ({result.profile})"))
        if state.history:
            head.append(f"  build #{state.history[-1][0]} this session", style="dim")
        if result.size is not None:
            head.append(f"\nsize {result.size:,} B")
            if result.size_delta is not None:
                head.append(f"  ({signed(result.size_delta)} B)")
        if result.stale:
            head.append("\nshowing the module built before (not rebuilt)" if untrusted else
                        "\nstale: the previous module keeps serving", style="magenta")
        if getattr(self.app, "show_timings", True) and state.history:
            head.append("\nrecent builds: ", style="dim")
            for n, ok_, ms, size in state.history[-5:]:
                # no-break spaces: a wrapped line never parts a figure from its unit
                head.append(f"#{n}\u00a0{'ok' if ok_ else 'failed'}\u00a0{ms:,.0f}\u00a0ms"
                            + (f"\u00a0{size:,}\u00a0B" if size else "") + "  ",
                            style="" if ok_ else "red")
        summary.update(building + head if state.build == "building" else head)
        self._diags = list(result.diagnostics)
        table.set_rows([(d.location(), d.severity, d.message) for d in self._diags],
                       [SEVERITY.get(d.severity, "") for d in self._diags])
        self._diags_shown(bool(self._diags), none_note=True)
        log = Text(f"$ {result.command}\n", style="dim")
        log.append(result.output or "(no compiler output)",
                   style="" if result.output else "dim italic")
        output.set_text(log)
        self.query_one(FindBar).refresh_count()
        first_error = next((d for d in self._diags if d.severity == "error" and d.line), None)
        if first_error is not None:  # jump to the first error without a key press
            self.query_one("#build-source", Static).update(self._source(first_error))

    def open_find(self) -> None:
        """ctrl+f / `/`: find in the whole compiler output."""
        self.query_one(FindBar).open(self.query_one("#build-output", FindableText))

    def _diags_shown(self, shown: bool, none_note: bool = False) -> None:
        """The diagnostics table when there are some, else "no diagnostics" (after a build)."""
        self.query_one("#diag-table", RowTable).display = shown
        self.query_one("#no-diags", Static).display = not shown and none_note

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "diag-table":
            return
        event.stop()
        row = event.data_table.get_row_at(event.cursor_row)
        where = str(row[0])
        diag = next((d for d in getattr(self, "_diags", []) if d.location() == where), None)
        self.query_one("#build-source", Static).update(self._source(diag))

    def _source(self, diag: Any) -> Any:
        if diag is None or diag.file is None or diag.line is None:
            return Text("No source location for this diagnostic.", style="dim italic")
        path = Path(diag.file)
        root = getattr(self, "_state", None)
        if not path.is_absolute() and root is not None:
            path = root.root / path
        try:
            code = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return Text(f"{diag.file}: cannot read the file", style="dim italic")
        from rich.syntax import Syntax  # pygments: imported on first use, not at startup

        first = max(1, diag.line - 4)
        return Syntax(code, lexer=Syntax.guess_lexer(str(path), code), line_numbers=True,
                      line_range=(first, diag.line + 4), highlight_lines={diag.line},
                      theme="ansi_dark", background_color="default")

    def _current_diag(self) -> Any:
        """The highlighted diagnostic, else the first error with a line."""
        diags = getattr(self, "_diags", [])
        table = self.query_one("#diag-table", RowTable)
        values = table.row_values(table.cursor_row) if table.display else None
        if values is not None:
            hit = next((d for d in diags if d.location() == str(values[0])), None)
            if hit is not None:
                return hit
        return next((d for d in diags if d.line), None)

    def _path_of(self, diag: Any) -> Path | None:
        if diag is None or diag.file is None:
            return None
        path = Path(diag.file)
        state = getattr(self, "_state", None)
        if not path.is_absolute() and state is not None:
            path = state.root / path
        return path

    def action_open_editor(self) -> None:
        import subprocess

        from workbench.tui.editor import editor_command, editor_from_env

        diag = self._current_diag()
        path = self._path_of(diag)
        if path is None:
            self.app.notify("No diagnostic with a source file to open.", severity="warning")
            return
        editor = editor_from_env()
        if editor is None:
            self.app.notify(f"Set $EDITOR (or $VISUAL) to open {path}:{diag.line}, e.g. "
                            "export EDITOR=vim", severity="warning", timeout=8)
            return
        argv = editor_command(editor, path, diag.line, diag.column)
        from textual.app import SuspendNotSupported

        try:
            with self.app.suspend():
                subprocess.run(argv, check=False)
        except SuspendNotSupported:
            self.app.copy_to_clipboard(" ".join(argv))
            self.app.notify("This terminal cannot hand over to an editor; the command was "
                            f"copied: {' '.join(argv)}", severity="warning", timeout=8)
        except OSError as err:
            self.app.notify(f"could not start {argv[0]}: {err.strerror}", severity="error")

    def action_copy_diagnostic(self) -> None:
        diag = self._current_diag()
        if diag is None:
            self.app.notify("No diagnostic to copy.", severity="warning")
            return
        self.app.copy_to_clipboard(f"{diag.location()}: {diag.severity}: {diag.message}")
        self.app.notify("Diagnostic copied.", timeout=2)
