"""Textual's Select raises NoMatches from its value watcher when its label is not mounted
(seen as a flaky app crash at quit under load); SafeSelect keeps the value and goes on."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.css.query import NoMatches
from textual.widgets import Select, Static
from textual.widgets._select import SelectCurrent

from workbench.tui.widgets.select import SafeSelect


class _One(App[None]):
    def __init__(self, cls: type[Select]) -> None:
        super().__init__()
        self.cls = cls

    def compose(self) -> ComposeResult:
        yield self.cls([("fresh", "fresh"), ("warm", "warm")], value="fresh",
                       allow_blank=False, id="s")


async def _set_with_label_gone(cls: type[Select]) -> str:
    app = _One(cls)
    async with app.run_test() as pilot:
        select = app.query_one("#s", Select)
        await select.query_one(SelectCurrent).query_one("#label", Static).remove()
        await pilot.pause()
        select._watch_value("warm")  # what Textual runs when the value is set mid-mount
        return str(select._value)


async def test_plain_select_raises_when_its_label_is_missing() -> None:
    with pytest.raises(NoMatches):
        await _set_with_label_gone(Select)


async def test_safe_select_keeps_the_value() -> None:
    assert await _set_with_label_gone(SafeSelect) == "warm"
