"""Finding 5 (files read safely) and finding 12 (deep nesting: typed errors, no traceback)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core.errors import ConfigError, HooksError, RequestFileError
from workbench.core.hooks.rules import load_hooks
from workbench.core.requests.files import load_requests
from workbench.core.runtime.secrets import Secrets

REPO = Path(__file__).resolve().parents[2]
SECRET_ENV = "WORKBENCH_TEST_CI_TOKEN"
TOKEN = "ghp_hostileTestToken1234567890"


@pytest.fixture
def ci_token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(SECRET_ENV, TOKEN)
    # /proc/self/environ is the environment the process *started* with; a child process
    # started from here sees the token, which is what the CLI tests below run.
    return TOKEN


def _hello(tmp_path: Path) -> Path:
    src = REPO / "sample_modules" / "hello-wat"
    mod = tmp_path / "hello"
    mod.mkdir()
    for f in src.iterdir():
        if f.is_file() and f.suffix == ".wat":
            (mod / f.name).write_text(f.read_text())
    return mod


def test_hooks_file_cannot_read_proc_environ(tmp_path: Path, ci_token: str) -> None:
    (tmp_path / "hooks.toml").write_text(
        '[[rule]]\nname = "leak"\naction = "respond"\nfile = "/proc/self/environ"\n')
    with pytest.raises(HooksError) as exc:
        load_hooks(tmp_path / "hooks.toml")
    assert "outside" in str(exc.value) and ci_token not in str(exc.value)


def test_hooks_file_symlink_out_and_dev_zero_are_refused(tmp_path: Path) -> None:
    os.symlink("/proc/self/environ", tmp_path / "body.txt")
    (tmp_path / "hooks.toml").write_text(
        '[[rule]]\nname = "leak"\naction = "respond"\nfile = "body.txt"\n')
    with pytest.raises(HooksError, match="outside"):
        load_hooks(tmp_path / "hooks.toml")
    os.unlink(tmp_path / "body.txt")
    os.symlink("/dev/zero", tmp_path / "body.txt")
    with pytest.raises(HooksError):
        load_hooks(tmp_path / "hooks.toml")


def test_hooks_file_inside_the_folder_still_works(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "ok.html").write_text("<p>ok</p>")
    (tmp_path / "hooks.toml").write_text(
        '[[rule]]\nname = "page"\naction = "respond"\nfile = "pages/ok.html"\n')
    assert load_hooks(tmp_path / "hooks.toml").rules[0].action.body == b"<p>ok</p>"


def test_wat_symlinked_to_environ_does_not_print_it(tmp_path: Path, capsys) -> None:
    mod = tmp_path / "m"
    mod.mkdir()
    (mod / "module.toml").write_text('toolchain = "wat"\nsources = ["h.wat"]\n')
    os.symlink("/proc/self/environ", mod / "h.wat")
    os.environ[SECRET_ENV] = TOKEN  # visible to /proc/self/environ only in a child, but
    try:                            # the refusal must not depend on that
        assert main(["build", "-v", str(mod)]) == 1
    finally:
        del os.environ[SECRET_ENV]
    out = capsys.readouterr().out
    assert "outside" in out and "PATH=" not in out and TOKEN not in out


def test_requests_fifo_does_not_hang_replay(tmp_path: Path) -> None:
    fifo = tmp_path / "a.hurl"
    os.mkfifo(fifo)
    with pytest.raises(RequestFileError, match="FIFO"):
        load_requests(fifo)


def test_requests_folder_symlink_out_is_refused(tmp_path: Path) -> None:
    (tmp_path / "reqs").mkdir()
    os.symlink("/proc/self/environ", tmp_path / "reqs" / "env.hurl")
    with pytest.raises(RequestFileError, match="outside"):
        load_requests(tmp_path / "reqs")


def test_run_data_from_dev_zero_is_refused(tmp_path: Path, capsys) -> None:
    mod = _hello(tmp_path)
    assert main(["run", str(mod), "--data", "@/dev/zero"]) == 2
    err = capsys.readouterr().err
    assert "character device" in err and "Traceback" not in err


def test_read_limited_caps_size_even_when_stat_says_zero(tmp_path: Path) -> None:
    from workbench.core.files import FileRefused, read_limited
    big = tmp_path / "big"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(FileRefused, match="limit"):
        read_limited(big, limit=1000)
    # /proc files report st_size 0 yet hold data: the cap is on what is read
    data = read_limited("/proc/self/status", limit=1 << 20)
    assert data.startswith(b"Name:")


DEEP = "a = " + "[" * 5000 + "]" * 5000 + "\n"


def test_deep_module_toml_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "h.wat").write_text("(module)")
    (tmp_path / "module.toml").write_text('name = "x"\n' + DEEP)
    from workbench.config.module import load_module

    with pytest.raises(ConfigError) as exc:
        load_module(tmp_path)
    assert "nested too deeply" in str(exc.value) and exc.value.line == 2


def test_deep_hooks_secrets_kv_and_hurl_are_typed_errors(tmp_path: Path) -> None:
    (tmp_path / "hooks.toml").write_text("\n" + DEEP)
    with pytest.raises(HooksError, match=r"hooks.toml:2"):
        load_hooks(tmp_path / "hooks.toml")
    (tmp_path / "secrets.toml").write_text(DEEP)
    with pytest.raises(ConfigError, match="nested too deeply"):
        Secrets.load(tmp_path / "secrets.toml")
    from workbench.core.runtime.kv import KvStore

    (tmp_path / "kv.json").write_text("[" * 100000 + "]" * 100000)
    store = KvStore(tmp_path / "kv.json")  # the SQLite store migrates an old kv.json once:
    assert store.get(b"k") is None  # an unreadable one is kept aside, never a traceback
    assert store.notice is not None and "could not be read" in store.notice
    assert (tmp_path / "kv.json.unreadable").is_file()
    (tmp_path / "a.hurl").write_text("POST http://x/\n" + "[" * 100000 + "]" * 100000 + "\n")
    with pytest.raises(RequestFileError, match="nested (too deeply|deeper than)"):
        load_requests(tmp_path / "a.hurl")


def test_deep_workspace_on_the_command_line_exits_2(tmp_path: Path, capsys) -> None:
    (tmp_path / "workbench.toml").write_text(DEEP)
    assert main(["build", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "nested too deeply" in err and "Traceback" not in err


def test_deep_json_guest_body_in_asserts_is_not_a_crash() -> None:
    from workbench.core.http import Response
    from workbench.core.requests.asserts import Observed, evaluate_all
    from workbench.core.requests.hurl import parse_hurl

    entry = parse_hurl("GET http://x/\nHTTP 200\n[Asserts]\njsonpath \"$[0]\" exists\n",
                       file="a.hurl")[0]
    body = ("[" * 100000 + "]" * 100000).encode()
    results = evaluate_all(entry.asserts, Observed(Response(200, (), body)))
    assert [r.passed for r in results] == [True, False]


@pytest.mark.parametrize("key,value", [("requests", "/proc/self/environ"),
                                       ("hooks", "/proc/self/environ"),
                                       ("requests", "../../outside")])
def test_module_toml_paths_stay_in_the_module_or_workspace(tmp_path: Path, key: str,
                                                            value: str) -> None:
    from workbench.config.module import load_module

    (tmp_path / "outside").mkdir()
    mod = tmp_path / "ws" / "m"
    mod.mkdir(parents=True)
    (mod / "h.wat").write_text("(module)")
    (mod / "module.toml").write_text(f"{key} = {json.dumps(value)}\n")
    with pytest.raises(ConfigError, match="outside the module's folder and workspace"):
        load_module(mod)


def test_module_toml_may_name_shared_workspace_requests(tmp_path: Path) -> None:
    from workbench.config.module import load_module

    (tmp_path / "workbench.toml").write_text("")
    (tmp_path / "shared").mkdir()
    mod = tmp_path / "m"
    mod.mkdir()
    (mod / "h.wat").write_text("(module)")
    (mod / "module.toml").write_text('requests = "../shared"\n')
    assert load_module(mod).requests == (tmp_path / "shared").resolve()
