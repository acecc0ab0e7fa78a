"""Where the app writes a request the user saves: the module's own request file(s).

`requests = "x.hurl"` in module.toml: that file; a requests folder (the default
`requests/`): `saved.hurl` in it. Either way replay picks the entry up with the rest.
"""

from __future__ import annotations

from pathlib import Path


def saved_requests_file(module_root: Path, configured: Path | None) -> Path:
    if configured is not None and configured.suffix in (".hurl",) and not configured.is_dir():
        return configured
    folder = configured if configured is not None and configured.is_dir() else \
        module_root / "requests"
    return folder / "saved.hurl"


def append_entry(path: Path, text: str) -> Path:
    """Append a Hurl entry to `path` (creating its folder and the file); returns it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    sep = "" if not existing or existing.endswith("\n\n") else \
        ("\n" if existing.endswith("\n") else "\n\n")
    with path.open("a", encoding="utf-8") as out:
        out.write(sep + text)
    return path
