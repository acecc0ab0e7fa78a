"""Binary-format conformance, the spec test suite's way: a `.wast` script of
`(module binary ...)` and `(assert_malformed (module binary ...) ...)` commands.

Rules checked: every module wasmtime validates is read; every module the script says is
malformed is rejected with a MalformedModule carrying an offset inside the file (bodies
included, once the call graph decodes them).

`CASES` below is written here (padded LEB128 encodings the spec allows, and the
malformations it lists for the gaps issue 16 names: data-segment flags, u64 limits,
reference types, mutability, element kind, tag attribute). The spec's own files are not
committed: point $WORKBENCH_SPEC_WAST at a folder of them (e.g. binary.wast,
binary-leb128.wast from WebAssembly/spec test/core) and `test_spec_wast_files` runs
them through the same harness.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import wasmtime

from workbench.core.errors import MalformedModule
from workbench.core.size.callgraph import build_callgraph
from workbench.core.wasm import parse_module

H = r'"\00asm" "\01\00\00\00"'
F = r'"\01\04\01\60\00\00" "\03\02\01\00"'  # one type () -> (), one function of it
CASES = rf"""
(module binary {H} "\05\04\01" "\00\82\00")
(module binary {H} "\05\07\01" "\00\82\80\80\80\00")
(module binary {H} "\05\0c\01" "\00\82\80\80\80\80\80\80\80\80\00")
(module binary {H} "\05\0d\01" "\01\82\00" "\82\80\80\80\80\80\80\80\00")
(module binary {H} "\04\0a\01" "\70\00" "\80\80\80\80\80\80\00")
(module binary {H} "\05\03\01" "\00\00" "\0b\07\01" "\80\00" "\41\00\0b\00")
(module binary {H} "\05\03\01" "\00\00" "\0b\08\01" "\82\00" "\00" "\41\00\0b\00")
(module binary {H} "\05\03\01" "\00\00" "\0b\08\01" "\00\41\00\0b" "\81\00" "x")
(module binary {H} "\0b\05\01" "\81\00" "\01" "y")
(module binary {H} "\04\04\01" "\70\00\00" "\09\07\01" "\80\00" "\41\00\0b\00")
(module binary {H} {F} "\0a\0b\01" "\09\00\41\80\80\80\80\00\1a\0b")
(module binary {H} {F} "\0a\08\01" "\06\01\82\00\7f\01\0b")
(assert_malformed (module binary {H} "\05\08\01" "\00\82\80\80\80\80\80\80\80\80\80\00")
  "integer representation too long")
(assert_malformed (module binary {H} "\05\03\01" "\00\00" "\0b\07\01" "\80\01" "\41\00\0b\00")
  "malformed data segment flags")
(assert_malformed (module binary {H} "\05\03\01" "\00\00" "\0b\07\01" "\82\01" "\41\00\0b\00")
  "malformed data segment flags")
(assert_malformed (module binary {H} "\04\04\01" "\7f\00\00") "malformed reference type")
(assert_malformed (module binary {H} "\04\04\01\70\00\00" "\09\07\01" "\05\7f\01\41\00\0b\00")
  "malformed reference type")
(assert_malformed (module binary {H} "\04\04\01\70\00\00" "\09\05\01" "\01\01\01\00")
  "malformed element kind")
(assert_malformed (module binary {H} "\01\05\01" "\5e\78\02") "malformed mutability")
(assert_malformed (module binary {H} "\01\06\01" "\5f\01\7f\02") "malformed mutability")
(assert_malformed (module binary {H} "\01\04\01\60\00\00" "\0d\03\01\01\00") "malformed tag")
(assert_malformed (module binary {H} "\01\04\01\60\00\00" "\02\07\01\01m\01t\04\01\00")
  "malformed tag")
(assert_malformed (module binary {H} {F} "\0a\05\01" "\03\00\05\0b")
  "else outside if")
(assert_malformed (module binary {H} {F} "\0a\05\01" "\03\00\ff\0b")
  "illegal opcode")
