"""Choosing the rustc that has the wasm32 standard library, with fake compilers.

Each fake `rustc` is a shell script answering `--version` and `--print target-libdir
--target T` the way rustup's and Debian's do: rustup prints a libdir even for a target
that is not installed (the folder just does not exist or holds no libcore), an old
rustc fails on a target name it does not know (`wasm32-wasip1` before 1.78).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from workbench.core.build.toolchains import check_available, plan_for, rust
from workbench.core.errors import ToolchainMissing

UNKNOWN = "wasm32-unknown-unknown"


def fake_rustc(folder: Path, version: str, *, with_std: tuple[str, ...] = (),
               known: tuple[str, ...] = (UNKNOWN, "wasm32-wasi"), cargo: bool = True,
               broken: bool = False) -> Path:
    """A `rustc` in `folder` (and a `cargo` beside it unless cargo=False)."""
    folder.mkdir(parents=True, exist_ok=True)
    libroot = folder / "rustlib"
    for triple in with_std:
        lib = libroot / triple / "lib"
        lib.mkdir(parents=True)
        (lib / "libcore-0123abcd.rlib").write_bytes(b"!<arch>\n")
    cases = "".join(f'    {t}) echo "{libroot}/{t}/lib";;\n' for t in known)
    script = (f"#!/bin/sh\npwd > '{folder}/cwd'\n"
              + ("exit 1\n" if broken else "")
              + f'if [ "$1" = --version ]; then echo "rustc {version} (fake)"; exit 0; fi\n'
              + 'case "$4" in\n' + cases
              + '    *) echo "error: could not find specification for target" >&2; exit 1;;\n'
              + "esac\n")
    rustc = folder / "rustc"
    rustc.write_text(script)
    rustc.chmod(rustc.stat().st_mode | stat.S_IEXEC)
    if cargo:
        (folder / "cargo").write_text("#!/bin/sh\nexit 0\n")
        (folder / "cargo").chmod(0o755)
    return rustc


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No real rustc is seen: empty PATH and HOME, no /usr/bin/rustc, empty caches."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("RUSTC", raising=False)
    monkeypatch.setattr(rust, "SYSTEM_RUSTC", (str(tmp_path / "usr" / "bin" / "rustc"),))
    monkeypatch.setattr(rust, "_FOUND", {})
    monkeypatch.setattr(rust, "_MISSING", {})
    return tmp_path


def test_path_rustc_without_std_is_skipped_for_the_system_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rustup = fake_rustc(tmp_path / "cargo-home" / "bin", "1.95.0")  # knows, but no std
    system = fake_rustc(tmp_path / "usr" / "bin", "1.63.0", with_std=(UNKNOWN,))
    monkeypatch.setenv("PATH", str(rustup.parent))
    found = rust.find_rust("wasm32-freestanding", tmp_path)
    assert (found.rustc, found.cargo) == (str(system), str(system.parent / "cargo"))
    assert (found.version, found.triple) == ("rustc 1.63.0", UNKNOWN)
    assert found.skipped == (f"{rustup}: rustc 1.95.0 has no {UNKNOWN} standard library",)
    assert found.describe() == (f"rustc 1.63.0 ({system}) with {system.parent / 'cargo'}, "
                                f"target {UNKNOWN}")


def test_first_candidate_with_std_wins_and_rustc_env_comes_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_path = fake_rustc(tmp_path / "a", "1.80.0", with_std=(UNKNOWN,))
    chosen = fake_rustc(tmp_path / "b", "1.70.0", with_std=(UNKNOWN,))
    monkeypatch.setenv("PATH", str(on_path.parent))
    assert rust.find_rust("wasm32-freestanding", tmp_path).rustc == str(on_path)
    monkeypatch.setenv("RUSTC", str(chosen))
    assert rust.candidates()[:2] == (str(chosen), str(on_path))
    found = rust.find_rust("wasm32-freestanding", tmp_path)
    assert found.rustc == str(chosen) and found.skipped == ()


def test_wasi_takes_whichever_name_the_rustc_knows(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    old = fake_rustc(tmp_path / "old", "1.63.0", with_std=("wasm32-wasi",))
    monkeypatch.setenv("PATH", str(old.parent))
    assert rust.find_rust("wasm32-wasi", tmp_path).triple == "wasm32-wasi"
    new = fake_rustc(tmp_path / "new", "1.80.0", with_std=("wasm32-wasip1",),
                     known=(UNKNOWN, "wasm32-wasip1"))
    monkeypatch.setenv("PATH", str(new.parent))
    assert rust.find_rust("wasm32-wasi", tmp_path).triple == "wasm32-wasip1"


def test_nothing_suitable_says_what_each_lacks_and_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_std = fake_rustc(tmp_path / "a", "1.95.0")
    broken = fake_rustc(tmp_path / "usr" / "bin", "1.63.0", broken=True)
    monkeypatch.setenv("PATH", str(no_std.parent))
    with pytest.raises(ToolchainMissing) as info:
        rust.find_rust("wasm32-freestanding", tmp_path / "mod")
    err = info.value
    assert err.message == (f"no Rust compiler here can build {UNKNOWN} ("
                           f"{no_std}: rustc 1.95.0 has no {UNKNOWN} standard library; "
                           f"{broken}: `rustc --version` failed)")
    assert err.hint == (f"with rustup (https://rustup.rs): `rustup target add {UNKNOWN}`; "
                        "on Debian/Ubuntu: `apt install rustc cargo libstd-rust-dev-wasm32`")
    assert err.where == str(tmp_path / "mod")
    with pytest.raises(ToolchainMissing) as none:
        monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
        broken.unlink()
        no_std.unlink()
        rust.find_rust("wasm32-wasi", tmp_path)
    assert "no rustc on PATH" in none.value.message
    assert "rustup target add wasm32-wasip1" in (none.value.hint or "")
    assert "names the target wasm32-wasi" in (none.value.hint or "")


def test_a_rustc_without_cargo_beside_it_uses_paths_cargo_or_is_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lone = fake_rustc(tmp_path / "lone", "1.63.0", with_std=(UNKNOWN,), cargo=False)
    monkeypatch.setenv("RUSTC", str(lone))
    with pytest.raises(ToolchainMissing, match="no cargo beside it or on PATH"):
        rust.find_rust("wasm32-freestanding", tmp_path)
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "cargo").write_text("#!/bin/sh\n")
    (tools / "cargo").chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setattr(rust, "_MISSING", {})
    assert rust.find_rust("wasm32-freestanding", tmp_path).cargo == str(tools / "cargo")


def test_probes_never_run_in_the_module_folder(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A rustup proxy obeys the working folder's rust-toolchain.toml (which may name any
    program): opening a workspace must not run a folder's code."""
    rustc = fake_rustc(tmp_path / "a", "1.63.0", with_std=(UNKNOWN,))
    monkeypatch.setenv("PATH", str(rustc.parent))
    module = tmp_path / "mod"
    module.mkdir()
    rust.find_rust("wasm32-freestanding", module)
    assert (rustc.parent / "cwd").read_text().strip() == os.path.abspath(os.sep)


