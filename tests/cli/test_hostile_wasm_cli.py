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


def _component(core: bytes) -> bytes:
    assert len(core) < 128
    return b"\0asm\x0d\0\x01\0" + b"\x01" + bytes([len(core)]) + core


def test_a_component_in_a_graph_view_is_that_files_error(tmp_path: Path, capsys) -> None:
    """It aborted the whole command (exit 2, the files after it never reported) with the
    hint "extract one first", while --core N does exactly that."""
    from tests.wat import wat

    core = wat('(module (func (export "f")))')
    comp, mod = tmp_path / "c.wasm", tmp_path / "m.wasm"
    comp.write_bytes(_component(core))
    mod.write_bytes(core)
    assert main(["inspect", str(comp), str(mod), "--by", "retained", "--json"]) == 1
    import json

    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["view"] is None and first["error"]["kind"] == "usage"
    assert "--core N (0-0)" not in first["error"]["hint"]
    assert "add --core N" in first["error"]["hint"] or "--core 0" in first["error"]["hint"]
    assert second["error"] is None and second["view"]["total"] == len(core)
    assert main(["inspect", str(comp), "--by", "garbage"]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert f"✗ {comp}: --by garbage needs a core module, and this is a component" in out


def test_size_views_of_a_component_point_at_core(tmp_path: Path, capsys) -> None:
    from tests.wat import wat

    comp = tmp_path / "c.wasm"
    comp.write_bytes(_component(wat("(module (func))")))
    assert main(["inspect", str(comp), "--by", "function", "--json"]) == 0
    import json

    note = json.loads(capsys.readouterr().out)["view"]["note"]
    assert note == ("this is a component: it has no function view of its own; --core 0 "
                    "shows this view of one of its 1 embedded core module(s), which "
                    "`workbench inspect` lists")
