"""Files that are not what a subcommand expects (a folder named .wasm, an unreadable file,
...): a message that names the file and says what to do, the usual exit status, never a
traceback. Found by benchmarks/fuzz_wasm.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.unreadable import deny_opening
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
    deny_opening(monkeypatch, "locked.wasm")  # root reads a chmod 000 file anyway
    assert main([a.format(f=f) for a in argv]) == 2
    err = capsys.readouterr().err
    assert f"{f}: cannot read" in err and "Permission denied" in err
    assert "hint: check the file's permissions" in err and "Traceback" not in err


@pytest.mark.parametrize("argv,code", [
    (["inspect", "{f}"], 2), (["inspect", "{f}", "--json"], 2), (["strip", "{f}"], 2),
    (["check", "{f}"], 2), (["purity", "{f}"], 2), (["run", "{f}"], 2),
    (["bench", "{f}", "-n", "2"], 2), (["inspect", "{ok}", "--diff", "{f}"], 2),
])
def test_a_fifo_is_refused_not_read_for_ever(tmp_path: Path, capsys, argv: list[str],
                                             code: int) -> None:
    """inspect and strip blocked for ever on a FIFO (and read /dev/zero until the OOM
    killer came); check, purity and run called it "no such file". A regression here is
    unblocked after 10 s by a writer thread, and then fails on the message."""
    import os
    import threading

    from tests.wat import wat

    fifo, ok = tmp_path / "pipe.wasm", tmp_path / "ok.wasm"
    os.mkfifo(fifo)
    ok.write_bytes(wat("(module)"))
    done = threading.Event()

    def unblock() -> None:
        if not done.wait(10):
            with open(fifo, "wb") as fh:
                fh.write(b"regressed")

    threading.Thread(target=unblock, daemon=True).start()
    try:
        assert main([a.format(f=fifo, ok=ok) for a in argv]) == code
    finally:
        done.set()
    out = capsys.readouterr()
    text = " ".join((out.out + out.err).split())
    assert "not a regular file" in text and str(fifo) in text


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
    assert main(["inspect", str(comp), str(mod), "--by", "retained", "--json"]) == 2
    import json

    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["view"] is None and first["error"]["kind"] == "usage"
    assert "--core N (0-0)" not in first["error"]["hint"]
    assert "add --core N" in first["error"]["hint"] or "--core 0" in first["error"]["hint"]
    assert second["error"] is None and second["view"]["total"] == len(core)
    assert main(["inspect", str(comp), "--by", "garbage"]) == 2  # a usage mistake
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


def _leb(n: int) -> bytes:
    from workbench.core.wasm.leb import encode_u

    return encode_u(n)


def test_thousands_of_sections_and_exports_are_capped_in_the_human_report(
        tmp_path: Path, capsys) -> None:
    """50,000 custom sections took 40 s of rich rendering (a 20,000-module component over a
    minute): the list tables now show 100 rows (or --top) and say how many more."""
    from tests.wat import wat

    funcs = "".join(f'(func (export "f{i}"))' for i in range(300))
    big = b"\0\x05\x01x" + b"y" * 3  # one larger custom section, kept in the table
    data = wat(f"(module {funcs})") + b"\0\x02\x01x" * 3000 + big
    f = tmp_path / "many.wasm"
    f.write_bytes(data)
    assert main(["inspect", str(f)]) == 0
    out = capsys.readouterr().out
    assert "… 2,905 smaller sections" in out and "… 200 more exports (--json lists all)" in out
    section_rows = out.split("Sections")[1].split("(section ids")[0]
    # the 100 largest in file order: type, function, export, code, 95 small ones, the big one
    assert section_rows.count('custom "x"') == 96 and " 0x3c26        5 " in section_rows
    assert main(["inspect", str(f), "--top", "150"]) == 0
    assert "… 150 more exports" in capsys.readouterr().out
    assert main(["inspect", str(f), "--json"]) == 0
    import json

    doc = json.loads(capsys.readouterr().out)
    assert len(doc["sections"]) == 3005 and len(doc["exports"]) == 300


def test_a_component_of_thousands_of_core_modules_is_capped(tmp_path: Path, capsys) -> None:
    from tests.wat import wat

    core = wat('(module (func (export "f")))')
    f = tmp_path / "many.wasm"
    f.write_bytes(b"\0asm\x0d\0\x01\0" + (b"\x01" + _leb(len(core)) + core) * 400)
    assert main(["inspect", str(f)]) == 0
    out = capsys.readouterr().out
    assert out.count("… 300 more core modules (--json lists all)") == 2


def test_a_malformed_diff_module_is_named_as_the_diff_module(tmp_path: Path, capsys) -> None:
    from tests.wat import wat

    new, old = tmp_path / "new.wasm", tmp_path / "old.wasm"
    new.write_bytes(wat("(module (func))"))
    old.write_bytes(b"\0asm\x01\0\0\0\x01\x09")  # a type section cut short
    assert main(["inspect", str(new), "--diff", str(old)]) == 1  # malformed: 1
    err = capsys.readouterr().err
    assert err.startswith(f"workbench: {old} @ 0x8: the --diff module is malformed: ")
    assert capsys.readouterr().out == ""  # refused before any report


def hostile_names_module() -> bytes:
    """Terminal control sequences in every name a module carries: an import's module and
    field, an export, the name section's module, function and data segment names, a
    custom section's name, and the producers section."""
    from workbench.core.wasm.leb import encode_u

    def vec_name(text: bytes) -> bytes:
        return encode_u(len(text)) + text

    def section(sid: int, body: bytes) -> bytes:
        return bytes([sid]) + encode_u(len(body)) + body

    clip, clear, cr, bidi = b"\x1b]52;c;SGVsbG8=\x1b\\", b"\x1b[2J", b"ok\rEVIL", \
        "\u202egnp.exe".encode()
    types = section(1, b"\x01\x60\x00\x00")
    imports = section(2, b"\x01" + vec_name(b"env" + clear) + vec_name(b"f" + cr) + b"\x00\x00")
    funcs = section(3, b"\x01\x00")
    memory = section(5, b"\x01\x00\x01")
    exports = section(7, b"\x01" + vec_name(b"handle" + clip) + b"\x00\x01")
    code = section(10, b"\x01\x02\x00\x0b")
    data = section(11, b"\x01\x00\x41\x00\x0b" + vec_name(b"abc"))
    names = (b"\x00" + vec_name(vec_name(b"mod" + clear))
             + b"\x01" + vec_name(b"\x01\x01" + vec_name(b"fn" + clip))
             + b"\x09" + vec_name(b"\x01\x00" + vec_name(b"seg" + bidi)))
    producers = b"\x01" + vec_name(b"language") + b"\x01" + vec_name(b"C" + clear) \
        + vec_name(b"1" + cr)
    return (b"\0asm\x01\0\0\0" + types + imports + funcs + memory + exports + code + data
            + section(0, vec_name(b"name") + names)
            + section(0, vec_name(b"producers") + producers)
            + section(0, vec_name(b"x" + clip) + b"payload"))


