"""Runtime-view jobs: the hooks a request runs through are compiled once per file version."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.config.module import load_module
from workbench.tui.runtime_jobs import hooks_for
from workbench.tui.state import ModuleState

RULE = """[[rule]]
name = "{name}"
when = {{ path = "/healthz" }}
action = "respond"
status = {status}
"""


def test_hooks_are_compiled_once_per_version_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "module.toml").write_text('name = "m"\ntoolchain = "wat"\n'
                                          'sources = ["m.wat"]\n')
    (tmp_path / "m.wat").write_text("(module)")
    hooks = tmp_path / "hooks.toml"
    hooks.write_text(RULE.format(name="health", status=200))
    cfg = load_module(tmp_path)
    state = ModuleState(name="m", root=tmp_path, config=cfg)
    first = hooks_for(state, True)
    assert first is not None
    assert hooks_for(state, True) is first  # the same compiled rules: no reload per request
    hooks.write_text(RULE.format(name="health2", status=204))
    st = hooks.stat()
    os.utime(hooks, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    second = hooks_for(state, True)
    assert second is not first
    assert [r.name for r in second.rules] == ["health2"]
    assert hooks_for(state, False) is None


def test_an_outbound_stub_edit_gets_a_new_harness_without_a_rebuild(tmp_path: Path) -> None:
    from tests.wat import wat
    from workbench.tui.runtime_jobs import RunOptions, harness_for

    toml = 'name = "m"\ntoolchain = "wat"\nsources = ["m.wat"]\n'
    stub = '[[outbound]]\nurl = "https://api.example.com/*"\nstatus = {status}\n'
    (tmp_path / "m.wat").write_text("(module)")
    (tmp_path / "module.toml").write_text(toml + stub.format(status=200))
    state = ModuleState(name="m", root=tmp_path, config=load_module(tmp_path))
    state.wasm = wat("(module)")
    first = harness_for(state, RunOptions())
    assert harness_for(state, RunOptions()) is first  # same settings: the cached harness
    (tmp_path / "module.toml").write_text(toml + stub.format(status=503))
    state.config = load_module(tmp_path)  # what the app does when module.toml is saved
    second = harness_for(state, RunOptions())
    assert second is not first
