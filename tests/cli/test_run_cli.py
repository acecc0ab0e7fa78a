"""`workbench run`, `bench` and `kv` end to end through the CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.runtime.handlers import edge
from workbench.cli import main
from workbench.core.runtime.kv import KvStore

ECHO = edge("(call $echo (local.get $p) (local.get $n))")
TRAP = edge("(call $deep) (i32.const 0)", extra="(func $deep (unreachable))")


@pytest.fixture
def mods(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "echo.wasm").write_bytes(ECHO)
    (tmp_path / "trap.wasm").write_bytes(TRAP)
    return tmp_path


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_run_json_keys_and_request_flags(mods, capsys) -> None:
    code, doc = run_json(capsys, "run", "echo.wasm", "--path", "/x?y=1", "-H", "X-A: 1",
                         "-d", "hi", "--mode", "warm", "--json")
    assert code == 0
    assert {"status", "headers", "body", "timing", "fuel", "memory_bytes", "logs", "error",
            "faults", "hook"} <= set(doc)
    assert doc["status"] == 200 and doc["error"] is None
    assert doc["body"].startswith("POST /x?y=1 HTTP/1.1\r\nX-A: 1\r\n")
    assert doc["body"].endswith("\r\n\r\nhi") and doc["timing"]["handler"] > 0


def test_run_trap_exits_nonzero_with_backtrace(mods, capsys) -> None:
    code, doc = run_json(capsys, "run", "trap.wasm", "--json")
    assert code == 1
    assert doc["error"]["kind"] == "trap"
    assert doc["error"]["backtrace"][0].startswith("deep @")


def test_run_human_output(mods, capsys) -> None:
    assert main(["run", "trap.wasm"]) == 1
    out = capsys.readouterr().out
    assert "error (trap)" in out and "at deep @" in out


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--body-limit", "-1"], "--body-limit: must be 0 or more, got -1"),
    (["--entry", "2"], "--entry picks an entry of REQUEST, and no REQUEST was given"),
    (["--fuel", str(2**64 + 5)], "--fuel must be at most 9,223,372,036,854,775,807"),
])
def test_run_flag_mistakes_exit_2(mods, capsys, argv, fragment) -> None:
    assert main(["run", "echo.wasm", *argv]) == 2
    assert fragment in capsys.readouterr().err


def test_kv_missing_workspace_exits_2(mods, capsys) -> None:
    assert main(["kv", "--workspace", str(mods / "nope"), "list"]) == 2
    assert "nope: no such folder" in capsys.readouterr().err
    assert not (mods / ".workbench").exists()


def test_entry_that_looks_like_a_digit_is_a_name(mods, capsys) -> None:
    (mods / "reqs.hurl").write_text("GET http://localhost/first\n")
    assert main(["run", "echo.wasm", "reqs.hurl", "--entry", "\u00b2"]) == 2  # '²'.isdigit()
    err = capsys.readouterr().err
    assert "no entry '\u00b2' in reqs.hurl" in err and "Traceback" not in err


def test_run_saved_request_entry(mods, capsys) -> None:
    (mods / "reqs.hurl").write_text("GET http://localhost/first\n\n"
                                    "PUT http://localhost/second\nx-b: 2\n```\nbody\n```\n")
    code, doc = run_json(capsys, "run", "echo.wasm", "reqs.hurl", "--entry", "2", "--json")
    assert code == 0 and doc["body"].startswith("PUT /second HTTP/1.1")


def test_run_with_hooks_file(mods, capsys) -> None:
    (mods / "hooks.toml").write_text(
        '[[rule]]\nname = "health"\nwhen = { path = "/healthz" }\naction = "respond"\n'
        'status = 200\nheaders = { "content-type" = "text/plain" }\nbody = "ok"\n')
    code, doc = run_json(capsys, "run", "trap.wasm", "--path", "/healthz", "--hooks",
                         "hooks.toml", "--json")
    assert code == 0 and doc["body"] == "ok" and doc["hook"]["rule"] == "health"


def test_run_unknown_abi_is_a_module_failure(mods, capsys) -> None:
    from tests.wat import wat

    (mods / "cmd.wasm").write_bytes(wat('(module (func (export "main")))'))
    assert main(["run", "cmd.wasm"]) == 1  # not a handler: the module failed (README)
    assert "expected an edge handler" in capsys.readouterr().err


def test_bench_json(mods, capsys) -> None:
    code, doc = run_json(capsys, "bench", "echo.wasm", "-n", "50", "--json")
    assert code == 0 and doc["n"] == 50 and doc["mode"] == "warm"
    for phase in ("handler", "total"):
        assert set(doc[phase]) >= {"p50", "p90", "p99", "p999", "max"}
    assert doc["reference_us"] > 0


def test_bench_fresh_human(mods, capsys) -> None:
    assert main(["bench", "echo.wasm", "-n", "5", "--mode", "fresh"]) == 0
    out = capsys.readouterr().out
    assert "instantiate" in out and "p99.9" in out and "around guest" in out
    assert "Func.__call__" not in out  # a warm plain call is no yardstick for fresh mode


def test_bench_warm_human_states_the_overhead(mods, capsys) -> None:
    assert main(["bench", "echo.wasm", "-n", "50"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "whole harness request" in out and "plain wasmtime-py Func.__call__" in out
    assert "target: at most 3 µs more" in out and "×" in out


def test_bench_all_modes_kept_apart(mods, capsys) -> None:
    code, doc = run_json(capsys, "bench", "echo.wasm", "-n", "20", "--mode", "all", "--json")
    assert code == 0 and doc["mode"] == "all" and doc["n"] == 20
    assert list(doc["runs"]) == ["cold", "fresh", "warm"]
    for mode, run in doc["runs"].items():
        assert run["mode"] == mode and run["n"] == 20
        assert set(run["total"]) >= {"p50", "p90", "p99", "p999", "max"}
    # the untimed first run fills the compiled-module cache: every cold sample loads it
    assert doc["runs"]["cold"]["cache_load"]["count"] == 20 and "compile" not in doc["runs"]["cold"]
    assert "instantiate" in doc["runs"]["fresh"] and "instantiate" not in doc["runs"]["warm"]
    warm = doc["runs"]["warm"]
    # overhead = warm total p50 minus a bare wasmtime call of the same export (rounded apart)
    assert warm["reference_us"] > 0
    assert abs(warm["overhead_us"] - (warm["total"]["p50"] - warm["reference_us"])) <= 0.02
    assert doc["runs"]["fresh"]["overhead_us"] is None


def test_kv_command_roundtrip(mods, capsys) -> None:
    assert main(["kv", "put", "k", "v"]) == 0
    code, doc = run_json(capsys, "kv", "list", "--json")
    assert doc["items"] == {"k": "v"} and doc["keys"] == 1 and doc["bytes"] == 2
    assert KvStore(mods / ".workbench" / "kv.sqlite").items() == [(b"k", b"v")]
    assert main(["kv", "reset"]) == 0
    capsys.readouterr()
    assert main(["kv", "get", "k"]) == 1


def test_run_module_folder_is_built_first(mods, capsys) -> None:
    folder = mods / "hello"
    folder.mkdir()
    (folder / "main.wat").write_text(
        '(module (memory (export "memory") 1)\n'
        '  (data (i32.const 64) "\\18\\00\\00\\00HTTP/1.1 201 Created\\0d\\0a\\0d\\0a")\n'
        '  (func (export "alloc") (param i32) (result i32) (i32.const 1024))\n'
        '  (func (export "handle") (param i32 i32) (result i32) (i32.const 64)))\n')
    code, doc = run_json(capsys, "run", "hello", "--json")
    assert code == 0 and doc["status"] == 201 and doc["module"] == "hello"


def test_kv_command_mistakes_and_reset_backup(mods, capsys) -> None:
    assert main(["kv", "get", "missing"]) == 1
    assert "no key 'missing' in" in capsys.readouterr().err
    assert main(["kv", "delete", "missing"]) == 1
    assert "no key 'missing'" in capsys.readouterr().err
    assert main(["kv", "list", "extra"]) == 2
    assert "kv list takes no arguments" in capsys.readouterr().err
    assert main(["kv", "put", "k"]) == 2
    assert main(["kv", "put", "bin", "@" + str(mods / "echo.wasm")]) == 0
    code, doc = run_json(capsys, "kv", "get", "bin", "--json")
    assert code == 0 and doc["value"].startswith("base64:AGFzbQ")
    code, doc = run_json(capsys, "kv", "reset", "--json")
    assert doc["removed"] == 1 and doc["backup"].endswith("kv.sqlite.bak")
    backup = KvStore(mods / ".workbench" / "kv.sqlite.bak")
    assert backup.get(b"bin") == (mods / "echo.wasm").read_bytes()


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--timeout-ms", "0"], "--timeout-ms must be at least 1, got 0"),
    (["--fuel", "-5"], "--fuel must be at least 1, got -5"),
    (["--path", "nopath"], "'nopath' is not a request path"),
    (["--client-ip", "10.0.0.300"], "'10.0.0.300' is not an IP address"),
    (["--chaos", "latency:kv_gte=5"], "no host function 'kv_gte'"),
    (["-H", "no colon"], "bad header"),
])
def test_run_flag_mistakes_exit_2_with_the_flag(mods, capsys, argv, fragment) -> None:
    assert main(["run", "echo.wasm", *argv]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


def test_run_full_url_sets_host(mods, capsys) -> None:
    code, doc = run_json(capsys, "run", "echo.wasm", "--path", "https://api.example.com/a?b=1",
                         "--json")
    assert code == 0 and doc["body"].startswith(
        "GET /a?b=1 HTTP/1.1\r\nHost: api.example.com\r\n")


@pytest.mark.parametrize(("data", "fragment"), [
    (b"", "the file is empty"),
    (b"hello", "not a WebAssembly module: expected the magic bytes"),
])
def test_run_not_a_module(mods, capsys, data: bytes, fragment: str) -> None:
    (mods / "bad.wasm").write_bytes(data)
    assert main(["run", "bad.wasm"]) == 1  # malformed (README)
    err = capsys.readouterr().err
    assert "bad.wasm @ 0x0" in err and fragment in err


def test_kv_store_that_is_not_sqlite_exits_2_and_reset_recovers(mods, capsys) -> None:
    store = mods / ".workbench" / "kv.sqlite"
    store.parent.mkdir()
    store.write_bytes(b"\xce\x00{} definitely not a database" * 100)
    for argv in (["kv", "list"], ["kv", "put", "a", "b"], ["run", "echo.wasm"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "cannot read the KV store" in err and "workbench kv reset" in err
        assert "Traceback" not in err
    assert main(["kv", "reset"]) == 0  # the hint works, and keeps the broken file
    assert "was unreadable" in capsys.readouterr().out
    assert (store.parent / "kv.sqlite.bak").read_bytes().startswith(b"\xce\x00{}")
    assert main(["kv", "put", "a", "b"]) == 0
    assert KvStore(store).items() == [(b"a", b"b")]


def test_kv_reset_on_a_broken_old_json_store_keeps_it(mods, capsys) -> None:
    """`kv reset` on a broken kv.json used to end in a traceback."""
    old = mods / ".workbench" / "kv.json"
    old.parent.mkdir()
    old.write_text("{broken")
    assert main(["kv", "reset"]) == 0
    out = capsys.readouterr()
    assert "could not be read" in out.err and "Traceback" not in out.err
    assert (old.parent / "kv.json.unreadable").read_text() == "{broken"
    assert main(["kv", "list"]) == 0


def test_kv_views_redact_secrets(mods, capsys) -> None:
    (mods / ".workbench").mkdir()
    (mods / ".workbench" / "secrets.toml").write_text('TOKEN = "s3cr3t-value"\n')
    assert main(["kv", "put", "cached", "Bearer s3cr3t-value"]) == 0
    code, doc = run_json(capsys, "kv", "list", "--json")
    assert doc["items"] == {"cached": "Bearer [redacted:TOKEN]"}
    code, doc = run_json(capsys, "kv", "get", "cached", "--json")
    assert doc["value"] == "Bearer [redacted:TOKEN]"
    assert main(["kv", "get", "cached"]) == 0
    assert "s3cr3t" not in capsys.readouterr().out


def test_run_an_extism_plugin_with_body_says_what_it_cannot_measure(mods, capsys) -> None:
    """`--body` is the request body (not an abbreviation of --body-limit), and the fuel and
    memory the Extism SDK does not report are "n/a", never 0."""
    pytest.importorskip("extism", reason="the optional extism SDK is not installed")
    plugin = Path(__file__).resolve().parents[1] / "fixtures" / "extism" / "count_vowels.wasm"
    folder = mods / "cv"
    folder.mkdir()
    (folder / "cv.wasm").write_bytes(plugin.read_bytes())
    (folder / "module.toml").write_text('toolchain = "command"\ncommand = "true"\n'
                                        'output = "cv.wasm"\n[extism]\n'
                                        'function = "count_vowels"\n')
    assert main(["run", str(folder), "--trust", "--method", "POST", "--body",
                 "hello world"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert '"count": 3' in out and "extism" in out
    assert "fuel n/a" in out and "memory n/a" in out and "fuel 0" not in out
