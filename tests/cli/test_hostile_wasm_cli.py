"""Files that are not what a subcommand expects (a folder named .wasm, an unreadable file,
...): a message that names the file and says what to do, the usual exit status, never a
traceback. Found by benchmarks/fuzz_wasm.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main


def test_check_of_a_folder_named_wasm_is_a_folder(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "odd.wasm"
    folder.mkdir()
    assert main(["check", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "no such file" not in err and str(folder) in err and "no modules here" in err


@pytest.mark.parametrize("argv", [["strip", "{f}"], ["check", "{f}"], ["purity", "{f}"]])
def test_an_unreadable_file_is_named_with_a_hint(tmp_path: Path, capsys,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 argv: list[str]) -> None:
    f = tmp_path / "locked.wasm"
    f.write_bytes(b"\0asm\x01\0\0\0")
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == "locked.wasm":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)  # root reads a chmod 000 file anyway
    assert main([a.format(f=f) for a in argv]) == 2
    err = capsys.readouterr().err
    assert f"{f}: cannot read" in err and "Permission denied" in err
    assert "hint: check the file's permissions" in err and "Traceback" not in err