def test_a_missing_target_is_seen_once_installed(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    rustc = fake_rustc(tmp_path / "a", "1.95.0")
    monkeypatch.setenv("PATH", str(rustc.parent))
    with pytest.raises(ToolchainMissing):
        rust.find_rust("wasm32-freestanding", tmp_path)
    lib = rustc.parent / "rustlib" / UNKNOWN / "lib"
    lib.mkdir(parents=True)
    (lib / "libcore-1.rlib").write_bytes(b"")  # `rustup target add` ran
    with pytest.raises(ToolchainMissing):  # a failed search is kept for a few seconds
        rust.find_rust("wasm32-freestanding", tmp_path)
    clock = rust.time.monotonic() + rust.MISSING_TTL_S + 1
    monkeypatch.setattr(rust.time, "monotonic", lambda: clock)
    assert rust.find_rust("wasm32-freestanding", tmp_path).rustc == str(rustc)


def _module(root: Path, target: str = "") -> object:
    from workbench.config.module import load_module

    root.mkdir(parents=True, exist_ok=True)
    (root / "Cargo.toml").write_text('[package]\nname = "my-handler"\n')
    extra = f'abi = "wagi"\ntarget = "{target}"\n' if target else ""
    (root / "module.toml").write_text('toolchain = "rust"\nprofile = "debug"\n' + extra)
    return load_module(root)


def test_plan_runs_the_chosen_cargo_with_rustc_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rustup = fake_rustc(tmp_path / "rustup", "1.95.0")
    system = fake_rustc(tmp_path / "usr" / "bin", "1.63.0", with_std=("wasm32-wasi",))
    monkeypatch.setenv("PATH", str(rustup.parent))
    cfg = _module(tmp_path / "mod", target="wasm32-wasi")
    plan = plan_for(cfg, tmp_path / "partial.wasm")  # type: ignore[arg-type]
    cargo = str(system.parent / "cargo")
    assert plan.argv is not None and plan.argv[:4] == (cargo, "build", "--target", "wasm32-wasi")
    assert plan.env == {"RUSTC": str(system)}
    assert plan.describe().startswith(f"RUSTC={system} {cargo} build ")
    assert plan.produced.parts[-3:] == ("wasm32-wasi", "debug", "my_handler.wasm")
    assert plan.notes[0] == f"using rustc 1.63.0 ({system}) with {cargo}, target wasm32-wasi"
    assert plan.notes[1].startswith(f"skipped {rustup}: rustc 1.95.0 has no wasm32-wasip1 or")


def test_missing_toolchain_is_a_typed_error_for_builds_and_availability(
        tmp_path: Path) -> None:
    from workbench.core.build.builder import build_module

    cfg = _module(tmp_path / "mod")
    with pytest.raises(ToolchainMissing) as built:
        build_module(cfg)  # type: ignore[arg-type]
    with pytest.raises(ToolchainMissing) as checked:
        check_available(cfg)  # type: ignore[arg-type]
    assert built.value.message == checked.value.message
    assert built.value.to_json()["kind"] == "toolchain"
    assert "libstd-rust-dev-wasm32" in (built.value.hint or "")
