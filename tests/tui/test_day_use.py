"""A working day in the app: what is on screen can be trusted, and keys go where expected."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TabbedContent

from tests.tui.conftest import built, plain, purity_note, wait_for
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.module_list import ModuleList


def _row_text(app: WorkbenchApp, name: str) -> str:
    table = app.query_one(ModuleList)
    return " ".join(str(cell) for cell in table.get_row(name))


async def test_over_budget_module_is_not_shown_green(wat_module: Path) -> None:
    toml = wat_module / "module.toml"
    toml.write_text(toml.read_text().replace("max_bytes = 2048", "max_bytes = 100"))
    app = WorkbenchApp([wat_module], watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the build")
        await wait_for(pilot, lambda: app.modules["hello-wat"].budget_over is not None,
                       what="the budget verdict")
        await pilot.pause()
        row = _row_text(app, "hello-wat")
        assert "▲" in row and "●" not in row
        assert app.modules["hello-wat"].budget_over == 1


async def test_within_budget_module_stays_green(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the build")
        await wait_for(pilot, lambda: app.modules["hello-wat"].budget_over == 0,
                       what="the budget verdict")
        await pilot.pause()
        assert "●" in _row_text(app, "hello-wat")


async def test_escape_leaves_a_field_and_digits_switch_views(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the build")
        await pilot.press("3")
        await wait_for(pilot, lambda: bool(app.query("#req-path")), what="the Runtime view")
        field = app.query_one("#req-path", Input)
        field.focus()
        await pilot.pause()
        await pilot.press("5")  # typed into the field: paths have digits
        typed = field.value
        assert "5" in typed
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.focused is not field, what="the field left")
        await pilot.press("1")
        tabs = app.query_one("#views", TabbedContent)
        await wait_for(pilot, lambda: tabs.active == "tab-size", what="the Size view")
        assert field.value == typed  # the digit went to the command, not the field


async def test_help_says_how_keys_and_fields_interact(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen",
                       what="help")
        text = plain(app.screen.query_one("#help-text"))
        assert "Everywhere" not in text
        assert "esc leaves it" in text and "over its size budget" in text


async def test_deleting_a_failing_request_leaves_no_phantom_result(workspace: Path) -> None:
    hurl = workspace / "hello-wat" / "requests" / "hello.hurl"
    # the second entry fails
    hurl.write_text("GET http://localhost/\nHTTP 200\n\nGET http://localhost/\nHTTP 418\n")
    app = WorkbenchApp([workspace], watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        state = lambda: app.modules["hello-wat"]  # noqa: E731
        await wait_for(pilot, built(app, "hello-wat"), what="the build")
        await wait_for(pilot, lambda: state().replay_counts == (1, 1), what="1✓ 1✗")
        assert "1✗" in _row_text(app, "hello-wat")
        hurl.write_text("GET http://localhost/\nHTTP 200\n")
        app.files_worker("hello-wat")
        await wait_for(pilot, lambda: state().replay_counts == (1, 0), what="1✓ 0✗")
        await pilot.pause()
        row = _row_text(app, "hello-wat")
        assert "1✓" in row and "✗" not in row  # all pass: the count alone, no phantom ✗


async def test_a_broken_hooks_file_clears_old_results(workspace: Path) -> None:
    app = WorkbenchApp([workspace], watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        state = lambda: app.modules["hello-wat"]  # noqa: E731
        await wait_for(pilot, built(app, "hello-wat"), what="the build")
        await wait_for(pilot, lambda: state().replay_counts is not None, what="a replay")
        (workspace / "hello-wat" / "hooks.toml").write_text("[[rule]\nname = ")
        app.files_worker("hello-wat")
        await wait_for(pilot, lambda: isinstance(state().extras.get("hooks"), Exception),
                       what="the hooks error")
        await pilot.pause()
        assert state().replay_counts is None and state().replay is None
        assert "—" in _row_text(app, "hello-wat")


async def test_requests_numbers_are_never_clipped_at_80x24(workspace: Path) -> None:
    from workbench.tui.widgets.table import RowTable

    app = WorkbenchApp([workspace], watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, built(app, "hello-wat"), what="the build")
        await wait_for(pilot, lambda: app.modules["hello-wat"].replay_counts is not None,
                       what="a replay")
        await pilot.press("4")
        await wait_for(pilot, lambda: bool(app.query("#entries-table")), what="Requests")
        table = app.query_one("#entries-table", RowTable)
        await wait_for(pilot, lambda: table.row_count > 0, what="rows")
        await pilot.pause()
        visible = table.scrollable_content_region.width
        end = 0
        for column in table.ordered_columns:
            end += column.get_render_width(table)
            if str(column.key.value) in ("status", "fuel"):
                assert end <= visible, f"{column.key.value} ends at {end} of {visible}"
        fuel = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert any(f.replace(",", "").isdigit() for f in fuel), fuel


async def test_bench_note_shows_the_core_figures_not_a_made_up_overhead(
        wat_module: Path) -> None:
    import threading

    from workbench.core.http import Request
    from workbench.tui import runtime_jobs
    from workbench.tui.widgets.runtime_panels import BenchPanel

    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        state = app.modules["hello-wat"]
        final = runtime_jobs.bench_live(state, Request("GET", "/"), 200,
                                        runtime_jobs.RunOptions(mode="fresh"),
                                        threading.Event(), lambda s: None, every_s=0.0)
        assert final.around_us is not None and final.around_us >= 0
        state.bench = {"fresh": final}
        state.bench_mode = "fresh"
        await pilot.press("3")
        await wait_for(pilot, lambda: bool(app.query(BenchPanel)), what="the bench panel")
        panel = app.query_one(BenchPanel)
        panel.show(state.bench, "fresh")
        await pilot.pause()
        note = plain(app.query_one("#bench-note"))
        assert "around the guest p50" in note
        assert "overhead (total" not in note  # total − plain mixed instantiate into it


async def test_timing_rows_add_up_to_the_total(wat_module: Path) -> None:
    from workbench.core.http import Request
    from workbench.tui import runtime_jobs
    from workbench.tui.widgets.runtime_panels import TimingPanel

    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        state = app.modules["hello-wat"]
        result = runtime_jobs.run_request(state, Request("GET", "/"),
                                          runtime_jobs.RunOptions(mode="fresh"))
        await pilot.press("3")
        await wait_for(pilot, lambda: bool(app.query(TimingPanel)), what="the timing panel")
        app.query_one(TimingPanel).show(result)
        await pilot.pause()
        text = plain(app.query_one("#timing-body"))
        assert "prepare (once per build" in text  # the first request's one-time work
        rows = {}
        for line in text.splitlines():
            parts = line.rsplit(None, 1)
            if len(parts) == 2 and parts[1].replace(",", "").replace(".", "").isdigit():
                rows[parts[0]] = float(parts[1].replace(",", ""))
        inside = sum(v for k, v in rows.items() if k != "total" and not k.startswith("prepare"))
        assert abs(inside - rows["total"]) <= 0.2 + 0.001 * rows["total"], rows


async def test_identical_rebuild_diff_says_zero(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        wat = wat_module / "hello.wat"
        wat.write_text(wat.read_text().replace("Hello from WebAssembly",
                                               "Hello from WebAssembly!!"))
        state = app.modules["hello-wat"]
        app.build_worker("hello-wat", "manual")
        await wait_for(pilot, lambda: state.builds >= 2 and state.build == "ok",
                       what="rebuild with a change")
        await wait_for(pilot, lambda: getattr(state.extras.get("diff"), "delta", 0) != 0,
                       what="a real diff")
        app.build_worker("hello-wat", "manual")
        await wait_for(pilot, lambda: state.builds >= 3 and state.build == "ok",
                       what="identical rebuild")
        await wait_for(pilot, lambda: state.extras.get("diff") == "identical",
                       what="the identical marker")
        from workbench.tui.widgets.size_extras import DiffPane

        pane = app.query_one(DiffPane)
        pane.show(state)
        await pilot.pause()
        text = plain(app.query_one("#diff-note"))
        assert "±0 B" in text and "identical" in text


async def test_a_module_toml_mistake_stays_on_screen_with_line_and_allowed_values(
        wat_module: Path) -> None:
    from workbench.config.module import load_module
    from workbench.core.build.events import FilesChanged
    from workbench.core.errors import WorkbenchError
    from workbench.tui.messages import SourceChanged

    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        toml = wat_module / "module.toml"
        toml.write_text(toml.read_text().replace('abi = "edge"', 'abi = "edge"\nprofile = "fast"'))
        try:
            load_module(wat_module)
        except WorkbenchError as err:
            error = err.to_json()
        app.post_message(SourceChanged("hello-wat", FilesChanged(
            "hello-wat", "config", ("module.toml",), error=error)))
        await pilot.press("6")
        await wait_for(pilot, lambda: "not applied" in plain(app.query_one("#build-summary")),
                       what="the Build view banner")
        text = plain(app.query_one("#build-summary"))
        assert "module.toml:" in text and "allowed: debug, release" in text


async def test_deleting_the_source_does_not_leave_the_build_view_saying_ok(
        wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        (wat_module / "hello.wat").unlink()
        state = app.modules["hello-wat"]
        app.build_worker("hello-wat", "manual")
        await wait_for(pilot, lambda: state.build_error is not None, what="the failure")
        await pilot.press("6")
        await wait_for(pilot, lambda: "FAILED" in plain(app.query_one("#build-summary")),
                       what="FAILED in the Build view")
        text = plain(app.query_one("#build-summary"))
        assert "hello.wat" in text and text.index("FAILED") < text.index("ok ")


async def test_editor_copy_and_save_request(wat_module: Path, monkeypatch) -> None:  # noqa: ANN001
    import subprocess

    from workbench.tui.editor import editor_command
    from workbench.tui.widgets.build_view import BuildView
    from workbench.tui.widgets.runtime_view import RuntimeView

    assert editor_command(["code"], Path("/a.c"), 3, 7) == ["code", "-g", "/a.c:3:7"]
    assert editor_command(["nvim"], Path("/a.c"), 3) == ["nvim", "+3", "/a.c"]
    assert editor_command(["ed"], Path("/a.c"), 3) == ["ed", "/a.c"]
    wat = wat_module / "hello.wat"
    wat.write_text(wat.read_text() + "\n(oops\n")
    ran: list[list[str]] = []
    monkeypatch.setattr(subprocess, "run", lambda argv, **kw: ran.append(argv))
    monkeypatch.setenv("EDITOR", "vim")
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    import contextlib

    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)  # headless: no terminal
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        await pilot.press("6")
        await wait_for(pilot, lambda: bool(app.query(BuildView)), what="the Build view")
        view = app.query_one(BuildView)
        await wait_for(pilot, lambda: bool(getattr(view, "_diags", [])), what="diagnostics")
        view.action_open_editor()
        await wait_for(pilot, lambda: bool(ran), what="the editor")
        assert ran[0][0] == "vim" and ran[0][1].startswith("+") and ran[0][2].endswith(
            "hello.wat")
        view.action_copy_diagnostic()
        assert copied and "hello.wat:" in copied[-1]
        # the Runtime view: save the request being edited as a .hurl entry
        await pilot.press("3")
        await wait_for(pilot, lambda: bool(app.query(RuntimeView)), what="the Runtime view")
        rv = app.query_one(RuntimeView)
        rv.action_copy_curl()
        assert copied[-1].startswith("curl ")
        rv.action_save_hurl()
        saved = wat_module / "requests" / "saved.hurl"
        assert saved.is_file() and saved.read_text().startswith("# saved from the app\nGET ")


async def test_size_history_is_kept_across_restarts(wat_module: Path) -> None:
    from workbench.tui.widgets.size_history import HistoryPane

    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        wat = wat_module / "hello.wat"
        wat.write_text(wat.read_text().replace("Hello from WebAssembly", "Hello, wasm"))
        state = app.modules["hello-wat"]
        app.build_worker("hello-wat", "manual")
        await wait_for(pilot, lambda: len(state.extras.get("history") or []) == 2,
                       what="two points")
    app2 = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app2.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app2), what="build")
        state = app2.modules["hello-wat"]
        assert len(state.extras["history"]) == 2  # read back, not a fresh start
        pane = app2.query_one(HistoryPane)
        pane.show(state)
        await pilot.pause()
        text = plain(app2.query_one("#history-note"))
        assert "2 builds" in text and "budget max_bytes 2,048 B" in text


def _command_module(tmp_path: Path) -> tuple[Path, Path]:
    """A module whose build runs its own build.sh (which touches the returned marker)."""
    import shutil

    mod = tmp_path / "cmd"
    mod.mkdir()
    shutil.copy(Path(__file__).parents[2] / "sample_modules" / "hello-wat" / "hello.wat",
                mod / "hello.wat")
    marker = tmp_path / "ran"
    (mod / "build.sh").write_text(
        f"#!/bin/sh\ntouch {marker}\nmkdir -p build\n"
        f"{shutil.which('python3') or 'python3'} -c \"import wasmtime,sys; "
        "open('build/cmd.wasm','wb').write(wasmtime.wat2wasm(open('hello.wat').read()))\"\n")
    (mod / "build.sh").chmod(0o755)
    (mod / "module.toml").write_text('name = "cmd"\ntoolchain = "command"\n'
                                     'command = "./build.sh"\noutput = "build/cmd.wasm"\n'
                                     'sources = ["hello.wat"]\n')
    return mod, marker


async def test_opening_a_folder_asks_before_its_build_code_runs(tmp_path: Path) -> None:
    mod, marker = _command_module(tmp_path)
    app = WorkbenchApp([mod], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "TrustScreen",
                       what="the trust prompt")
        assert "build.sh" in plain(app.screen.query_one("#trust-text")) or \
            "command" in plain(app.screen.query_one("#trust-text"))
        assert not marker.exists()  # nothing ran before the answer
        # the refused startup build is not also a "build failed" toast over the prompt
        await wait_for(pilot, lambda: app.modules["cmd"].build == "failed",
                       what="the refused startup build")
        await pilot.pause(0.2)
        assert not [n for n in app._notifications if "build failed" in (n.title or "")]
        await pilot.press("t")
        await wait_for(pilot, marker.exists, timeout=60, what="the trusted build to run")
        await wait_for(pilot, lambda: app.modules["cmd"].build == "ok", timeout=60,
                       what="the build")


async def test_not_now_then_b_asks_again_and_builds_once_trusted(tmp_path: Path) -> None:
    mod, marker = _command_module(tmp_path)
    app = WorkbenchApp([mod], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "TrustScreen",
                       what="the trust prompt")
        await wait_for(pilot, lambda: app.modules["cmd"].build_result is not None,
                       what="the refused startup build")
        await pilot.press("escape")  # not now: restricted mode
        await pilot.press("6")
        await wait_for(pilot, lambda: "NOT TRUSTED" in plain(app.query_one("#build-summary")),
                       what="the Build view's state")
        summary = plain(app.query_one("#build-summary"))
        assert "FAILED" not in summary and "press b" in summary
        assert app.modules["cmd"].history == []  # nothing was built, no "#1 failed"
        row = _row_text(app, "cmd")
        assert "·" in row and "✖" not in row  # not built yet, not a failure
        assert not marker.exists()
        await pilot.press("b")  # asks again instead of refusing again
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "TrustScreen",
                       what="the trust prompt again")
        assert not marker.exists()
        await pilot.press("t")
        await wait_for(pilot, marker.exists, timeout=60, what="the trusted build to run")
        await wait_for(pilot, lambda: app.modules["cmd"].build == "ok", timeout=60,
                       what="the build")
        await pilot.press("b")  # trusted now: b just rebuilds
        await pilot.pause(0.3)
        assert app.screen.__class__.__name__ != "TrustScreen"


async def test_purity_check_and_signature_state_in_the_app(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        await pilot.press("2")
        await wait_for(pilot, lambda: "not signed" in plain(app.query_one("#abi")),
                       what="the signature line")
        text = await purity_note(pilot, app, "hello-wat")
        assert "safe to reuse" in text and "hello-wat" in text


async def test_a_long_build_shows_progress_with_elapsed_time(tmp_path: Path,
                                                             monkeypatch) -> None:  # noqa: ANN001
    import shutil

    monkeypatch.setenv("WORKBENCH_TRUST", "1")
    mod = tmp_path / "slow"
    mod.mkdir()
    shutil.copy(Path(__file__).parents[2] / "sample_modules" / "hello-wat" / "hello.wat",
                mod / "hello.wat")
    (mod / "build.sh").write_text(
        "#!/bin/sh\nsleep 3\nmkdir -p build\n"
        f"{shutil.which('python3') or 'python3'} -c \"import wasmtime; "
        "open('build/slow.wasm','wb').write(wasmtime.wat2wasm(open('hello.wat').read()))\"\n")
    (mod / "build.sh").chmod(0o755)
    (mod / "module.toml").write_text('name = "slow"\ntoolchain = "command"\n'
                                     'command = "./build.sh"\noutput = "build/slow.wasm"\n'
                                     'sources = ["hello.wat"]\n')
    app = WorkbenchApp([mod], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "building slow" in plain(app.query_one("#status")),
                       what="the building status")
        await pilot.press("6")

        def seconds() -> float:
            text = plain(app.query_one("#build-summary"))
            if "building…" not in text:
                return -1.0
            return float(text.split("building…")[1].split("s")[0].replace(",", ""))

        await wait_for(pilot, lambda: seconds() >= 1.0, what="the elapsed time to tick")
        await wait_for(pilot, lambda: app.modules["slow"].build == "ok", timeout=60,
                       what="the build")


async def test_guest_escape_sequences_never_reach_the_terminal(wat_module: Path) -> None:
    from workbench.core.http import Response
    from workbench.core.runtime.result import LogLine, RunError, RunResult
    from workbench.tui.widgets.runtime_panels import LogsPanel, ResponsePanel

    osc52 = "\x1b]52;c;aGFja2Vk\x07"
    r = RunResult(Response(200, (("x-evil", osc52),), f"hi {osc52} \x1b[2J".encode()),
                  {"total": 1.0}, "fresh", "edge",
                  logs=(LogLine(0.0, "info", f"log {osc52}", None, "log"),),
                  error=RunError("handler", f"boom {osc52}"))
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await wait_for(pilot, lambda: bool(app.query(LogsPanel)), what="the Runtime view")
        app.query_one(ResponsePanel).show(r)
        app.query_one(LogsPanel).show(r)
        await pilot.pause()
        for wid in ("#response-body", "#logs-body"):
            shown = plain(app.query_one(wid))
            assert "\x1b" not in shown and "\\x1b]52" in shown, (wid, shown)


async def test_an_unsigned_module_under_require_signed_is_marked_in_the_list(
        workspace: Path) -> None:
    from workbench.cli import main

    assert main(["keygen", "ci", "--dir", str(workspace / "keys")]) == 0
    toml = workspace / "workbench.toml"
    toml.write_text(toml.read_text().replace(
        "debounce_ms = 50\n", 'debounce_ms = 50\n\n[trust]\nkeys = ["keys/ci.pub"]\n'
        "require_signed = true\n", 1))
    app = WorkbenchApp([workspace], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        await wait_for(pilot, lambda: "⊘" in _row_text(app, "hello-wat"), what="the mark")
        await pilot.press("2")
        await wait_for(pilot, lambda: "REFUSED" in plain(app.query_one("#abi")),
                       what="the Signatures verdict")
