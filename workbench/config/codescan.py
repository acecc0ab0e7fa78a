"""Which builds run (or read outside) the folder's own code: the input to workspace trust.

A build "runs the folder's code" when it executes a program the folder controls or lets the
folder steer the compiler into reading files outside it (docs/config.md, "Workspace trust"):

- `command`: a shell command from module.toml -> always.
- `rust`: cargo runs build.rs, dependencies' build scripts and proc macros, and obeys
  `.cargo/config.toml` (rustc wrappers) -> always.
- `assemblyscript`: node runs the folder's `node_modules/assemblyscript` -> always.
- `wat`: the in-process wasmtime WAT compiler runs nothing and reads the one .wat file
  (confined to the folder at build time) -> never.
- `c` / `zig` via the bundled zig: the compiler executes nothing of the folder's, but
  clang includes any file it is told to (`#include "/proc/self/environ"` puts the
  environment in a diagnostic; `#embed` puts a key in the module) and `flags` can load
  compiler plugins (`-fplugin=`). So C and Zig are safe *only* when the scan below
  proves every include stays in the folder: no `flags`; every `#include`/`#embed`/
  `@cInclude`/`@embedFile` argument is a literal path that resolves inside the module
  folder (symlinks followed) or a `<name>` system header without `..`; no macro-computed
  includes; no source symlinked out. Anything else needs trust, with the reason.

`code_runs(cfg)` lists the reasons (empty: safe to build untrusted); `digest(cfg)` hashes
what would run (settings + build scripts) so a change asks for trust again.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.config.module import ModuleConfig
from workbench.core.files import SOURCE_LIMIT, FileRefused, confined, read_limited

ALWAYS = {"command": "runs the shell command {command!r} from {file}",
          "rust": "runs cargo: build.rs, dependencies' build scripts and proc macros",
          "assemblyscript": "runs node on the folder's node_modules (asc and npm scripts)"}
# Files whose content decides what a build runs, per toolchain (hashed into the digest).
BUILD_FILES = {
    "command": ("Makefile", "makefile", "GNUmakefile", "build.sh", "justfile", "Justfile",
                "CMakeLists.txt", "package.json"),
    "rust": ("Cargo.toml", "Cargo.lock", "build.rs", ".cargo/config.toml", ".cargo/config",
             "rust-toolchain.toml", "rust-toolchain"),
    "assemblyscript": ("package.json", "package-lock.json", "asconfig.json"),
}
MAX_SCANNED = 2000  # files followed through includes before giving up (then: needs trust)
_DIRECTIVE = re.compile(r"^[ \t]*(?:#|%:)[ \t]*(include_next|include|import|embed)\b(.*)$",
                        re.M)
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_ZIG_FILE = re.compile(r"@(cInclude|embedFile|import)\s*\(\s*([^)]*)\)")


@dataclass(frozen=True)
class CodeRun:
    """One reason a module's build needs trust."""

    module: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"module": self.module, "reason": self.reason}


def code_runs(cfg: ModuleConfig) -> tuple[CodeRun, ...]:
    """Why building `cfg` would run (or read outside) the folder's code; () when it is safe."""
    if cfg.toolchain in ALWAYS:
        where = cfg.config_file.name if cfg.config_file is not None else "module.toml"
        return (CodeRun(cfg.name, ALWAYS[cfg.toolchain].format(command=cfg.command,
                                                               file=where)),)
    if cfg.toolchain not in ("c", "zig"):
        return ()
    reasons: list[str] = []
    if cfg.flags:
        reasons.append(f"passes flags {list(cfg.flags)} to the compiler (flags can load "
                       "plugins or add include folders)")
    reasons += _scan_includes(cfg)
    return tuple(CodeRun(cfg.name, r) for r in reasons)


def _starts(cfg: ModuleConfig) -> list[Path]:
    from workbench.core.build.sources import source_files

    suffix = ".c" if cfg.toolchain == "c" else ".zig"
    return [p for p in source_files(cfg.root, cfg.sources) if p.suffix in (suffix, ".h")]


