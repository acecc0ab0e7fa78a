"""Open a file at a line in the user's editor ($VISUAL, else $EDITOR).

The command line each editor family understands, built as a pure function (tested
without an editor): VS Code-likes take `-g file:line:col`, vi/emacs/nano/micro/helix
style editors `+line file`; anything else gets the file alone.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

GOTO_FLAG = ("code", "code-insiders", "codium", "cursor", "windsurf")
PLUS_LINE = ("vi", "vim", "nvim", "gvim", "mvim", "view", "emacs", "emacsclient", "nano",
             "micro", "kak", "hx", "helix", "ne", "joe", "mg", "jed")


def editor_from_env(env: dict[str, str] | None = None) -> list[str] | None:
    """The editor command from $VISUAL or $EDITOR, split like a shell would, or None."""
    env = dict(os.environ) if env is None else env
    for var in ("VISUAL", "EDITOR"):
        value = env.get(var, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError:
                return [value]
    return None


def editor_command(editor: list[str], path: Path, line: int | None = None,
                   column: int | None = None) -> list[str]:
    """argv that opens `path` at `line` (and `column` where the editor takes one)."""
    name = Path(editor[0]).name.removesuffix(".exe")
    if line is None:
        return [*editor, str(path)]
    if name in GOTO_FLAG:
        where = f"{path}:{line}" + (f":{column}" if column else "")
        return [*editor, "-g", where]
    if name in PLUS_LINE:
        return [*editor, f"+{line}", str(path)]
    return [*editor, str(path)]
