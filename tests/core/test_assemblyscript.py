"""The AssemblyScript toolchain: asc's diagnostics, the missing-toolchain messages, the
arguments it runs asc with, and (when `npm install` ran in the sample) a real build and
replay of sample_modules/hello-assemblyscript.

The diagnostics fixtures in fixtures/asc/ are asc 0.28.20's real output, captured with
NO_COLOR=1 and stdout+stderr together, as the builder runs it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from workbench.config.module import load_module
from workbench.core.abi.detect import ImportInfo, detect_from
from workbench.core.build.builder import build_module
from workbench.core.build.diagnostics import Diagnostic, parse_any, parse_asc
from workbench.core.build.toolchains import assemblyscript, plan_for
from workbench.core.errors import ConfigError, ToolchainMissing

FIXTURES = Path(__file__).parent / "fixtures" / "asc"
SAMPLE = Path(__file__).resolve().parents[2] / "sample_modules" / "hello-assemblyscript"
E, W = "error", "warning"


@pytest.mark.parametrize(("fixture", "expected"), [
    ("compile_errors.txt", (
        Diagnostic("assembly/index.ts", 8, 15, E,
                   "Conversion from type 'i32' to 'i8' requires an explicit cast. [AS200]"),
        Diagnostic("assembly/index.ts", 9, 16, E, "Cannot find name 'q'. [TS2304]"),
        Diagnostic("assembly/index.ts", 12, 10, E, "Cannot find name 'nope'. [TS2304]"),
    )),
    # A duplicate shows the first definition as a second `in` line: context, not a place.
    ("related_and_warning.txt", (
        Diagnostic("assembly/index.ts", 6, 5, E, "Duplicate identifier 'x'. [TS2300]"),
        Diagnostic("assembly/util.ts", 2, 10, E, "Cannot find name 'missing'. [TS2304]"),
        Diagnostic("assembly/index.ts", 10, 14, W, "Only variables, functions and enums "
                   "become WebAssembly module exports. [AS235]"),
    )),
    ("parse_error.txt", (
        Diagnostic("assembly/index.ts", 2, 13, E, "Unexpected end of text. [TS1126]"),)),
    ("file_not_found.txt", (
        Diagnostic(None, None, None, E, "File 'assembly/nope.ts' not found. [TS6054]"),)),
    ("node_crash.txt", (
        Diagnostic(None, None, None, E,
                   "asc failed: Error: Asconfig is not valid json: asconfig.json"),)),
])
def test_real_asc_output_is_parsed(fixture: str, expected: tuple[Diagnostic, ...]) -> None:
    assert parse_asc((FIXTURES / fixture).read_text(encoding="utf-8")) == expected


def test_a_header_without_a_place_does_not_take_the_next_ones() -> None:
    text = (FIXTURES / "file_not_found.txt").read_text(encoding="utf-8") + \
        (FIXTURES / "parse_error.txt").read_text(encoding="utf-8")
    assert [(d.file, d.line) for d in parse_asc(text)] == \
        [(None, None), ("assembly/index.ts", 2)]


def test_custom_commands_running_asc_get_the_same_diagnostics() -> None:
    text = (FIXTURES / "compile_errors.txt").read_text(encoding="utf-8")
    assert parse_any(text) == parse_asc(text)


# --- missing toolchain -------------------------------------------------------------

def _module(root: Path, package: dict | None = None, asconfig: str | None = "{}") -> Path:
    (root / "assembly").mkdir(parents=True)
    (root / "assembly" / "index.ts").write_text("export function handle(p: i32, n: i32): i32 "
                                                "{ return p; }\n")
    if asconfig is not None:
        (root / "asconfig.json").write_text(asconfig)
    if package is not None:
        (root / "package.json").write_text(json.dumps(package))
    (root / "module.toml").write_text('toolchain = "assemblyscript"\n')
    return root


def _node_at(monkeypatch: pytest.MonkeyPatch, path: str | None) -> None:
    monkeypatch.setattr(assemblyscript.shutil, "which",
                        lambda name: path if name == "node" else None)


def test_missing_node_says_what_to_install_and_run(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = _module(tmp_path / "mod")
    _node_at(monkeypatch, None)
    with pytest.raises(ToolchainMissing) as info:
        build_module(load_module(root))
    assert "node is not installed" in info.value.message
    assert info.value.hint == (f"install Node.js 20 or newer (https://nodejs.org), then run "
                               f"`npm install` in {root.resolve()}")


def test_missing_npm_install_says_run_npm_install_in_the_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _module(tmp_path / "mod", {"devDependencies": {"assemblyscript": "0.28.20"}})
    _node_at(monkeypatch, "/usr/bin/node")
    with pytest.raises(ToolchainMissing) as info:
        build_module(load_module(root))
    assert info.value.hint == f"run `npm install` in {root.resolve()}"
    assert "node_modules/assemblyscript/bin/asc.js" in info.value.message
    monkeypatch.chdir(tmp_path)  # a folder below the current one is shown relative
    with pytest.raises(ToolchainMissing) as info:
        build_module(load_module(root))
    assert info.value.hint == "run `npm install` in mod"


def test_undeclared_assemblyscript_says_save_dev(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = _module(tmp_path / "mod", {"devDependencies": {"typescript": "5"}})
    _node_at(monkeypatch, "/usr/bin/node")
    with pytest.raises(ToolchainMissing) as info:
        build_module(load_module(root))
    assert info.value.hint == f"run `npm install --save-dev assemblyscript` in {root.resolve()}"


# --- how asc is run ----------------------------------------------------------------

def _fake_asc(folder: Path) -> Path:
    asc = folder / "node_modules" / "assemblyscript" / "bin" / "asc.js"
    asc.parent.mkdir(parents=True)
    asc.write_text("// not run\n")
    return asc


def test_argv_uses_the_hoisted_asc_with_node_never_npx(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    asc = _fake_asc(tmp_path)  # npm workspaces hoist node_modules to the parent
    root = _module(tmp_path / "packages" / "mod")
    _node_at(monkeypatch, "/usr/bin/node")
    partial = root / "build" / "p.wasm"
    argv = plan_for(load_module(root), partial).argv
    assert argv == ("/usr/bin/node", str(asc), "assembly/index.ts", "--config", "asconfig.json",
                    "--optimizeLevel", "3", "--shrinkLevel", "2", "--debug",
                    "--outFile", str(partial), "--noColors")


def test_argv_follows_asconfig_targets_entries_profile_and_flags(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _module(tmp_path / "mod", asconfig=json.dumps(
        {"entries": ["assembly/index.ts"], "targets": {"release": {}, "debug": {}}}))
    _fake_asc(root)
    _node_at(monkeypatch, "/usr/bin/node")
    (root / "module.toml").write_text('toolchain = "assemblyscript"\nprofile = "debug"\n'
                                      'flags = ["--runtime", "stub"]\n')
    argv = plan_for(load_module(root), root / "p.wasm").argv
    assert argv is not None
    assert argv[2:] == ("--config", "asconfig.json", "--target", "debug", "--debug",
                        "--outFile", str(root / "p.wasm"), "--noColors", "--runtime", "stub")
    (root / "asconfig.json").write_text('{"options": {"shrinkLevel": 1}}')
    (root / "module.toml").write_text('toolchain = "assemblyscript"\n')
    argv = plan_for(load_module(root), root / "p.wasm").argv
    assert argv is not None and "--optimizeLevel" not in argv  # the config chose


def test_invalid_asconfig_is_a_config_error_at_its_line(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = _module(tmp_path / "mod", asconfig='{\n  "targets": {\n    "release": ,\n')
    _fake_asc(root)
    _node_at(monkeypatch, "/usr/bin/node")
    with pytest.raises(ConfigError) as info:
        build_module(load_module(root))
    assert info.value.file.endswith("asconfig.json") and info.value.line == 3


def test_no_entry_is_a_config_error_naming_entries(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = _module(tmp_path / "mod")
    (root / "assembly" / "index.ts").unlink()
    _fake_asc(root)
    _node_at(monkeypatch, "/usr/bin/node")
    with pytest.raises(ConfigError) as info:
        build_module(load_module(root))
    assert info.value.key == "entries" and '"entries"' in (info.value.hint or "")


def test_env_abort_import_points_at_asconfig_use() -> None:
    from workbench.core.abi.detect import ExportInfo
    from workbench.core.wasm.model import FuncType

    i32 = "i32"
    exports = [ExportInfo("memory", "memory"),
               ExportInfo("alloc", "func", FuncType((i32,), (i32,))),
               ExportInfo("handle", "func", FuncType((i32, i32), (i32,)))]
    report = detect_from(exports, [ImportInfo("env", "abort", "func")])
    (problem,) = report.problems
    assert "`env.abort` comes from AssemblyScript" in problem
    assert '"use": ["abort=assembly/index/onAbort"]' in problem
    other = detect_from(exports, [ImportInfo("env", "now", "func")]).problems
    assert "AssemblyScript" not in other[0]


# --- the real thing ----------------------------------------------------------------

needs_asc = pytest.mark.skipif(
    not (SAMPLE / "node_modules" / ".bin" / "asc").exists() or shutil.which("node") is None,
    reason="run `npm install` in sample_modules/hello-assemblyscript (and have node) for "
           "the real AssemblyScript build")


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """The sample without build outputs, its node_modules linked (never copied)."""
    dest = tmp_path / "hello-assemblyscript"
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns(
        "build", "node_modules", ".workbench"))
    os.symlink(SAMPLE / "node_modules", dest / "node_modules")
    return dest


@needs_asc
def test_sample_builds_and_replays(sample_copy: Path) -> None:
    from workbench.core.hooks.rules import load_hooks
    from workbench.core.requests.files import load_requests
    from workbench.core.requests.replay import replay
    from workbench.core.runtime.harness import Harness
    from workbench.core.wasm import parse_module

    cfg = load_module(sample_copy)
    result = build_module(cfg)
    assert result.ok, result.output
    assert result.errors == () and result.wasm_path is not None
    assert 8_000 < result.size < cfg.budget.max_bytes  # type: ignore[operator]
    assert "asc.js" in (result.command or "") and "npx" not in (result.command or "")
    module = parse_module(result.wasm_path.read_bytes())
    assert {"assembly/index/handle", "assembly/index/parseRequest"} <= \
        {f.name for f in module.functions}
    assert [(i.module, i.name) for i in module.imports] == [("edge", "log")]

    harness = Harness(result.wasm_path, limits=cfg.limits, name=cfg.name)
    assert harness.abi.name == "edge" and harness.abi.ok, harness.abi.problems
    assert cfg.requests is not None and cfg.hooks is not None
    entries = load_requests(cfg.requests, {"host": "example.com"})
    report = replay(entries, harness, hooks=load_hooks(cfg.hooks), store=None,
                    module=cfg.name, save=False)
    failures = [f"{e.entry.name}: {[a.to_json() for a in e.failures]} error={e.error}"
                for e in report.entries if not e.passed]
    assert not failures, "\n".join(failures)
    assert len(report.entries) == len(entries) >= 7


@needs_asc
def test_sample_compile_error_is_located_and_keeps_the_module(sample_copy: Path) -> None:
    cfg = load_module(sample_copy)
    good = build_module(cfg)
    assert good.ok, good.output
    index = sample_copy / "assembly" / "index.ts"
    lines = index.read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines) if "const req = parseRequest" in line)
    lines.insert(at + 1, "  total += 1;")
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = build_module(cfg)
    assert not bad.ok and bad.stale and bad.wasm_path == good.wasm_path
    assert bad.errors == (Diagnostic("assembly/index.ts", at + 2, 3, "error",
                                     "Cannot find name 'total'. [TS2304]"),)
