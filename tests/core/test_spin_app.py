"""A Spin app folder (spin.toml, manifest v2) opens as it is: one module per HTTP
component, built by its own build.command, served at its trigger's route."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from workbench.config.folders import load_module, reload_module
from workbench.config.module import is_module_folder
from workbench.config.spin import load_spin_app
from workbench.config.workspace import load_workspace
from workbench.core.build.watch import Watcher
from workbench.core.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]

# what `spin new -t http-rust hello` writes (spinframework.dev manifest reference)
RUST_TEMPLATE = '''\
spin_manifest_version = 2

[application]
name = "hello"
version = "0.1.0"
authors = ["Someone <someone@example.com>"]
description = ""

[[trigger.http]]
route = "/..."
component = "hello"

[component.hello]
source = "target/wasm32-wasip1/release/hello.wasm"
allowed_outbound_hosts = []
[component.hello.build]
command = "cargo build --target wasm32-wasip1 --release"
watch = ["src/**/*.rs", "Cargo.toml"]
'''


def _app(tmp_path: Path, manifest: str, **files: str) -> Path:
    app = tmp_path / "app"
    app.mkdir()
    (app / "spin.toml").write_text(textwrap.dedent(manifest))
    for name, text in files.items():
        path = app / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return app


def test_the_rust_template_is_one_command_module_at_slash(tmp_path: Path) -> None:
    app = _app(tmp_path, RUST_TEMPLATE, **{"Cargo.toml": "[package]\nname = 'hello'\n",
                                           "src__lib.rs": "// handler\n"})
    assert is_module_folder(app)
    [m] = load_workspace([app]).modules
    assert (m.name, m.toolchain, m.route, m.root) == ("hello", "command", "/", app.resolve())
    assert m.command == "cargo build --target wasm32-wasip1 --release"
    assert m.output == app.resolve() / "target/wasm32-wasip1/release/hello.wasm"
    assert m.sources == ("src/**/*.rs", "Cargo.toml")
    assert [r.name for r in m.requires] == ["cargo"]
    assert m.config_file == app.resolve() / "spin.toml"
    assert m.spin_route == "/..."  # serve adds Spin's spin-* headers from it
    # spin.toml wins over the Cargo.toml beside it (not the workbench's own Rust build)
    assert load_module(app) == m
    assert reload_module(m) == m


def test_components_of_spin_add_are_modules_in_their_workdirs(tmp_path: Path) -> None:
    app = _app(tmp_path, '''\
        spin_manifest_version = 2
        [application]
        name = "shop"
        [[trigger.http]]
        route = "/api/..."
        component = "api"
        [[trigger.http]]
        route = "/users/:id"
        component = "users"
        [[trigger.http]]
        route = "/cgi"
        component = "legacy"
        executor = { type = "wagi" }
        [[trigger.http]]
        route = "/static/..."
        component = { source = { url = "https://example.com/fs.wasm", digest = "sha256:00" } }
        [[trigger.http]]
        route = { private = true }
        component = "internal"
        [component.api]
        source = "api/target/wasm32-wasip1/release/api.wasm"
        [component.api.build]
        command = "cargo build --target wasm32-wasip1 --release"
        workdir = "api"
        watch = ["src/**/*.rs"]
        [component.users]
        source = "users/dist/users.wasm"
        [component.users.build]
        command = ["npm install", "npm run build"]
        workdir = "users"
        [component.legacy]
        source = "legacy.wasm"
        [component.internal]
        source = "internal.wasm"
        ''')
    mods = {m.name: m for m in load_spin_app(app)}
    assert list(mods) == ["api", "users", "legacy"]  # remote source, private route: skipped
    api, users, legacy = mods["api"], mods["users"], mods["legacy"]
    assert (api.root, api.route, api.sources) == ((app / "api").resolve(), "/api",
                                                  ("src/**/*.rs",))
    assert api.output == (app / "api/target/wasm32-wasip1/release/api.wasm").resolve()
    assert (users.route, users.command) == ("/users", "npm install && npm run build")
    assert [r.name for r in users.requires] == ["npm"]
    assert (legacy.toolchain, legacy.abi, legacy.route) == ("prebuilt", "wagi", "/cgi")
    # one component of several, read again by name (the watcher's and the app's reload)
    assert reload_module(api) == api
    with pytest.raises(ConfigError, match="3 HTTP components .*which one"):
        load_module(app)


@pytest.mark.parametrize(("route", "prefix"), [
    ("/...", "/"), ("/", "/"), ("/hello", "/hello"), ("/api/v1/...", "/api/v1"),
    ("/users/:id", "/users"), ("/users/:id/orders/...", "/users")])
def test_spin_routes_become_prefixes(tmp_path: Path, route: str, prefix: str) -> None:
    app = _app(tmp_path, f'''\
        spin_manifest_version = 2
        [[trigger.http]]
        route = "{route}"
        component = "c"
        [component.c]
        source = "c.wasm"
        ''')
    assert load_spin_app(app)[0].route == prefix


@pytest.mark.parametrize(("manifest", "message"), [
    ('spin_manifest_version = "1"\nname = "x"\n', "needs \\[\\[component\\]\\] tables"),
    ('[[trigger.http]]\nroute = "/"\ncomponent = "c"\n', "no spin_manifest_version: "
     "the workbench reads Spin manifests of version 1 and 2"),
    ('spin_manifest_version = 3\n', "spin_manifest_version = 3: the workbench reads"),
    ("spin_manifest_version = 2\n", "no \\[\\[trigger.http\\]\\]"),
    ('spin_manifest_version = 2\n[[trigger.http]]\nroute = "/"\ncomponent = "nope"\n',
     "no \\[component.nope\\] table"),
    ('spin_manifest_version = 2\n[[trigger.http]]\nroute = "api"\ncomponent = "c"\n'
     '[component.c]\nsource = "c.wasm"\n', "not a Spin route"),
    ('spin_manifest_version = 2\n[[trigger.redis]]\nchannel = "x"\ncomponent = "c"\n',
     "nothing here answers HTTP"),
    ('spin_manifest_version = 2\n[[trigger.http]]\nroute = "/a"\ncomponent = "a"\n'
     '[[trigger.http]]\nroute = "/b"\ncomponent = "b"\n'
     '[component.a]\nsource = "a.wasm"\n[component.a.build]\ncommand = "make a"\n'
     '[component.b]\nsource = "b.wasm"\n[component.b.build]\ncommand = "make b"\n',
     "both build in"),
])
def test_manifests_the_workbench_cannot_use_say_why(tmp_path: Path, manifest: str,
                                                    message: str) -> None:
    app = _app(tmp_path, manifest)
    with pytest.raises(ConfigError, match=message) as err:
        load_spin_app(app)
    assert err.value.file is not None and err.value.file.endswith("spin.toml")
    broken: list = []  # the app lists such a folder with its error, others still load
    assert load_workspace([app], broken=broken).modules == ()
    assert broken and broken[0][0] == app.resolve()


def test_a_spin_toml_edit_is_a_config_change(tmp_path: Path) -> None:
    app = _app(tmp_path, RUST_TEMPLATE, **{"src__lib.rs": "// v1\n"})
    [m] = load_workspace([app]).modules
    watcher = Watcher([m], on_event=lambda *a: None)
    (app / "spin.toml").write_text(RUST_TEMPLATE.replace('"/..."', '"/v2/..."'))
    found = watcher.classify(app / "spin.toml")
    assert found is not None and found[1] == "config"
    (app / "src" / "lib.rs").write_text("// v2\n")
    found = watcher.classify(app / "src" / "lib.rs")
    assert found is not None and found[1] == "source"


HELLO_WAT = str(REPO / "sample_modules" / "hello-wat" / "hello.wat")
BUILD_PY = f'''\
import pathlib, wasmtime
wat = pathlib.Path({HELLO_WAT!r}).read_text()
out = pathlib.Path("target/app.wasm")
out.parent.mkdir(exist_ok=True)
out.write_bytes(wasmtime.wat2wasm(wat))
'''


def test_a_spin_app_builds_and_answers_through_the_entry_point(tmp_path: Path) -> None:
    app = _app(tmp_path, f'''\
        spin_manifest_version = 2
        [application]
        name = "hello"
        [[trigger.http]]
        route = "/..."
        component = "hello"
        [component.hello]
        source = "target/app.wasm"
        [component.hello.build]
        command = "{sys.executable} build.py"
        watch = ["build.py"]
        ''', **{"build.py": BUILD_PY})
    env = {**os.environ, "NO_COLOR": "1"}

    def wb(*args: str) -> subprocess.CompletedProcess[str]:
        out = subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True,
                             text=True, env=env, timeout=120, cwd=tmp_path)
        assert "Traceback" not in out.stderr, out.stderr
        return out

    refused = wb("build", str(app))  # its build runs the folder's code: trust first
    assert refused.returncode != 0 and "trust" in (refused.stdout + refused.stderr)
    assert not (app / "target").exists()
    env["WORKBENCH_TRUST"] = "1"
    built = wb("build", str(app), "--json")
    assert built.returncode == 0, built.stdout + built.stderr
    doc = json.loads(built.stdout)
    assert [(m["module"], m["ok"]) for m in doc["modules"]] == [("hello", True)]
    ran = wb("run", str(app), "--path", "/", "--json")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert json.loads(ran.stdout)["status"] == 200


def test_serve_routes_a_spin_app_with_spins_headers(tmp_path: Path) -> None:
    """`workbench serve APP` in a fresh interpreter: the trigger's route, and the handler
    (here one that answers the request it got) sees spin-path-info."""
    import http.client

    from tests.core.runtime.handlers import edge

    app = _app(tmp_path, '''\
        spin_manifest_version = 2
        [[trigger.http]]
        route = "/files/..."
        component = "files"
        [component.files]
        source = "echo.wasm"
        ''')
    (app / "echo.wasm").write_bytes(edge("(call $echo (local.get $p) (local.get $n))"))
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "serve", str(app), "--listen",
                             "127.0.0.1:0", "--json", "--no-reload"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        assert proc.stdout is not None
        routes: dict = {}
        while not routes:
            line = proc.stdout.readline()
            assert line, "serve exited before listening: " + (proc.stderr.read() if
                                                              proc.stderr else "")
            doc = json.loads(line)
            routes = doc if doc.get("event") == "routes" else {}
        assert [(r["prefix"], r["module"]) for r in routes["routes"]] == [("/files", "files")]
        c = http.client.HTTPConnection("127.0.0.1", int(routes["url"].rsplit(":", 1)[1]),
                                       timeout=30)
        c.request("GET", "/files/css/site.css")
        r = c.getresponse()
        body = r.read().decode().lower()
        assert r.status == 200 and "spin-path-info: /css/site.css\r\n" in body
        assert "spin-matched-route: /files/...\r\n" in body
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err
