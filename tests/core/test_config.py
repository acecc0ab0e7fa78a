"""module.toml / workbench.toml loading: defaults, inference, and errors naming file + key."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config.module import load_module
from workbench.config.workspace import load_workspace
from workbench.core.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def _module(tmp_path: Path, toml: str, files: dict[str, str] | None = None) -> Path:
    folder = tmp_path / "m"
    folder.mkdir(exist_ok=True)
    (folder / "module.toml").write_text(toml)
    for name, text in (files or {"main.c": "int x;"}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def test_full_module_toml(tmp_path: Path) -> None:
    folder = _module(tmp_path, """
name = "api"
toolchain = "c"
sources = ["src/*.c"]
profile = "debug"
abi = "edge"
flags = ["-DFOO=1"]
[budget]
max_bytes = 10000
[budget.sections]
data = 400
[limits]
timeout_ms = 20
fuel = 5000
[chaos]
kv_failure_rate = 0.25
latency_ms = { kv_get = 5 }
""", {"src/main.c": "", "hooks.toml": "", "requests/a.hurl": "GET /\n"})
    cfg = load_module(folder)
    assert cfg.name == "api" and cfg.toolchain == "c" and cfg.profile == "debug"
    assert cfg.sources == ("src/*.c",) and cfg.flags == ("-DFOO=1",)
    assert cfg.budget.max_bytes == 10000 and cfg.budget.sections == {"data": 400}
    assert cfg.limits.timeout_ms == 20 and cfg.limits.fuel == 5000
    assert cfg.limits.memory_bytes == 64 * 1024 * 1024  # default kept
    assert cfg.chaos.kv_failure_rate == 0.25 and cfg.chaos.latency_ms == {"kv_get": 5.0}
    assert cfg.output == folder.resolve() / "build" / "api.wasm"
    assert cfg.hooks == folder.resolve() / "hooks.toml"
    assert cfg.requests == folder.resolve() / "requests"
    assert cfg.to_json()["limits"]["fuel"] == 5000


@pytest.mark.parametrize("toml, key, allowed", [
    ('toolchain = "go"', "toolchain", "wat, c, zig"),
    ('profile = "fast"', "profile", "debug, release"),
    ('abi = "wasi"', "abi", "edge, wagi, auto"),
    ('target = "wasm64"', "target", "wasm32-freestanding"),
    ('colour = "red"', "colour", "allowed keys here: name"),
    ("[limits]\nfuel = -3", "limits.fuel", "got -3"),
    ("[limits]\nfuel = 99999999999999999999999", "limits.fuel", "at most 9223372036854775807"),
    ("[limits]\ntimeout = 3", "limits.timeout", "timeout_ms"),
    ("[budget]\nmax_bytes = \"big\"", "budget.max_bytes", "got 'big'"),
    ("[chaos]\nkv_failure_rate = 2.0", "chaos.kv_failure_rate", "got 2.0"),
    ("[chaos]\nlatency_ms = { kv_gets = 5 }", "chaos.latency_ms.kv_gets", "kv_get"),
    ('name = "a b"', "name", "letters, digits"),
    ('toolchain = "command"', "command", "make wasm"),
    ('hooks = "nope.toml"', "hooks", "relative to"),
])
def test_mistakes_name_file_key_and_allowed(tmp_path: Path, toml: str, key: str,
                                            allowed: str) -> None:
    folder = _module(tmp_path, toml)
    with pytest.raises(ConfigError) as info:
        load_module(folder)
    err = info.value
    assert err.file == str(folder.resolve() / "module.toml")
    assert err.key == key
    assert allowed in str(err)
    assert err.line is not None and err.line >= 1


def test_toml_syntax_error_has_line(tmp_path: Path) -> None:
    folder = _module(tmp_path, 'name = "x"\n\ntoolchain = = "c"\n')
    with pytest.raises(ConfigError) as info:
        load_module(folder)
    assert info.value.line == 3 and "invalid TOML" in str(info.value)


@pytest.mark.parametrize("files, toolchain", [
    ({"main.c": "int x;"}, "c"),
    ({"only.wat": "(module)"}, "wat"),
    ({"main.zig": ""}, "zig"),
    ({"Cargo.toml": "[package]"}, "rust"),
    ({"asconfig.json": "{}"}, "assemblyscript"),
])
def test_folder_without_module_toml_uses_defaults(tmp_path: Path, files: dict[str, str],
                                                  toolchain: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    cfg = load_module(tmp_path)
    assert cfg.toolchain == toolchain
    assert cfg.name == tmp_path.name and cfg.config_file is None
    assert cfg.profile == "release" and cfg.abi == "auto"


def test_folder_with_nothing_obvious_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no obvious source"):
        load_module(tmp_path)
    (tmp_path / "a.wat").write_text("")
    (tmp_path / "b.wat").write_text("")  # two candidates: not obvious
    with pytest.raises(ConfigError, match=r"2 \.wat files \(a\.wat, b\.wat\)") as info:
        load_module(tmp_path)
    assert info.value.hint == 'add a module.toml with sources = ["a.wat"]'
    with pytest.raises(ConfigError, match="which one is the module"):
        load_workspace([tmp_path])  # the same message when it is a workspace path


def test_wagi_abi_defaults_to_wasi_target(tmp_path: Path) -> None:
    assert load_module(_module(tmp_path, 'abi = "wagi"')).target == "wasm32-wasi"


def test_workspace_file(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.c").write_text("")
    (tmp_path / "workbench.toml").write_text(
        'modules = ["one", "tw*"]\ndebounce_ms = 20\n[variables]\nhost = "h"\nport = 8080\n'
        "[chaos]\nkv_failure_rate = 0.5\n")
    ws = load_workspace([tmp_path])
    assert [m.name for m in ws.modules] == ["one", "two"]
    assert ws.debounce_ms == 20 and ws.variables == {"host": "h", "port": "8080"}
    assert ws.modules[0].chaos.kv_failure_rate == 0.5  # workspace chaos is the base
    assert ws.settings["replay_on_build"] is True


def test_workspace_errors(tmp_path: Path) -> None:
    (tmp_path / "workbench.toml").write_text('modules = ["missing"]\n')
    with pytest.raises(ConfigError) as info:
        load_workspace([tmp_path])
    assert info.value.key == "modules" and info.value.line == 1
    (tmp_path / "workbench.toml").write_text("debounce_ms = 99999\n")
    with pytest.raises(ConfigError, match="debounce_ms"):
        load_workspace([tmp_path])


def test_folder_of_modules_and_duplicates(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.wat").write_text("(module)")
    ws = load_workspace([tmp_path])
    assert [m.name for m in ws.modules] == ["a", "b"] and ws.config_file is None
    (tmp_path / "b" / "module.toml").write_text('name = "a"\n')
    with pytest.raises(ConfigError, match="two modules are named 'a'"):
        load_workspace([tmp_path])


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_workspace([tmp_path / "nope"])


def test_sample_workspace_loads() -> None:
    ws = load_workspace([REPO / "sample_modules"])
    names = {m.name for m in ws.modules}
    assert "hello-wat" in names
    assert ws.variables.get("host")


@pytest.mark.parametrize("toml, line", [
    ("[limits]\nfuel = -3", 2),
    ('name = "x"\n\n[budget]\n\nmax_bytes = "big"', 5),
    ('name = "x"\n\nprofile = "fast"', 3),
    ('[chaos]\nseed = 1\nlatency_ms = { kv_get = "slow" }', 3),
    ("[limits]\n\n[budget]\nsections = 3", 4),
])
def test_errors_point_at_the_right_line(tmp_path: Path, toml: str, line: int) -> None:
    with pytest.raises(ConfigError) as info:
        load_module(_module(tmp_path, toml))
    assert info.value.line == line


@pytest.mark.parametrize("toml, key, says", [
    ('output = "main.c"', "output", "must end in .wasm"),
    ('output = "src"', "output", "must end in .wasm"),
    ('output = "out.wasm"', "output", "is a folder"),
    ('toolchain = "c"\ncommand = "make"', "command", 'not used by toolchain = "c"'),
    ('toolchain = "wat"\nflags = ["-O3"]', "flags", "applies to: c, zig"),
    ('toolchain = "zig"\nexports = ["handle"]', "exports", "every `export fn`"),
    ('abi = "wagi"\nexports = ["handle"]', "exports", "exports _start"),
    ('strip = "yes"', "strip", "none, debug, all"),
])
def test_settings_that_would_be_ignored_or_destructive(tmp_path: Path, toml: str, key: str,
                                                       says: str) -> None:
    folder = _module(tmp_path, toml, {"main.c": "int x;", "out.wasm/keep": ""})
    with pytest.raises(ConfigError) as info:
        load_module(folder)
    assert info.value.key == key and says in str(info.value)


def test_strip_defaults_follow_toolchain_and_profile(tmp_path: Path) -> None:
    assert load_module(_module(tmp_path, "")).strip_mode == "debug"  # C release: keep names
    assert load_module(_module(tmp_path, 'profile = "debug"')).strip_mode == "none"
    assert load_module(_module(tmp_path, 'strip = "all"')).strip_mode == "all"
    cmd = load_module(_module(tmp_path, 'command = "make"'))
    assert cmd.toolchain == "command" and cmd.strip_mode == "none"  # its output, as is


def test_workspace_globs_pick_module_folders(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "h.wat").write_text("(module)")
    (tmp_path / "docs").mkdir()  # matched by the glob, not a module: skipped
    (tmp_path / "workbench.toml").write_text('modules = ["*"]\n')
    assert [m.name for m in load_workspace([tmp_path]).modules] == ["a", "b"]
    (tmp_path / "workbench.toml").write_text('modules = ["x*"]\n')
    with pytest.raises(ConfigError, match="no module folder matches 'x\\*'"):
        load_workspace([tmp_path])


def test_a_module_folder_inside_a_workspace_gets_its_settings(tmp_path: Path) -> None:
    (tmp_path / "workbench.toml").write_text(
        'debounce_ms = 80\n[variables]\nhost = "example.com"\n[chaos]\nseed = 7\n')
    (tmp_path / "handlers" / "one").mkdir(parents=True)
    (tmp_path / "handlers" / "one" / "h.wat").write_text("(module)")
    (tmp_path / "handlers" / "broken").mkdir()  # not loaded: only what was asked for
    (tmp_path / "handlers" / "broken" / "module.toml").write_text("oops")
    ws = load_workspace([tmp_path / "handlers" / "one"])
    assert [m.name for m in ws.modules] == ["one"]
    assert ws.variables == {"host": "example.com"} and ws.debounce_ms == 80
    assert ws.root == tmp_path.resolve() and ws.modules[0].chaos.seed == 7
