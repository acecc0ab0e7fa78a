"""Reading files a folder (not the user) names: regular files only, size-capped, confined.

A module folder is untrusted input. A path in it can be a symlink to /proc/self/environ
(the environment, with its CI tokens), a FIFO (a read that never returns) or /dev/zero (a
read that never ends). `read_limited(path, inside=root)` reads a file only when

- it resolves (symlinks followed) to a path inside `inside` (None: anywhere; for paths the
  user typed on the command line),
- it is a regular file (stat before open, so a FIFO is never opened; fstat after open, so
  a swap in between is caught; O_NONBLOCK so even a raced FIFO open does not block),
- it holds at most `limit` bytes (read `limit + 1` and refuse when that many came back:
  /proc files report size 0, so st_size alone is not enough).

Anything else is a `FileRefused` (a typed, user-facing error naming the file and why).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from workbench.core.errors import WorkbenchError

MIB = 1024 * 1024
TEXT_LIMIT = 8 * MIB  # config, hooks, request files: far above any real one
BODY_LIMIT = 64 * MIB  # request bodies (--data @file, hooks respond file =)
SOURCE_LIMIT = 64 * MIB  # a .wat source
WASM_LIMIT = 1024 * MIB  # a .wasm named on the command line: far above any real module


class FileRefused(WorkbenchError):
    """A file the workbench will not read: outside its folder, not regular, or too big."""

    kind = "file"

    def __init__(self, message: str, *, file: str, hint: str | None = None):
        self.file = file
        super().__init__(message, where=file, hint=hint)


def confined(path: Path, inside: Path) -> Path:
    """`path` with symlinks resolved, or FileRefused when that leaves `inside`."""
    try:
        real = Path(os.path.realpath(path))
        root = Path(os.path.realpath(inside))
    except (OSError, ValueError) as exc:
        raise FileRefused(f"cannot resolve the path: {exc}", file=str(path)) from None
    if real != root and root not in real.parents:
        raise FileRefused(f"resolves to {real}, outside {root}", file=str(path),
                          hint="files named by a module folder must stay inside it "
                               "(symlinks are followed)")
    return real


def read_limited(path: str | os.PathLike[str], *, inside: Path | None = None,
                 limit: int = TEXT_LIMIT) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (see the module docstring)."""
    p = Path(path)
    real = confined(p, inside) if inside is not None else p
    try:
        st = os.stat(real)
    except OSError as exc:
        raise FileRefused(f"cannot read: {exc.strerror or exc}", file=str(p)) from None
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(f"not a regular file ({_kind(st.st_mode)})", file=str(p),
                          hint="only regular files are read (no FIFOs, devices or folders)")
    if st.st_size > limit:
        raise _too_big(p, limit)
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise FileRefused(f"cannot read: {exc.strerror or exc}", file=str(p)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped after the stat above
            raise FileRefused("not a regular file", file=str(p))
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, MIB))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise FileRefused(f"cannot read: {exc.strerror or exc}", file=str(p)) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise _too_big(p, limit)
    return data


def read_wasm(path: str | os.PathLike[str]) -> bytes:
    """A .wasm file the user named: any regular file up to WASM_LIMIT (a FIFO would block
    the read for ever, /dev/zero fill memory until the OOM killer ends the process)."""
    return read_limited(path, limit=WASM_LIMIT)


def read_text_limited(path: str | os.PathLike[str], *, inside: Path | None = None,
                      limit: int = TEXT_LIMIT) -> str:
    """`read_limited` decoded as UTF-8 (UnicodeDecodeError propagates for callers' wording)."""
    return read_limited(path, inside=inside, limit=limit).decode("utf-8")


def _too_big(p: Path, limit: int) -> FileRefused:
    return FileRefused(f"larger than the {limit // MIB} MiB limit", file=str(p),
                       hint="a file this large is not a config, request or body file")


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a file"


def deepest_line(text: str) -> int:
    """1-based line where bracket nesting (`[`, `{`) is deepest: where a nested-too-deep
    TOML/JSON document (a RecursionError in its parser) goes wrong. Quotes are skipped."""
    depth = best = 0
    line = best_line = 1
    quote = ""
    escaped = False
    for ch in text:
        if ch == "\n":
            line += 1
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote or ch == "\n":
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > best:
                best, best_line = depth, line
        elif ch in "]}":
            depth -= 1
    return best_line


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Replace `path` with `data` all at once: a temporary file in the same folder renamed
    over it, so a full disk or an interrupt leaves the old file (a key, a signed module)
    whole. OSError on failure, nothing left behind; IsADirectoryError for a folder."""
    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def utf8_problem(data: bytes, err: UnicodeDecodeError) -> tuple[str, int, int, str]:
    """(what, line, column, hint) for text that is not UTF-8: where the first bad byte is
    (1-based; the column counts characters) and what the file probably is instead."""
    start = min(err.start, len(data))
    line = data.count(b"\n", 0, start) + 1
    head = data[data.rfind(b"\n", 0, start) + 1:start]
    column = len(head.decode("utf-8", "replace")) + 1
    what = f"not UTF-8 text (byte 0x{data[start]:02x}: {err.reason})" if start < len(data) \
        else f"not UTF-8 text ({err.reason})"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        hint = "the file is UTF-16 (a Windows editor's \"Unicode\"): save it as UTF-8"
    elif b"\x00" in data[:4096]:
        hint = "the file holds NUL bytes: it looks binary, not text"
    else:
        hint = "save the file as UTF-8 (Latin-1 and other encodings are not read)"
    return what, line, column, hint


NESTING_HINT = "nested too deeply for the parser (thousands of [ or {): not a real config"
