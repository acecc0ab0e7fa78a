"""Compiler output parsed into `Diagnostic` records (file, line, column, severity, message).

The whole output is always kept beside the records (in `BuildResult.output`): parsers
are best-effort and a message they do not recognise must still reach the user. Formats:
clang and zig (`file:line:col: error: msg`), linker lines (`wasm-ld: error: msg`),
rustc (`error[E0425]: msg` then ` --> file:line:col`), wasmtime's WAT errors
(`msg` then `--> <anon>:line:col`) and AssemblyScript (`ERROR TS2304: msg` ... `in file(l,c)`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True, slots=True)
class Diagnostic:
    file: str | None
    line: int | None
    column: int | None
    severity: str  # error | warning | note
    message: str

    def location(self) -> str:
        parts = [self.file or "<build>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        if self.file is None:  # a linker or tool message about no particular file
            return f"{self.severity}: {self.message}"
        return f"{self.location()}: {self.severity}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


_CLANG = re.compile(
    r"^(?P<file>[^\s:][^:\n]*?):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<sev>fatal error|error|warning|note): (?P<msg>.*)$", re.M)
_LINKER = re.compile(r"^.*?\b(?:wasm-ld|ld\.lld)(?:-\d+)?: (?P<sev>error|warning): (?P<msg>.*)$",
                     re.M)
_BARE = re.compile(r"^(?P<sev>error|warning): (?P<msg>.*)$", re.M)
_RUSTC_HEAD = re.compile(r"^(?P<sev>error|warning)(?:\[(?P<code>[A-Z]\d+)\])?: (?P<msg>.*)$")
_RUSTC_LOC = re.compile(r"^\s*--> (?P<file>.+?):(?P<line>\d+):(?P<col>\d+)\s*$")
_ASC_HEAD = re.compile(r"^(?P<sev>ERROR|WARNING|PEDANTIC|INFO)(?: (?P<code>[A-Z]+\d+))?: "
                       r"(?P<msg>.*)$")
_ASC_LOC = re.compile(r"^\s*└─ in (?P<file>.+?)\((?P<line>\d+),(?P<col>\d+)\)\s*$")
_NODE_ERROR = re.compile(r"^(?P<name>(?:[A-Z]\w*)?Error): (?P<msg>.+)$", re.M)


def _severity(word: str) -> str:
    word = word.lower()
    if word in ("fatal error", "error"):
        return "error"
    if word == "warning":
        return "warning"
    return "note"


def parse_clang(output: str) -> tuple[Diagnostic, ...]:
    """clang / zig cc / zig build-exe output, plus linker errors without a location."""
    found: list[tuple[int, Diagnostic]] = []
    for m in _CLANG.finditer(output):
        found.append((m.start(), Diagnostic(m["file"], int(m["line"]), int(m["col"]),
                                            _severity(m["sev"]), m["msg"].strip())))
    for m in _LINKER.finditer(output):
        found.append((m.start(), Diagnostic(None, None, None, _severity(m["sev"]),
                                            m["msg"].strip())))
    if not found:  # e.g. "error: unable to parse target query ..."
        for m in _BARE.finditer(output):
            found.append((m.start(), Diagnostic(None, None, None, _severity(m["sev"]),
                                                m["msg"].strip())))
    return _dedupe(d for _, d in sorted(found, key=lambda pair: pair[0]))


MAX_DIAGNOSTICS = 200


def _dedupe(diags: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Drop repeats (a linker reports one undefined symbol per use) and cap the count."""
    seen: set[Diagnostic] = set()
    out: list[Diagnostic] = []
    for d in diags:
        if d not in seen:
            seen.add(d)
            out.append(d)
    return tuple(out[:MAX_DIAGNOSTICS])


def parse_rustc(output: str) -> tuple[Diagnostic, ...]:
    """rustc/cargo human output: a header line, then ` --> file:line:col` a few lines on."""
    lines = output.splitlines()
    found: list[Diagnostic] = []
    for i, line in enumerate(lines):
        head = _RUSTC_HEAD.match(line)
        if head is None:
            continue
        msg = head["msg"].strip()
        if head["code"]:
            msg = f"{msg} [{head['code']}]"
        file = row = col = None
        for follow in lines[i + 1:i + 4]:
            loc = _RUSTC_LOC.match(follow)
            if loc:
                file, row, col = loc["file"], int(loc["line"]), int(loc["col"])
                break
        if file is None and msg.startswith(("aborting due to", "could not compile")):
            continue  # summaries, not diagnostics
        found.append(Diagnostic(file, row, col, _severity(head["sev"]), msg))
    return tuple(found)


