"""The app on modules nobody here wrote: prebuilt files that are no module, broken DWARF,
thousands of sections, a component; the views that show the binary must render for each
(no exception, no worker left "running"), and the purity check of a module that cannot
be instantiated must finish with a verdict (it raised in its worker, leaving the view at
"running" for good).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_hostile_wasm_cli import hostile_names_module
from tests.tui.conftest import built, copy_module, plain, purity_note, wait_for
from tests.wat import wat
from workbench.core.wasm.leb import encode_u
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.module_list import ModuleList

START_TRAPS = """(module (memory (export "memory") 1) (data (i32.const 65535) "xyz")
  (func (export "alloc") (param i32) (result i32) (i32.const 16))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))"""


async def test_purity_of_a_module_that_cannot_be_instantiated_finishes(
        tmp_path: Path) -> None:
    mod = copy_module(tmp_path / "hello-wat")
    (mod / "hello.wat").write_text(START_TRAPS)
    app = WorkbenchApp([mod], watch=False, auto_replay=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, built(app), what="build")
        state = app.modules["hello-wat"]
        assert state.build == "ok"
        text = " ".join((await purity_note(pilot, app, "hello-wat")).split())
        assert "cannot be checked: a fresh instance fails (trap)" in text


def _raw_controls(app: WorkbenchApp) -> list[str]:
    """Lines of the shown widgets holding a raw terminal control character (an export
    named "handle\x1b]52;c;..." reached the terminal through the Signatures view)."""
    import re

    from textual.widget import Widget

    found = []
    for w in app.screen.query(Widget):
        if not w.display or not w.size.height:
            continue
        for y in range(w.size.height):
            text = "".join(seg.text for seg in w.render_line(y))
            if re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text):
                found.append(f"{type(w).__name__}#{w.id}: {text.strip()!r}")
    return found


def _custom(name: str, body: bytes) -> bytes:
    payload = encode_u(len(name)) + name.encode() + body
    return b"\0" + encode_u(len(payload)) + payload


def _inputs() -> dict[str, bytes]:
    core = wat('(module (memory (export "memory") 1) (func (export "f"))'
               ' (data (i32.const 8) "some data"))')
    return {
        "empty": b"",
        "text": b"(module)\n",
        "dwarf": core + _custom(".debug_abbrev", b"\x01\x11\x01" + bytes(20))
        + _custom(".debug_info", b"\x30\0\0\0\x05\0\x01\x04" + bytes(range(48))),
        "customs": core + _custom("x", b"") * 3000,
        "component": b"\0asm\x0d\0\x01\0\x01" + encode_u(len(core)) + core,
        "names": core + _custom("name", b"\x01\x05\x01\x00\x02\xff\xfe"),  # bad UTF-8
        "escapes": hostile_names_module(),  # ESC ] 52 (clipboard), ESC [ 2J, CR, U+202E
    }


async def test_hostile_prebuilt_modules_load_and_their_views_render(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_TRUST", "1")  # `command` builds run without the prompt
    inputs = _inputs()
    for name, data in inputs.items():
        mod = tmp_path / name
        mod.mkdir()
        (mod / "prebuilt.wasm").write_bytes(data)
        (mod / "module.toml").write_text(
            'toolchain = "command"\ncommand = "cp prebuilt.wasm \\"$WORKBENCH_OUTPUT\\""\n'
            'sources = ["prebuilt.wasm"]\n')
    (tmp_path / "workbench.toml").write_text(
        "modules = [" + ", ".join(f'"{n}"' for n in inputs) + "]\n")
    app = WorkbenchApp([tmp_path], watch=False, auto_replay=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_for(pilot, built(app), timeout=60, what="the builds")
        states = {n: app.modules[n].build for n in inputs}
        assert states == {"empty": "failed", "text": "failed", "dwarf": "ok",
                          "customs": "ok", "component": "ok", "names": "ok",
                          "escapes": "ok"}
        app.query_one(ModuleList).focus()
        for i, name in enumerate(inputs):
            if i:
                await pilot.press("down")
            await wait_for(pilot, lambda n=name: app.selected == n, what=f"select {name}")
            for key in "261":  # the views that show what is in the binary: Signatures,
                await pilot.press(key)  # Build (its diagnostics), Size
                await pilot.pause()
                assert not _raw_controls(app), (name, key)
            summary = plain(app.query_one("#size-summary"))
            assert summary.strip(), name
        assert app.return_code is None  # an exception in a handler ends the app
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert not [m for m in errors if "Traceback" in m or "Error:" in m], errors
