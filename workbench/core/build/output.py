"""Where a build writes, and how the new module replaces the one in service.

Every build gets a private folder under `<module>/build/`; the compiler writes there and
the result replaces the output with one `os.replace` only once it is known good, so a
reader never sees half a module and a failed build never touches the module in service.

A custom command may ignore `$WORKBENCH_OUTPUT` and write the output path itself. Then
the previous module is copied aside first and put back when the build fails, so a
failing command cannot destroy the last good module either.

`strip_custom(data, mode)` applies module.toml's `strip`: "debug" removes DWARF (what
`wasm-ld --strip-debug` keeps: the name section, producers, target features), "all"
removes every custom section (`wasm-ld -s`), "none" keeps everything.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

PARTIAL_PREFIX = ".partial-"
BACKUP = "previous.wasm"
BACKUP_OF = "previous.path"


def strip_custom(data: bytes, mode: str) -> bytes:
    """`data` without the custom sections `mode` drops (see module docstring)."""
    if mode == "none":
        return data
    from workbench.core.size.strip import strip_bytes
    from workbench.core.wasm import parse_module

    module = parse_module(data)
    customs = {s.name for s in module.sections if s.is_custom}
    if mode == "all":
        keep: set[str] = set()
    else:
        keep = {n for n in customs if not n.startswith(".debug_")
                and n not in ("external_debug_info", "sourceMappingURL")}
    if keep == customs:
        return data
    return strip_bytes(module, keep)


class OutputSlot:
    """The private folder of one build and the commit/rollback of its output."""

    def __init__(self, build_dir: Path, output: Path, direct: Path | None = None):
        self.output = output
        self.private = build_dir / f"{PARTIAL_PREFIX}{os.getpid()}-{threading.get_ident()}"
        # The file keeps the output's name: wasm-ld records it in the module, and a varying
        # name would make identical sources produce different bytes (spurious deltas).
        self.partial = self.private / output.name
        self.direct = direct
        self._backup: Path | None = None
        self._direct_before: tuple[int, int] | None = None

    def prepare(self) -> None:
        """Create the folders; back up a module a command may overwrite. Raises OSError."""
        _remove_abandoned(self.private.parent)
        self.private.mkdir(parents=True, exist_ok=True)
        self.output.parent.mkdir(parents=True, exist_ok=True)
        if self.direct is not None and self.direct.is_file():
            self._backup = self.private / BACKUP
            shutil.copy2(self.direct, self._backup)
            # names the module the backup belongs to, for the next build if we are killed
            (self.private / BACKUP_OF).write_text(str(self.direct), "utf-8")
            self._direct_before = _signature(self.direct)

    def produced(self, planned: Path) -> Path:
        """Where the module is: the planned file, else a directly written output."""
        if planned.is_file() or self.direct is None:
            return planned
        return self.direct if self.direct_changed() else planned

    def direct_changed(self) -> bool:
        return self.direct is not None and _signature(self.direct) != self._direct_before

    def install(self, data: bytes, produced: Path, original: bytes) -> None:
        """Make `data` the module in service, atomically. Raises OSError."""
        if produced == self.output and data == original:
            return  # a command wrote the output itself; nothing to change
        if produced == self.partial and data == original:
            os.replace(self.partial, self.output)
            return
        tmp = self.private / f"{self.output.name}.new"
        tmp.write_bytes(data)
        os.replace(tmp, self.output)

    def rollback(self) -> None:
        """After a failure: undo a command's direct write of the output."""
        if not self.direct_changed() or self.direct is None:
            return
        try:
            if self._backup is not None:
                os.replace(self._backup, self.direct)
            else:
                self.direct.unlink(missing_ok=True)  # nothing good was there before
        except OSError:
            pass

    def cleanup(self) -> None:
        shutil.rmtree(self.private, ignore_errors=True)


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _remove_abandoned(build_dir: Path) -> None:
    """Remove private folders of builds whose process died (killed mid-build), putting
    back the module a killed `command` build had backed up: that build never finished,
    so whatever it left at the output was never accepted."""
    try:
        entries = list(build_dir.glob(f"{PARTIAL_PREFIX}*"))
    except OSError:
        return
    for entry in entries:
        pid_text = entry.name[len(PARTIAL_PREFIX):].split("-", 1)[0]
        if not pid_text.isdecimal() or int(pid_text) == os.getpid():
            continue
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            _restore_backup(entry)
            shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            pass  # alive (or not ours to probe)


def _restore_backup(private: Path) -> None:
    backup = private / BACKUP
    try:
        target = Path((private / BACKUP_OF).read_text("utf-8"))
        if backup.is_file() and target.suffix == ".wasm":  # output must end in .wasm
            os.replace(backup, target)
    except (OSError, UnicodeDecodeError):
        pass