def parse_wat(message: str, file: str) -> tuple[Diagnostic, ...]:
    """wasmtime.wat2wasm's error: first line is the message, `--> <anon>:L:C` the place."""
    first = message.strip().splitlines()[0] if message.strip() else "invalid WAT"
    m = re.search(r"-->\s*[^\n]*?:(\d+):(\d+)", message)
    if m is None:
        return (Diagnostic(file, None, None, "error", first),)
    return (Diagnostic(file, int(m.group(1)), int(m.group(2)), "error", first),)


def parse_asc(output: str) -> tuple[Diagnostic, ...]:
    """AssemblyScript's `asc` (0.28) output, one diagnostic per header line:

        ERROR TS2304: Cannot find name 'q'.
           :
         9 │ return ptr + q;
           │              ~
           └─ in assembly/index.ts(9,16)

    The first `└─ in file(line,col)` after a header is its place; later ones (a
    duplicate's first definition) are context. A header without one (`ERROR TS6054:
    File 'x.ts' not found.`) has no place. The code is kept as ` [TS2304]`, as rustc's
    are. asc crashing in node (a stack trace) gives the JavaScript error's own line.
    """
    found: list[Diagnostic] = []
    head: re.Match[str] | None = None
    located = False
    for line in output.splitlines():
        m = _ASC_HEAD.match(line)
        if m is not None:
            if head is not None and not located:
                found.append(_asc_diagnostic(head, None))
            head, located = m, False
            continue
        loc = _ASC_LOC.match(line)
        if loc is not None and head is not None and not located:
            found.append(_asc_diagnostic(head, loc))
            located = True
    if head is not None and not located:
        found.append(_asc_diagnostic(head, None))
    if not found:
        crash = _NODE_ERROR.search(output)
        if crash is not None:
            found.append(Diagnostic(None, None, None, "error",
                                    f"asc failed: {crash['name']}: {crash['msg'].strip()}"))
    return _dedupe(found) or parse_clang(output)


def _asc_diagnostic(head: re.Match[str], loc: re.Match[str] | None) -> Diagnostic:
    sev = {"ERROR": "error", "WARNING": "warning", "PEDANTIC": "warning"}.get(head["sev"], "note")
    msg = head["msg"].strip() + (f" [{head['code']}]" if head["code"] else "")
    if loc is None:
        return Diagnostic(None, None, None, sev, msg)
    return Diagnostic(loc["file"], int(loc["line"]), int(loc["col"]), sev, msg)


def parse_any(output: str) -> tuple[Diagnostic, ...]:
    """For custom commands: try every format, keep whatever matched."""
    return parse_rustc(output) if re.search(r"^\s*--> .+:\d+:\d+", output, re.M) else \
        (parse_asc(output) if "└─ in " in output else parse_clang(output))


def error_count(diagnostics: tuple[Diagnostic, ...]) -> int:
    return sum(1 for d in diagnostics if d.severity == "error")


def relative_diagnostics(diags: tuple[Diagnostic, ...], root: Path) -> tuple[Diagnostic, ...]:
    """Files relative to the module folder: `./edge.h` -> `edge.h`, `/abs/mod/x.c` -> `x.c`.

    Files outside the folder (a compiler's own headers, zig's std) stay absolute.
    """
    out: list[Diagnostic] = []
    root_resolved = root.resolve()
    for d in diags:
        if d.file is None:
            out.append(d)
            continue
        path = Path(d.file)
        if path.is_absolute():
            try:
                rel = path.resolve().relative_to(root_resolved).as_posix()
            except (ValueError, OSError):
                rel = d.file
        else:
            rel = PurePosixPath(*[p for p in PurePosixPath(d.file.replace("\\", "/")).parts
                                  if p != "."]).as_posix()
        out.append(d if rel == d.file else replace(d, file=rel))
    return tuple(out)
