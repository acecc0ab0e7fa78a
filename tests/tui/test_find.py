"""The find bar: ctrl+f or / in the Build output, the Runtime response and log, and help.

Each test opens it where a user would, types a query and reads the screen: the matches
are highlighted, the count reads "k/N", n / enter move, esc closes and clears."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.tui.conftest import built, highlighted, plain, wait_for
from workbench.core.http import Request
from workbench.tui import runtime_jobs
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.findbar import CURRENT, MATCH, FindableText, FindBar, find_spans


def test_find_spans_is_case_insensitive_and_does_not_overlap() -> None:
    assert find_spans("Error: error ERROR", "error") == [(0, 5), (7, 12), (13, 18)]
    assert find_spans("aaaa", "aa") == [(0, 2), (2, 4)]
    assert find_spans("abc", "") == []


async def test_find_in_build_output_counts_moves_and_closes(wat_module: Path) -> None:
    wat = wat_module / "hello.wat"
    lines = wat.read_text().splitlines()
    lines.insert(5, "(func $broken (result i32) (i32.add (i32.const 1) (nosuchop)))")
    wat.write_text("\n".join(lines) + "\n")  # a compile error: the output quotes the line
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the build")
        await pilot.press("6")
        await wait_for(pilot, lambda: "nosuchop" in plain(app.query_one("#build-output")),
                       what="the compiler output")
        output = app.query_one("#build-output", FindableText)
        word = "i32"
        expected = output.plain.lower().count(word)
        assert expected >= 2
        app.set_focus(None)
        await pilot.press("ctrl+f")
        bar = app.query_one("#build-find", FindBar)
        await wait_for(pilot, lambda: bar.is_open and bar.display, what="the find bar")
        await pilot.press(*word)
        count = app.query_one("#build-find #find-count")
        await wait_for(pilot, lambda: plain(count).strip() == f"1/{expected}",
                       what="the match count")
        await pilot.press("enter")
        await wait_for(pilot, lambda: plain(count).strip() == f"2/{expected}", what="2/N")
        await pilot.press("shift+enter")
        await wait_for(pilot, lambda: plain(count).strip() == f"1/{expected}", what="1/N")
        assert output.match_count == expected and output.current == 0
        await pilot.pause()
        assert [t.lower() for t in highlighted(app, "dark_orange")] == [word]
        await pilot.press("escape")
        await wait_for(pilot, lambda: not bar.is_open, what="the bar closed")
        assert output.match_count == 0  # highlights cleared
        await pilot.pause()
        assert highlighted(app, "dark_orange") == [] and highlighted(app, "yellow") == []
        assert app.query_one("#views").active == "tab-build"


async def test_slash_finds_in_the_response_body_and_n_moves(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the build")
        await pilot.press("3")
        await wait_for(pilot, lambda: bool(app.query("#response-body")), what="Runtime")
        state = app.modules["hello-wat"]
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: state.last_run is not None, what="the response")
        await pilot.pause()
        body = app.query_one("#response-body", FindableText)
        assert "HTTP 200" in body.plain
        app.set_focus(None)
        await pilot.press("slash")
        bar = app.query_one("#runtime-find", FindBar)
        await wait_for(pilot, lambda: bar.is_open, what="the find bar")
        assert bar.target is body
        await pilot.press(*"content")
        total = body.plain.lower().count("content")
        assert total >= 1
        count = app.query_one("#runtime-find #find-count")
        await wait_for(pilot, lambda: plain(count).strip() == f"1/{total}", what="1/N")
        await pilot.pause()
        # on screen: the current match in orange, the others in yellow
        assert [t.lower() for t in highlighted(app, "dark_orange")] == ["content"]
        assert all(t.lower() == "content" for t in highlighted(app, "yellow"))
        app.set_focus(None)  # out of the field: n / N move
        await pilot.press("n")
        want = f"{2 if total > 1 else 1}/{total}"
        await wait_for(pilot, lambda: plain(count).strip() == want, what="n moved")
        await pilot.press(*"zzz")  # focus is out of the field: zzz are not typed
        assert app.query_one("#runtime-find Input", Input).value == "content"


async def test_find_in_guest_logs(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the build")
        state = app.modules["hello-wat"]
        state.last_run = runtime_jobs.run_request(state, Request("GET", "/"),
                                                  runtime_jobs.RunOptions())
        await pilot.press("3")
        await wait_for(pilot, lambda: bool(app.query("#logs-body")), what="Runtime")
        app.refresh_views()
        app.query_one("#runtime-tabs").active = "rt-logs"
        await pilot.pause()
        logs = app.query_one("#logs-body", FindableText)
        lines = [ln for ln in logs.plain.splitlines() if ln.strip()]
        assert lines, "the sample logs a line per request"
        word = lines[0].split()[-1][:4]
        app.set_focus(None)
        await pilot.press("ctrl+f")
        bar = app.query_one("#runtime-find", FindBar)
        await wait_for(pilot, lambda: bar.is_open, what="the find bar")
        assert bar.target is logs
        await pilot.press(*word)
        total = logs.plain.lower().count(word.lower())
        count = app.query_one("#runtime-find #find-count")
        await wait_for(pilot, lambda: plain(count).strip() == f"1/{total}", what="k/N")
        await pilot.press(*"qqqqzz")
        await wait_for(pilot, lambda: "no match" in plain(count), what="no match")


async def test_find_in_help_and_escape_closes_the_bar_not_the_help(
        wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="the build")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen.query("#help-text"), what="the help")
        help_text = app.screen.query_one("#help-text", FindableText)
        assert "[trust]" in help_text.plain  # brackets in the text are not eaten as markup
        await pilot.press("slash")
        bar = app.screen.query_one("#help-find", FindBar)
        await wait_for(pilot, lambda: bar.is_open, what="the help's find bar")
        await pilot.press(*"budget")
        total = help_text.plain.lower().count("budget")
        count = app.screen.query_one("#help-find #find-count")
        await wait_for(pilot, lambda: plain(count).strip() == f"1/{total}", what="k/N")
        assert total >= 2
        await pilot.pause()
        assert [t.lower() for t in highlighted(app, "dark_orange")] == ["budget"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: plain(count).strip() == f"2/{total}", what="2/N")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not bar.is_open, what="bar closed")
        assert app.screen.query("#help-text")  # the help is still open
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.screen.query("#help-text"), what="help closed")


def test_highlight_styles_differ() -> None:
    assert MATCH != CURRENT