(assert_malformed (module binary {H} {F} "\0a\06\01" "\04\00\02\40\0b")
  "END opcode expected")
(assert_malformed (module binary {H} {F} "\0a\06\01" "\04\00\0b\01\0b")
  "operators remaining after end of function")
(assert_malformed (module binary {H} {F} "\0a\0a\01"
  "\08\00\41\80\80\80\80\70\0b") "integer too large")
(assert_malformed (module binary {H} {F} "\0a\0b\01"
  "\09\01\ff\ff\ff\ff\0f\7f\0b") "too many locals")
"""


_ESCAPES = {"n": b"\n", "t": b"\t", "r": b"\r", "\\": b"\\", "'": b"'", '"': b'"'}


def _string(text: str, i: int) -> tuple[bytes, int]:
    """A .wast string literal starting after its opening quote -> (bytes, next index)."""
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


def _forms(text: str) -> list[list]:
    """The top-level s-expressions of a .wast script (strings as bytes, atoms as str)."""
    stack: list[list] = [[]]
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "(" and text.startswith("(;", i):
            i = text.index(";)", i) + 2
        elif c == ";" and text.startswith(";;", i):
            i = text.find("\n", i) % (n + 1) + 1 if "\n" in text[i:] else n
        elif c == "(":
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
    return stack[0]


def _binary(form: object) -> bytes | None:
    """The bytes of `(module [$id] binary "..." ...)`, else None."""
    if not isinstance(form, list) or not form or form[0] != "module":
        return None
    rest = form[1:]
    if rest and isinstance(rest[0], str) and rest[0].startswith("$"):
        rest = rest[1:]
    if not rest or rest[0] != "binary":
        return None
    return b"".join(x for x in rest[1:] if isinstance(x, bytes))


def _commands(text: str) -> list[tuple[str, bytes, str]]:
    """("module" | "assert_malformed", bytes, expected message) per binary command.
    (The Debian wabt's wast2json stops on Wasm 3.0 encodings such as u64 limits, so the
    script's binary modules are read here; text-format modules are not the reader's.)"""
    out = []
    for form in _forms(text):
        data = _binary(form)
        if data is not None:
            out.append(("module", data, ""))
        elif isinstance(form, list) and form and form[0] == "assert_malformed":
            data = _binary(form[1])
            if data is not None:
                out.append(("assert_malformed", data, form[2].decode()))
    return out


def _validates(data: bytes) -> bool:
    config = wasmtime.Config()
    for feature in ("wasm_gc", "wasm_function_references", "wasm_exceptions",
                    "wasm_memory64", "wasm_multi_memory", "wasm_tail_call"):
        if hasattr(config, feature):
            setattr(config, feature, True)
    try:
        wasmtime.Module.validate(wasmtime.Engine(config), data)
    except Exception:
        return False
    return True


def _run(text: str) -> tuple[int, int]:
    read = rejected = 0
    for kind, data, message in _commands(text):
        if kind == "module":
            if not _validates(data):
                continue
            module = parse_module(data)
            if module.kind == "module":
                build_callgraph(module)
            read += 1
        else:
            with pytest.raises(MalformedModule) as info:
                module = parse_module(data)
                if module.kind == "module":
                    build_callgraph(module)
            assert 0 <= info.value.offset <= len(data), (data.hex(), message)
            rejected += 1
    return read, rejected


def test_curated_cases() -> None:
    assert _run(CASES) == (12, 16)


def test_wasmtime_agrees_with_the_curated_cases() -> None:
    """An independent reader: what the cases call malformed wasmtime rejects too, and it
    accepts every module case (the u64-padded limits too)."""
    for kind, data, message in _commands(CASES):
        assert _validates(data) is (kind == "module"), (data.hex(), message)


SPEC = os.environ.get("WORKBENCH_SPEC_WAST")


@pytest.mark.skipif(not SPEC, reason="set WORKBENCH_SPEC_WAST to a folder of spec .wast")
def test_spec_wast_files() -> None:
    files = sorted(Path(SPEC or ".").glob("**/*.wast"))
    assert files
    for wast in files:
        _run(wast.read_text())