def _scan_includes(cfg: ModuleConfig) -> list[str]:
    """Follow includes from the sources; every problem found, as a sentence."""
    problems: list[str] = []
    todo = _starts(cfg)
    seen: set[Path] = set()
    while todo and len(problems) < 5:
        path = todo.pop()
        rel = _rel(path, cfg.root)
        try:
            real = confined(path, cfg.root)
        except FileRefused:
            problems.append(f"{rel} is a symlink to {os.path.realpath(path)}, outside the folder")
            continue
        if real in seen:
            continue
        seen.add(real)
        if len(seen) > MAX_SCANNED:
            problems.append(f"more than {MAX_SCANNED} files are included: not scanned")
            break
        try:
            text = read_limited(real, limit=SOURCE_LIMIT).decode("utf-8", "replace")
        except FileRefused as exc:
            problems.append(f"{rel}: {exc.message}")
            continue
        for kind, arg in _includes(text, real.suffix == ".zig"):
            target, problem = _resolve(kind, arg, real.parent, cfg.root)
            if problem:
                problems.append(f"{rel}: {kind} {arg.strip()[:80]} {problem}")
            elif target is not None and target.is_file():
                todo.append(target)
    return problems


def _includes(text: str, zig: bool) -> list[tuple[str, str]]:
    if zig:
        return [("@" + m.group(1), m.group(2)) for m in _ZIG_FILE.finditer(text)]
    text = _BLOCK_COMMENT.sub(" ", text.replace("\\\n", ""))
    return [("#" + m.group(1), m.group(2).split("//")[0]) for m in _DIRECTIVE.finditer(text)]


def _resolve(kind: str, arg: str, here: Path, root: Path) -> tuple[Path | None, str | None]:
    """(the local file an include names, or None for a system header; a problem or None)."""
    arg = arg.strip()
    if kind == "@import" and not arg.startswith('"'):
        return None, None
    if arg.startswith("<") and arg.endswith(">") and kind.startswith("#"):
        name = arg[1:-1]
        if name.startswith("/") or ".." in Path(name).parts:
            return None, "leaves the system include folders"
        return None, None
    if not (arg.startswith('"') and arg.endswith('"') and len(arg) >= 2):
        return None, "is not a literal path (a macro or computed name may point anywhere)"
    name = arg[1:-1]
    if kind == "@import" and not name.endswith(".zig"):
        return None, None  # a package name such as "std"
    candidate = here / name
    if name.startswith("/") or not candidate.exists():
        if name.startswith("/") or ".." in Path(name).parts:
            return None, "names a path outside the folder"
        return None, None  # not here: clang searches the system headers next
    try:
        return confined(candidate, root), None
    except FileRefused:
        return None, f"resolves to {os.path.realpath(candidate)}, outside the folder"


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def digest(cfg: ModuleConfig) -> str:
    """sha256 of what the build would run: its settings and its build files' contents."""
    h = hashlib.sha256()
    settings = [cfg.toolchain, cfg.command or "", cfg.profile, cfg.target, *cfg.flags, "|",
                *cfg.sources, "|", *cfg.exports]
    h.update("\0".join(settings).encode())
    for rel in _build_files(cfg):
        h.update(b"\0file\0" + rel.encode() + b"\0")
        try:
            h.update(read_limited(cfg.root / rel, inside=cfg.root, limit=SOURCE_LIMIT))
        except FileRefused as exc:
            h.update(b"refused:" + exc.message.encode())
    return "sha256:" + h.hexdigest()


def _build_files(cfg: ModuleConfig) -> list[str]:
    names = list(BUILD_FILES.get(cfg.toolchain, ()))
    if cfg.toolchain == "command" and cfg.command:
        try:
            words = shlex.split(cfg.command)
        except ValueError:
            words = cfg.command.split()
        names += [w for w in words if "/" in w or "." in w]  # ./build.sh, scripts/x.py
    elif cfg.toolchain in ("c", "zig"):
        names += [_rel(p, cfg.root) for p in _starts(cfg)]
    output = cfg.output.resolve()  # what the build writes is not what it runs: a command
    # naming its output (`cp x build/m.wasm`) would otherwise look changed after every build
    return sorted({n for n in names if (cfg.root / n).is_file()
                   and (cfg.root / n).resolve() != output})
