"""Themes from `themes/*.toml` (and the user's own), each turned into a Textual `Theme`.

A theme file holds Theme's colour fields plus a `[variables]` table with the app's own
colours (`section-code`, `size-growth`, ...). A broken file is reported, not fatal: the
loader returns the themes it could read and a list of problems for the app to `notify`
(the approach Posting takes). The chosen theme is persisted in the user config.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

from workbench.config.shipped import themes_dir
from workbench.core.errors import ConfigError

DEFAULT_THEME = "workbench-dark"
COLOR_KEYS = ("primary", "secondary", "warning", "error", "success", "accent",
              "foreground", "background", "surface", "panel", "boost")
# The app's own variables and their fallbacks (used by built-in Textual themes too).
APP_VARIABLES: dict[str, str] = {
    "section-code": "#4EA8DE", "section-data": "#F4A261", "section-debug": "#9D8CD9",
    "section-custom": "#8D99AE", "section-meta": "#52B788",
    "size-growth": "#E76F51", "size-shrink": "#52B788",
}


@dataclass
class ThemeLoad:
    themes: list[Theme] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def config_dir() -> Path:
    """$XDG_CONFIG_HOME/workbench (or ~/.config/workbench)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "workbench"


def theme_from_toml(path: Path) -> Theme:
    """Read one theme file; raise ConfigError naming the file and key on any mistake."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read theme: {err}", file=str(path)) from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"not valid TOML: {err}", file=str(path)) from None
    name = doc.get("name") or path.stem
    if not isinstance(name, str):
        raise ConfigError("must be a string", file=str(path), key="name")
    if "primary" not in doc:
        raise ConfigError("missing (every theme needs a primary colour)", file=str(path),
                          key="primary")
    allowed = {*COLOR_KEYS, "name", "dark", "variables", "luminosity_spread", "text_alpha"}
    for key in doc:
        if key not in allowed:
            raise ConfigError("unknown key", file=str(path), key=key,
                              hint="allowed: " + ", ".join(sorted(allowed)))
    colors: dict[str, str] = {}
    for key in COLOR_KEYS:
        if key in doc:
            colors[key] = _color(doc[key], path, key)
    variables = doc.get("variables", {})
    if not isinstance(variables, dict):
        raise ConfigError("must be a table", file=str(path), key="variables")
    for key, value in variables.items():
        if key in APP_VARIABLES:
            _color(value, path, f"variables.{key}")
    dark = doc.get("dark", True)
    if not isinstance(dark, bool):
        raise ConfigError("must be true or false", file=str(path), key="dark")
    return Theme(name=name, dark=dark, variables={k: str(v) for k, v in variables.items()},
                 **colors)  # type: ignore[arg-type]


def _color(value: object, path: Path, key: str) -> str:
    if not isinstance(value, str):
        raise ConfigError("must be a colour string like \"#4EA8DE\"", file=str(path), key=key)
    try:
        Color.parse(value)
    except ColorParseError:
        raise ConfigError(f"not a colour: {value!r}", file=str(path), key=key) from None
    return value


def load_themes(*dirs: Path) -> ThemeLoad:
    """Every *.toml in the shipped and user theme folders; problems collected, not raised."""
    out = ThemeLoad()
    folders = dirs or (themes_dir(), config_dir() / "themes")
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                out.themes.append(theme_from_toml(path))
            except ConfigError as err:
                out.problems.append(str(err))
    return out


def saved_theme() -> str | None:
    """The theme name persisted by `save_theme`, if any (a broken config is ignored)."""
    path = config_dir() / "config.toml"
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("theme")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    return value if isinstance(value, str) else None


def save_theme(name: str) -> None:
    """Persist the theme choice, keeping the other lines of the user's config."""
    path = config_dir() / "config.toml"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    kept = [ln for ln in lines if not ln.strip().startswith("theme")]
    idx = next((i for i, ln in enumerate(kept) if ln.strip().startswith("[")), len(kept))
    kept.insert(idx, f"theme = {name!r}".replace("'", '"'))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    except OSError:
        pass  # a read-only home must not break theme switching
