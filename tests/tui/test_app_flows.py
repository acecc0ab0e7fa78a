"""Pilot-driven flows: select a module, read section sizes, send a request, help, palette."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TabbedContent

from tests.tui.conftest import built, copy_module, plain, wait_for
from workbench.core.size.breakdown import by_section
from workbench.core.wasm import parse_module
from workbench.tui.app import WorkbenchApp
from workbench.tui.state import short_label
from workbench.tui.widgets.module_list import ModuleList
from workbench.tui.widgets.runtime_view import RuntimeView
from workbench.tui.widgets.table import RowTable


async def test_select_module_and_read_section_sizes(tmp_path: Path) -> None:
    one = copy_module(tmp_path / "one", "one")
    two = copy_module(tmp_path / "two", "two")
    wat = two / "hello.wat"
    # make `two` different: a bigger data segment, so the figures cannot coincide
    wat.write_text(wat.read_text().replace("Hello from WebAssembly",
                                           "Hello from WebAssembly, twice as long " * 4))
    app = WorkbenchApp([one, two], watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app, "one", "two"), what="both builds")
        assert app.modules["one"].build == "ok" and app.modules["two"].build == "ok"
        assert app.selected == "one"
        app.query_one(ModuleList).focus()
        await pilot.press("down")
        await wait_for(pilot, lambda: app.selected == "two", what="selection")
        await pilot.pause()
        table = app.query_one("#sections-table", RowTable)
        shown = {str(table.get_row_at(i)[0]): int(str(table.get_row_at(i)[1]).replace(",", ""))
                 for i in range(table.row_count)}
        module = parse_module(app.modules["two"].wasm_path.read_bytes())
        expected = {short_label(r.name): r.size for r in by_section(module).rows}
        total = shown.pop("total")
        assert shown == expected
        assert sum(shown.values()) == total == module.size == app.modules["two"].size
        assert "(file header)" in shown and "(section headers)" in shown
        assert str(table.get_row_at(table.row_count - 1)[0]) == "total"
        assert app.modules["two"].size > app.modules["one"].size


async def test_send_request_and_read_status(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        await pilot.press("3")
        assert app.query_one("#views", TabbedContent).active == "tab-runtime"
        # the hooks/chaos boxes are wide enough to read and say their state in words
        view = app.query_one(RuntimeView)
        chaos = app.query_one("#opt-chaos")
        assert str(chaos.label) == "chaos: off" and chaos.size.width >= len("chaos: off")
        assert str(app.query_one("#opt-hooks").label) == "hooks: on"
        await pilot.click("#opt-chaos")
        await pilot.pause()
        assert str(chaos.label) == "chaos: on" and view.options().chaos
        await pilot.click("#opt-chaos")
        await pilot.pause()
        assert not view.options().chaos
        app.query_one("#req-path").value = "/nope"
        await pilot.press("ctrl+r")
        state = app.modules["hello-wat"]
        await wait_for(pilot, lambda: state.last_run is not None, what="run result")
        assert state.last_run.error is None
        assert state.last_run.response.status == 404
        await pilot.pause()
        text = plain(app.query_one("#response-body"))
        assert "HTTP 404" in text
        # the hook answers /healthz without the module: the Hooks view says which rule
        app.query_one("#req-path").value = "/healthz"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: state.last_request.target == "/healthz", what="2nd run")
        assert state.last_run.response.status == 200 and state.last_run.abi == "hook"
        await pilot.press("5")
        await pilot.pause()
        trace = plain(app.query_one("#hooks-trace"))
        assert "health" in trace and "the module never ran" in trace


async def test_help_for_the_focused_view(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen",
                       what="the help screen")
        assert "Signatures" in plain(app.screen.query_one("#help-text"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ != "HelpScreen",
                       what="help closed")
        await pilot.press("f1")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen",
                       what="the help screen again")


async def test_every_footer_action_is_in_the_palette(wat_module: Path) -> None:
    from workbench.tui.commands import ACTIONS, VIEW_NAMES

    palette = {a for _, a, _ in ACTIONS} | {f"show_view('{v}')" for v in VIEW_NAMES}
    actions = {b.action for b in WorkbenchApp.BINDINGS}  # type: ignore[union-attr]
    missing = actions - palette - {"quit", "change_theme"}  # both are system commands
    assert not missing, missing


async def test_empty_workspace_is_friendly(tmp_path: Path) -> None:
    app = WorkbenchApp([tmp_path], watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app._notifications), what="a notification")
        assert not app.modules
        assert any("module" in n.message.lower() for n in app._notifications)
        await pilot.pause()
        assert "no modules here" in plain(app.query_one("#size-summary")).lower()


async def test_broken_workspace_file_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "workbench.toml").write_text('modules = ["missing-module"]\n')
    app = WorkbenchApp([tmp_path], watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.empty_reason is not None, what="workspace error")
        await pilot.pause()
        assert "missing-module" in app.empty_reason
        assert "workbench.toml" in plain(app.query_one("#size-summary"))


async def test_palette_mouse_and_table_filter(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        # command palette: "Show Hooks view"
        await pilot.press("ctrl+p")
        app.screen.query_one("CommandInput").value = "Hooks view"  # as if typed
        await wait_for(pilot, lambda: "Hooks view" in str(
            app.screen.query_one("CommandList").get_option_at_index(0).prompt),
            what="palette hit")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.query_one("#views", TabbedContent).active
                       == "tab-hooks", what="palette action")
        # mouse: click the Signatures tab
        await pilot.click("#views Tab#--content-tab-tab-signatures")
        assert app.query_one("#views", TabbedContent).active == "tab-signatures"
        await pilot.pause()
        # the sample has no imports: a sentence instead of an empty table
        assert app.query_one("#no-imports").display
        assert not app.query_one("#imports-table").display
        exports = app.query_one("#exports-table", RowTable)
        types = {str(exports.get_row_at(i)[2]) for i in range(exports.row_count)}
        assert any(t.startswith("memory 1..") and t.endswith(" pages") for t in types)
        # functions table: filter narrows rows, `s` cycles the sort column
        await pilot.press("1")
        app.query_one("#size-tabs", TabbedContent).active = "size-functions"
        await pilot.pause()
        table = app.query_one("#functions-table", RowTable)
        names = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert str(table.get_row_at(table.row_count - 1)[1]) == "total"
        code = int(str(table.get_row_at(table.row_count - 1)[2]).replace(",", ""))
        assert code == sum(int(str(table.get_row_at(i)[2]).replace(",", ""))
                           for i in range(table.row_count - 1))
        assert "alloc" in names and len(names) >= 4
        filt = app.query_one("#functions-filter")
        filt.value = "allo"  # Input.Changed drives the filter, as typing does
        await pilot.pause()
        assert [str(table.get_row_at(i)[1]) for i in range(table.row_count)] == [
            "alloc", "total (filtered)"]
        filt.value = ""
        await pilot.pause()
        table.focus()
        assert table.sort_key == "size"
        sizes = [int(str(table.get_row_at(i)[2]).replace(",", ""))
                 for i in range(table.row_count - 1)]
        assert sizes == sorted(sizes, reverse=True)
        await pilot.press("s")
        assert table.sort_key == "pct"


async def test_load_a_saved_request_into_the_editor(workspace: Path) -> None:
    # a saved request using the workspace's {{host}} variable (the sample itself needs none)
    (workspace / "hello-wat" / "requests" / "vars.hurl").write_text(
        "GET http://{{host}}/robots.txt?from=crawler\nHTTP 200\n")
    app = WorkbenchApp([workspace], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        await pilot.press("3")
        await pilot.pause()
        saved = app.query_one(RuntimeView)._saved  # the options' values index this list
        assert len(saved) == 6
        robots = next(i for i, req in enumerate(saved)
                      if req.target.startswith("/robots") and req.header("host") == "example.com")
        app.query_one("#req-saved").value = robots  # as picking it from the list does
        await pilot.pause()
        assert app.query_one("#req-path").value == "/robots.txt?from=crawler"
        assert "example.com" in app.query_one("#req-headers").text  # {{host}} substituted
        await pilot.press("ctrl+r")
        state = app.modules["hello-wat"]
        await wait_for(pilot, lambda: state.last_run is not None, what="run")
        assert state.last_run.response.status == 200
        assert state.last_run.response.text.startswith("User-agent: *")


async def test_palette_twins_of_view_keys(workspace: Path) -> None:
    """The view-level keys (/, s, enter in Requests) have palette actions that work."""
    app = WorkbenchApp([workspace], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        await app.run_action("filter_size")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "functions-filter"
        table = app.query_one("#functions-table", RowTable)
        before = table.sort_key
        await app.run_action("sort_table")
        assert table.sort_key != before
        state = app.modules["hello-wat"]
        await app.run_action("replay_one")
        await wait_for(pilot, lambda: len(state.entry_results) == 1, what="one replay")


async def test_runtime_inputs_that_are_not_numbers_or_headers_warn(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        await pilot.press("3")
        await pilot.pause()
        view = app.query_one(RuntimeView)
        app.query_one("#opt-timeout").value = "²"  # isdigit() but not int(): no crash
        app.query_one("#opt-fuel").value = "-5"
        app.query_one("#req-headers").text = "x-ok: 1\nno colon here"
        opts, req = view.options(), view.request()
        assert (opts.timeout_ms, opts.fuel) == (None, None)
        assert req.headers == (("x-ok", "1"),)
        app.query_one("#opt-timeout").value = "250"
        assert view.options().timeout_ms == 250
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        bad = "is not a whole number from 1 to 9223372036854775807: using the module's limit"
        assert f"'²' {bad}" in messages and f"'-5' {bad}" in messages
        assert "header line 'no colon here' has no 'name: value'; not sent" in messages
