"""Themes: shipped files load, --theme applies, the choice persists, a bad file notifies."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.tui.conftest import wait_for
from workbench.config.shipped import themes_dir
from workbench.core.errors import ConfigError
from workbench.tui import themes
from workbench.tui.app import WorkbenchApp


def test_shipped_themes_load_with_app_variables() -> None:
    loaded = themes.load_themes(themes_dir())
    assert loaded.problems == []
    names = {t.name for t in loaded.themes}
    assert len(names) >= 3
    assert any(not t.dark for t in loaded.themes), "at least one light theme"
    for theme in loaded.themes:
        assert set(themes.APP_VARIABLES) <= set(theme.variables), theme.name


@pytest.mark.parametrize("text, key", [
    ('name = "x"\n', "primary"),
    ('name = "x"\nprimary = "not-a-colour"\n', "primary"),
    ('name = "x"\nprimary = "#fff"\nsparkle = 1\n', "sparkle"),
    ('name = "x"\nprimary = "#fff"\n[variables]\nsection-code = 12\n', "variables.section-code"),
    ('this is = not toml = at all', None),
])
def test_bad_theme_file_names_the_key(tmp_path: Path, text: str, key: str | None) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        themes.theme_from_toml(path)
    assert info.value.file == str(path)
    if key:
        assert info.value.key == key


async def test_theme_flag_persists_and_bad_user_theme_notifies(private_config: Path,
                                                               wat_module: Path) -> None:
    user_themes = private_config / "workbench" / "themes"
    user_themes.mkdir(parents=True)
    (user_themes / "broken.toml").write_text('name = "broken"\nprimary = 7\n')
    app = WorkbenchApp([wat_module], theme="workbench-light", watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.theme == "workbench-light", what="the theme")
        await wait_for(pilot, lambda: any("broken.toml" in n.message
                                          for n in app._notifications), what="the notice")
        app.theme = "workbench-ember"
        await wait_for(pilot, lambda: themes.saved_theme() == "workbench-ember",
                       what="theme saved")
    doc = tomllib.loads((private_config / "workbench" / "config.toml").read_text())
    assert doc["theme"] == "workbench-ember"
    # the next start without --theme uses the saved one
    app2 = WorkbenchApp([wat_module], watch=False)
    async with app2.run_test(size=(100, 30)) as pilot2:
        await wait_for(pilot2, lambda: app2.theme == "workbench-ember", what="saved theme")


async def test_unknown_theme_falls_back_with_a_notification(wat_module: Path) -> None:
    app = WorkbenchApp([wat_module], theme="no-such-theme", watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: any("no-such-theme" in n.message
                                          for n in app._notifications), what="the notice")
        assert app.theme == themes.DEFAULT_THEME
