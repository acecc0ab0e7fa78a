"""Hooks: the module's rules, which fired for the last request and why, hook vs module time.

Rules come from `core.hooks.load_hooks` (loaded by the build worker); the "last request"
part is the `hook` document and timing of the Runtime view's last `RunResult`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from workbench.tui.state import ModuleState
from workbench.tui.widgets.table import Column, RowTable
from workbench.tui.widgets.view import View, extra_note


class HooksView(View):
    TITLE = "Hooks"
    HELP = """\
[b]Hooks[/b] — scriptless rules from the module's hooks.toml, evaluated in order before
the module is touched. A terminating rule (respond, redirect, block) answers the request
without instantiating the module; the others (set_headers, flag, log) change the request
and continue. "Last request" shows which rules matched the Runtime view's last request,
why they matched and what they changed, and the hook time beside the module time.
The hooks file is re-read on every send, so edits apply at once.
"""

    def compose(self) -> ComposeResult:
        yield Static(id="hooks-note")
        yield RowTable([
            # what a rule does comes before its condition, which can be long: at 80
            # columns the action stayed cut off past a wide "when"
            Column("pos", "#", numeric=True), Column("name", "rule"),
            Column("action", "action"), Column("term", "stops?"),
            Column("when", "when", max_width=60), Column("line", "line", numeric=True),
        ], id="rules-table")
        yield Static("Last request", classes="subtitle")
        with VerticalScroll(id="hooks-last"):
            yield Static(id="hooks-trace")

    def show(self, state: ModuleState | None) -> None:
        hooks: Any = state.extras.get("hooks") if state else None
        note = self.query_one("#hooks-note", Static)
        table = self.query_one("#rules-table", RowTable)
        if hooks == "none":
            note.update(Text("This module has no hooks file (hooks.toml).", style="dim italic"))
            table.set_rows([])
        elif (msg := extra_note(hooks, "Hooks")) is not None:
            note.update(msg)
            table.set_rows([])
        else:
            name = Path(hooks.file).name
            note.update(Text(f"{len(hooks.rules)} rules from {name}", style="dim"))
            table.set_rows([
                (i, r.name, r.action.kind, "yes" if r.action.terminating else "no",
                 r.description, r.line)
                for i, r in enumerate(hooks.rules, 1)])
        self.query_one("#hooks-trace", Static).update(self._last(state))

    def _last(self, state: ModuleState | None) -> Text:
        run: Any = state.last_run if state else None
        if run is None:
            return Text("Send a request from the Runtime view (ctrl+r) to see which rules "
                        "fire.", style="dim italic")
        req = state.last_request if state else None
        out = Text()
        if req is not None:
            out.append(f"{req.method} {req.target}\n", style="bold")
        hook = run.hook
        if hook is None:
            out.append("hooks were off for this request (Runtime view switch).\n", style="dim")
        elif not hook.get("trace"):
            out.append("no rule matched: the module handled the request.\n", style="dim")
        else:
            for entry in hook["trace"]:
                out.append(f"✓ {entry['rule']}", style="bold green")
                out.append(f"  ({entry['action']})\n")
                out.append(f"    why: {entry['why']}\n", style="dim")
                if entry.get("changed"):
                    out.append(f"    changed: {entry['changed']}\n", style="cyan")
            if hook.get("answered"):
                out.append(f"answered by rule {hook.get('rule')!r}: the module never ran.\n",
                           style="bold")
        hook_us = run.timing.get("hooks")
        module_us = sum(v for k, v in run.timing.items()
                        if k not in ("hooks", "total", "prepare"))
        steady = state.hooks_p50 if state else None
        if hook_us is not None:
            if steady is not None:  # the figure `workbench bench` reports for these rules
                p50, samples = steady
                out.append(f"\nhook time p50 {p50:,.1f} µs", style="bold")
                out.append(f" ({samples} back-to-back evaluations of this request: "
                           "`workbench bench --mode warm`'s figure; in cold/fresh benches "
                           f"instantiation evicts caches, ~2-3x; this send: {hook_us:,.1f} "
                           "µs)", style="dim")
                hook_us = p50
            else:
                out.append(f"\nhook time {hook_us:,.1f} µs (one sample)", style="bold")
            out.append(f"\nmodule time {module_us:,.1f} µs", style="bold")
            out.append(" (this send)", style="dim")
            if module_us and hook_us:
                out.append(f"   hooks = {hook_us / (hook_us + module_us) * 100:.1f}% of the "
                           "two", style="dim")
        return out
