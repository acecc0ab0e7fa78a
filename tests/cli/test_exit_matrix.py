"""README "Exit status" for every subcommand that takes a module x hostile inputs, as a
user runs them (`python -m workbench` in a fresh interpreter; tests/cli/exit_matrix.py).

Before the shared mapping (`workbench.core.errors.exit_status`), a malformed module
exited 1 from inspect and check but 2 from strip, purity, run, bench, replay, serve, sign
and verify; inspect exited 1 for a missing file and said nothing on stderr; an unreadable
module was "malformed @ 0x0" for run, bench, replay and serve."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import exit_matrix as M

CELLS = [(c, i) for c in M.COMMANDS for i in M.EXPECTED
         if i != "wrong-abi" or c in M.RUNTIME]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    d = tmp_path_factory.mktemp("exits")
    return d, M.make_inputs(d)


@pytest.mark.parametrize("command,name", CELLS, ids=[f"{c}-{i}" for c, i in CELLS])
def test_exit_status_and_message(inputs: tuple[Path, dict[str, Path]], command: str,
                                 name: str) -> None:
    d, files = inputs
    if name not in files:
        pytest.skip(f"{name}: the third-party module is not under {M.SAMPLES} "
                    "(tests/core/platforms/fetch_samples.sh)")
    f = files[name]
    if name == "unreadable" and not M.permissions_enforced(f):
        pytest.skip("file permissions are not enforced here (root without setpriv)")
    o = M.outcome(command, f, d)
    assert o.status == M.EXPECTED[name], (o.status, o.stdout[-500:], o.stderr[-800:])
    err = " ".join(o.stderr.split())
    assert "Traceback" not in o.stderr
    assert str(f) in err, err[:600]  # names the file
    assert "hint:" in err, err[:600]  # says what to do
    if name in ("truncated", "empty", "text", "unreadable"):
        assert "malformed" not in err or name != "unreadable"
    if name == "unreadable":
        assert "Permission denied" in err and "@ 0x0" not in err
    if command == "serve":
        assert "listening" not in o.stdout + o.stderr
        return
    j = M.outcome(command, f, d, as_json=True)
    assert j.status == o.status
    assert M.json_ok(j.stdout), j.stdout[:500]
    assert str(f) in " ".join(j.stderr.split()) and "Traceback" not in j.stderr