@pytest.mark.parametrize("argv", [
    ["inspect", "{f}"], ["inspect", "{f}", "--by", "function"],
    ["inspect", "{f}", "--by", "data"], ["inspect", "{f}", "--by", "section"],
    ["inspect", "{f}", "--by", "retained"], ["inspect", "{f}", "--by", "dominators"],
    ["inspect", "{f}", "--by", "garbage"], ["inspect", "{f}", "--by", "crate"],
    ["inspect", "{f}", "--by", "paths", "--item", "fn"], ["inspect", "{f}", "--diff", "{f}"],
    ["strip", "{f}"], ["check", "{f}", "--max-bytes", "10"],
])
def test_control_sequences_in_module_names_never_reach_the_terminal(
        tmp_path: Path, capsys, argv: list[str]) -> None:
    """An export named "handle\\x1b]52;c;..." wrote the clipboard through `inspect` (rich
    passes ESC through in tables and Text): every human view now shows it escaped."""
    import re

    f = tmp_path / "names.wasm"
    f.write_bytes(hostile_names_module())
    assert main([a.format(f=f) for a in argv]) in (0, 1)
    out = capsys.readouterr().out
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", out), out
    if argv[1:2] == ["{f}"] and len(argv) == 2 and argv[0] == "inspect":
        assert "\\x1b]52;c;SGVsbG8=" in out and "\\x1b[2J" in out and "\\u202e" in out
