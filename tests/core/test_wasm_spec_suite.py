"""The WebAssembly spec's own binary tests as a regression suite (issue 16, point 6).

The scripts are not committed (see tests/data/spec/README.md for where they come from
and how to get them): point $WORKBENCH_SPEC_WAST at a folder of `.wast` files, or put
them in tests/data/spec/, and every module in them runs through `spec_suite.check`:
valid modules read and their call graph built, binary malformations rejected with an
offset (by the section reader or the body decoder), invalid modules never a crash.
Without the scripts, the harness itself is still tested on inline commands below.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.core.spec_suite import Command, Tally, binary_commands, check, commands

HERE = Path(__file__).resolve().parent.parent / "data" / "spec"
FOLDER = Path(os.environ["WORKBENCH_SPEC_WAST"]) if os.environ.get(
    "WORKBENCH_SPEC_WAST") else HERE
SCRIPTS = sorted(FOLDER.glob("**/*.wast")) if FOLDER.is_dir() else []

# Modules the Wasm 1.0/2.0-era binary.wast calls malformed that Wasm 3.0 decodes: memory
# limits and memarg offsets became u64, and the byte after memory.size/memory.grow a
# memory index. They are invalid (wasmtime rejects them at validation), not malformed.
_U64_LIMIT = "memory limit read as u64 in Wasm 3.0 (too large: invalid, not malformed)"
_U64_OFFSET = "memarg offset read as u64 in Wasm 3.0 (out of range: invalid, not malformed)"
_MEMIDX = "memory index 1 in Wasm 3.0 (unknown memory: invalid, not malformed)"
KNOWN = {
    "0061736d01000000050701008280808070": _U64_LIMIT,
    "0061736d01000000050701008280808040": _U64_LIMIT,
    "0061736d010000000104016000000302010005030100010a10010e01017f4100280282808080101a0b":
        _U64_OFFSET,
    "0061736d010000000104016000000302010005030100010a10010e01017f4100280282808080401a0b":
        _U64_OFFSET,
    "0061736d010000000104016000000302010005030100010a11010f01017f41004103360382808080100b":
        _U64_OFFSET,
    "0061736d010000000104016000000302010005030100010a11010f01017f41004103360282808080400b":
        _U64_OFFSET,
    "0061736d010000000104016000000302010005030100000a09010700410040011a0b": _MEMIDX,
    "0061736d010000000104016000000302010005030100000a070105003f011a0b": _MEMIDX,
}


@pytest.mark.skipif(not SCRIPTS, reason="no spec .wast scripts (tests/data/spec/README.md)")
def test_spec_scripts(tmp_path: Path) -> None:
    total = Tally()
    for i, wast in enumerate(SCRIPTS):
        work = tmp_path / f"{i}-{wast.stem}"
        work.mkdir()
        cmds = commands(wast, work)
        found = check(wast, cmds, KNOWN)
        print(f"{wast.relative_to(FOLDER)}: {len(cmds)} modules; {found.summary()}")
        total.add(found)
    print("spec suite:", total.summary())
    assert not total.problems, "\n".join(total.problems)
    assert total.valid_read and total.malformed_rejected


H = r'"\00asm" "\01\00\00\00"'


def test_the_harness_reads_scripts_and_catches_a_reader_that_accepts_too_much() -> None:
    script = rf"""
    (module binary {H} "\05\04\01" "\00\82\00") ;; padded memory minimum
    (assert_malformed (module binary {H} "\05\03\01\70\02") "integer too large")
    (assert_malformed (module binary {H} "\01\04\01\60\00\00" "\03\02\01\00"
      "\0a\07\01\05\00\fc\09\00\0b" "\0b\03\01\01\00") "data count section required")
    """
    cmds = list(binary_commands(script))
    assert [(c.kind, c.line) for c in cmds] == [
        ("module", 2), ("assert_malformed", 3), ("assert_malformed", 4)]
    found = check(Path("inline.wast"), cmds, {})
    assert (found.valid_read, found.malformed_rejected, found.malformed_in_bodies) == (1, 2, 1)
    assert not found.problems
    # a "malformed" module that decodes (here: a valid empty module) is reported
    fake = Command("assert_malformed", 9, b"\x00asm\x01\x00\x00\x00\x01\x01\x00", "x")
    wrong = check(Path("inline.wast"), [fake], {})
    assert wrong.superseded == 1 and not wrong.problems  # wasmtime validates it: 3.0-valid
    fake = Command("assert_malformed", 9, bytes.fromhex(next(iter(KNOWN))), "x")
    assert check(Path("inline.wast"), [fake], {}).problems
    assert check(Path("inline.wast"), [fake], KNOWN).known == 1


def test_text_modules_go_through_wasm_tools_when_it_is_installed(tmp_path: Path) -> None:
    if not shutil.which("wasm-tools"):
        pytest.skip("wasm-tools not installed")
    wast = tmp_path / "t.wast"
    wast.write_text('(module (func (export "f") (result i32) (i32.const 1)))\n'
                    '(assert_invalid (module (func (result i32) (i64.const 1))) "type")\n'
                    '(assert_malformed (module quote "(func") "unexpected")\n')
    cmds = commands(wast, tmp_path)
    assert [c.kind for c in cmds] == ["module", "assert_invalid"]
    found = check(wast, cmds, {})
    assert (found.valid_read, found.invalid_read, found.problems) == (1, 1, [])
