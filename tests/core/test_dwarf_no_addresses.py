"""DWARF whose functions locate no code (every range starts at 0) gets a note, not just a
silent 100% "<unattributed>" row: a C WAGI handler built with Debian's clang-14 and
wasi-libc carries 43 KB of the libc's .debug_info in which every low_pc and high_pc is 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.cmodules import c_modules, parse
from tests.core.test_dwarf_broken import replace_custom
from workbench.core.size.dwarf.attribute import attribute


def zero_addresses() -> bytes:
    """The dwarf5 C module with every .debug_addr entry set to 0 (DW_FORM_addrx low_pc)."""
    data = c_modules()["dwarf5"]
    addr = bytes(parse(data).custom(".debug_addr"))
    return replace_custom(data, ".debug_addr", addr[:8] + bytes(len(addr) - 8))


def test_note_when_no_function_has_an_address() -> None:
    src = attribute(parse(zero_addresses()))
    assert src.status == "ok" and not src.files
    assert src.unattributed == src.code_size > 0
    assert src.warning is not None
    assert "locates none of the code" in src.warning and "with -g" in src.warning


def test_no_note_for_good_dwarf() -> None:
    src = attribute(parse(c_modules()["dwarf5"]))
    assert src.files and (src.warning is None or "locates none" not in src.warning)


def test_cli_by_source_shows_the_note(tmp_path: Path) -> None:
    wasm = tmp_path / "libc-dwarf.wasm"
    wasm.write_bytes(zero_addresses())
    p = subprocess.run([sys.executable, "-m", "workbench", "inspect", "--by", "source",
                        str(wasm)], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "COLUMNS": "300"})
    assert p.returncode == 0, p.stderr
    assert "<unattributed>" in p.stdout and "locates none of the code" in p.stdout
