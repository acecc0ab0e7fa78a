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


# ---- real manifests (benchmarks/spin_corpus.py), trimmed to what each test needs ------

def test_a_version_1_manifest_is_read_like_spin_2_reads_it(tmp_path: Path) -> None:
    # from github.com/Brudle/wagi-go (spin_version = "1": Spin 2 and 3 still run it)
    app = _app(tmp_path, '''\
        spin_version = "1"
        name = "spin-go-hello"
        trigger = { type = "http", base = "/" }
        version = "1.0.0"

        [[component]]
        id = "hello"
        source = "main.wasm"
        [component.trigger]
        route = "/"
        executor = { type = "wagi" }
        ''')
    [m] = load_workspace([app]).modules
    assert (m.name, m.toolchain, m.abi, m.route, m.spin_route) == (
        "hello", "prebuilt", "wagi", "/", "/")
    assert m.output == app.resolve() / "main.wasm"
    assert reload_module(m) == m


@pytest.mark.parametrize(("base", "route", "spin_route", "prefix"), [
    ("/", "/...", "/...", "/"), ("/api", "/...", "/api/...", "/api"),
    ("/api/", "/users/:id", "/api/users/:id", "/api/users"), ("/api", "/", "/api/", "/api")])
def test_a_version_1_route_is_below_the_apps_base(tmp_path: Path, base: str, route: str,
                                                  spin_route: str, prefix: str) -> None:
    # from github.com/SRVng/spin-tinygo-json-example (spin_manifest_version = "1")
    app = _app(tmp_path, f'''\
        spin_manifest_version = "1"
        name = "go-spin"
        trigger = {{ type = "http", base = "{base}" }}
        [[component]]
        id = "go-spin"
        source = "main.wasm"
        [component.trigger]
        route = "{route}"
        [component.build]
        command = "tinygo build -target=wasi -gc=leaking -no-debug -o main.wasm main.go"
        ''')
    [m] = load_spin_app(app)
    assert (m.route, m.spin_route, m.toolchain) == (prefix, spin_route, "command")
    assert [r.name for r in m.requires] == ["tinygo"]


def test_a_workdir_build_that_writes_its_wasm_elsewhere_is_a_module(tmp_path: Path) -> None:
    # from github.com/ThorstenHans/finicky-whiskers: each component builds in its own
    # workdir and moves its .wasm to ../components/ (was refused: "both build in" app/)
    app = _app(tmp_path, '''\
        spin_manifest_version = 2
        [application]
        name = "finicky-whiskers"
        [[trigger.http]]
        route = "/tally"
        component = "tally"
        [component.tally]
        source = "components/tally.wasm"
        [component.tally.build]
        workdir = "tally"
        command = "cargo build --target wasm32-wasip1 --release && mv target/wasm32-wasip1/release/tally.wasm ../components/"
        watch = ["src/**/*.rs", "Cargo.toml"]
        [[trigger.http]]
        route = "/score"
        component = "scoreboard"
        [component.scoreboard]
        source = "components/scoreboard.wasm"
        [component.scoreboard.build]
        command = "cargo build --target wasm32-wasip1 --release && mv target/wasm32-wasip1/release/scoreboard.wasm ../components/"
        workdir = "scoreboard"
        watch = ["src/**/*.rs", "Cargo.toml"]
        ''')  # noqa: E501 - the manifest's own line
    tally, score = load_workspace([app]).modules
    assert (tally.root, score.root) == ((app / "tally").resolve(), (app / "scoreboard").resolve())
    assert tally.output == app.resolve() / "components" / "tally.wasm"
    assert tally.command is not None and tally.command.startswith("cargo build")  # in root
    assert (tally.sources, score.route) == (("src/**/*.rs", "Cargo.toml"), "/score")
    assert reload_module(score) == score


def test_cargo_workspace_members_with_workdirs_are_modules(tmp_path: Path) -> None:
    # from github.com/BLaZeKiLL/Spin-O-Llama: workdir per member, .wasm in the shared
    # target/ of the workspace (was refused: "both build in" the app folder)
    app = _app(tmp_path, '''\
        spin_manifest_version = 2
        [[trigger.http]]
        route = "/api/generate"
        component = "generate"
        [component.generate]
        source = "target/wasm32-wasi/release/generate.wasm"
        [component.generate.build]
        command = "cargo build --target wasm32-wasi --release"
        workdir = "generate"
        [[trigger.http]]
        route = "/api/embeddings"
        component = "embeddings"
        [component.embeddings]
        source = "target/wasm32-wasi/release/embeddings.wasm"
        [component.embeddings.build]
        command = "cargo build --target wasm32-wasi --release"
        workdir = "embeddings"
        ''')
    gen, emb = load_spin_app(app)
    assert (gen.root.name, emb.root.name) == ("generate", "embeddings")
    assert emb.output == app.resolve() / "target/wasm32-wasi/release/embeddings.wasm"


def test_builds_from_the_app_folder_get_their_sources_folder(tmp_path: Path) -> None:
    # from github.com/spinframework/spin examples/spin-wagi-http: no workdir, each build
    # names its own folder (was refused: "both build in" the app folder)
    app = _app(tmp_path, '''\
        spin_manifest_version = 2
        [[trigger.http]]
        route = "/hello"
        component = "hello"
        executor = { type = "wagi" }
        [[trigger.http]]
        route = "/goodbye"
        component = "goodbye"
        executor = { type = "http" }
        [component.hello]
        source = "wagi-http-cpp/main.wasm"
        [component.hello.build]
        command = "make build -C wagi-http-cpp"
        [component.goodbye]
        source = "http-rust/target/wasm32-wasip2/release/goodbyerust.wasm"
        [component.goodbye.build]
        command = "cargo build --target wasm32-wasip2 --release --manifest-path http-rust/Cargo.toml"
        ''')  # noqa: E501 - the manifest's own line
    hello, bye = load_spin_app(app)
    assert (hello.root, hello.abi, hello.output) == (
        (app / "wagi-http-cpp").resolve(), "wagi", (app / "wagi-http-cpp/main.wasm").resolve())
    assert bye.root == (app / "http-rust").resolve()
    # the command still runs where `spin build` runs it: the app folder
    assert bye.command == f"cd {app.resolve()} && cargo build --target wasm32-wasip2 " \
                          "--release --manifest-path http-rust/Cargo.toml"
    assert [r.name for r in hello.requires] == ["make"]


def test_one_component_at_two_routes_is_one_module(tmp_path: Path) -> None:
    app = _app(tmp_path, '''\
        spin_manifest_version = 2
        [[trigger.http]]
        route = "/a/..."
        component = "c"
        [[trigger.http]]
        route = "/b/..."
        component = "c"
        [component.c]
        source = "c.wasm"
        [component.c.build]
        command = "make"
        ''')
    [m] = load_workspace([app]).modules  # (was: "both build in" the app folder)
    assert (m.name, m.route) == ("c", "/a")


TS_TEMPLATE = '''\
spin_manifest_version = 2
[application]
name = "{{project-name}}"
[[trigger.http]]
route = "{{http-path}}"
component = "{{project-name | kebab_case}}"
[component.{{project-name | kebab_case}}]
source = "target/{{project-name | kebab_case}}.wasm"
[component.{{project-name | kebab_case}}.build]
command = "{{ package-manager }} run build"
'''  # from github.com/fermyon/spin-js-sdk templates/http-ts/content/spin.toml


@pytest.mark.parametrize(("manifest", "message"), [
    (TS_TEMPLATE, "invalid TOML"),
    ('spin_manifest_version = 2\n[[trigger.http]]\nroute = "/..."\ncomponent = "c"\n'
     '[component.c]\nsource = "target/{{ name }}.wasm"\n',
     "source = 'target/{{ name }}.wasm' holds a {{ ... }} expression"),
    ('spin_manifest_version = 2\n[[trigger.http]]\nroute = "/..."\ncomponent = "c"\n'
     '[component.c]\nsource = "c.wasm"\n[component.c.build]\n'
     'command = ["{{package-manager}} install", "npm run build"]\n',
     "command = '{{package-manager}} install && npm run build' holds"),
])
def test_template_placeholders_are_named_not_run(tmp_path: Path, manifest: str,
                                                 message: str) -> None:
    app = _app(tmp_path, manifest)
    with pytest.raises(ConfigError) as err:
        load_spin_app(app)
    assert message in err.value.message
    assert err.value.hint is not None and "`spin new` fills in" in err.value.hint


def test_a_source_outside_the_app_names_the_real_path(tmp_path: Path) -> None:
    app = _app(tmp_path, '''\
        spin_manifest_version = 2
        [[trigger.http]]
        route = "/..."
        component = "c"
        [component.c]
        source = "../elsewhere/c.wasm"
        [component.c.build]
        command = "make"
        workdir = "src"
        ''')
    with pytest.raises(ConfigError) as err:
        load_spin_app(app)
    outside = tmp_path.resolve() / "elsewhere" / "c.wasm"  # (was: app/elsewhere/c.wasm)
    assert f"is {outside}, outside the Spin app's folder" in err.value.message
    assert err.value.hint == f"open the .wasm file itself: workbench {outside}"


def test_a_workdir_build_writing_elsewhere_builds_through_the_entry_point(
        tmp_path: Path) -> None:
    # finicky-whiskers' shape end to end: the build runs in its workdir and writes
    # ../components/app.wasm, which is what `workbench build` then reads
    build_py = BUILD_PY.replace('"target/app.wasm"', '"../components/app.wasm"')
    app = _app(tmp_path, f'''\
        spin_manifest_version = 2
        [[trigger.http]]
        route = "/tally"
        component = "tally"
        [component.tally]
        source = "components/app.wasm"
        [component.tally.build]
        workdir = "tally"
        command = "{sys.executable} build.py"
        ''', **{"tally__build.py": build_py})
    env = {**os.environ, "NO_COLOR": "1", "WORKBENCH_TRUST": "1"}
    out = subprocess.run([sys.executable, "-m", "workbench", "build", str(app), "--json"],
                         capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode == 0, out.stdout + out.stderr
    doc = json.loads(out.stdout)
    assert [(m["module"], m["ok"]) for m in doc["modules"]] == [("tally", True)]
    assert (app / "components" / "app.wasm").is_file()


def test_go_template_braces_inside_a_command_are_the_shells(tmp_path: Path) -> None:
    # from github.com/spinframework/spin-go-sdk v2/http/testdata/http-tinygo: `{{.Dir}}`
    # is go list's template, not a Spin placeholder: the command is kept as written
    command = ("tinygo build -target=wasip2 --wit-package $(go list -mod=readonly -m -f "
               "'{{.Dir}}' github.com/spinframework/spin-go-sdk/v2)/wit --wit-world "
               "http-trigger -gc=leaking -no-debug -o main.wasm main.go")
    app = _app(tmp_path, f'''\
        spin_manifest_version = 2
        [[trigger.http]]
        route = "/hello"
        component = "hello"
        [component.hello]
        source = "main.wasm"
        [component.hello.build]
        command = "{command}"
        ''')
    [m] = load_spin_app(app)
    assert (m.command, m.route) == (command, "/hello")
    assert [r.name for r in m.requires] == ["tinygo"]


def test_cargo_workspace_members_without_workdir_get_their_watched_folder(
        tmp_path: Path) -> None:
    # from github.com/AuthorWorks/authorworks: no workdir, every .wasm in the shared
    # target/, each build.watch in the member's folder (was refused: "both build in")
    app = _app(tmp_path, '''\
        spin_manifest_version = 2
        [[trigger.http]]
        route = "/api/user/..."
        component = "user-service"
        [component.user-service]
        source = "target/wasm32-wasip1/release/authorworks_user_service.wasm"
        [component.user-service.build]
        command = "cargo build --target wasm32-wasip1 --release --manifest-path authorworks-user-service/Cargo.toml"
        watch = ["authorworks-user-service/src/**/*.rs", "authorworks-user-service/Cargo.toml"]
        [[trigger.http]]
        route = "/api/content/..."
        component = "content-service"
        [component.content-service]
        source = "target/wasm32-wasip1/release/authorworks_content_service.wasm"
        [component.content-service.build]
        command = "cargo build --target wasm32-wasip1 --release --manifest-path authorworks-content-service/Cargo.toml"
        watch = ["authorworks-content-service/src/**/*.rs", "authorworks-content-service/Cargo.toml"]
        ''')  # noqa: E501 - the manifest's own lines
    user, content = load_workspace([app]).modules
    assert user.root == (app / "authorworks-user-service").resolve()
    assert user.sources == ("src/**/*.rs", "Cargo.toml")
    assert user.output == (app / "target/wasm32-wasip1/release/"
                           "authorworks_user_service.wasm").resolve()
    assert user.command is not None and user.command.startswith(f"cd {app.resolve()} && ")
    assert (content.root.name, content.route) == ("authorworks-content-service", "/api/content")


def test_components_that_cannot_be_opened_are_said_not_dropped(tmp_path: Path) -> None:
    """A fileserver from a URL beside a local component: the workspace lists it as left
    out with why (build and serve print it), and a workspace naming the app folder in
    `modules` keeps every component (it kept the last one only)."""
    app = _app(tmp_path, '''\
        spin_manifest_version = 2
        [[trigger.http]]
        route = "/static/..."
        component = "fileserver"
        [[trigger.http]]
        route = "/api/..."
        component = "api"
        [[trigger.http]]
        route = "/..."
        component = "web"
        [component.fileserver]
        source = { url = "https://example.com/spin_static_fs.wasm", digest = "sha256:00" }
        [component.api]
        source = "api.wasm"
        [component.web]
        source = "web.wasm"
        ''')
    ws = load_workspace([app])
    assert [m.name for m in ws.modules] == ["api", "web"]
    [gone] = ws.left_out
    assert gone.name == "fileserver" and "not a local .wasm file" in gone.reason
    (tmp_path / "workbench.toml").write_text('modules = ["app"]\n')
    listed = load_workspace([tmp_path])
    assert [m.name for m in listed.modules] == ["api", "web"]
    assert [g.name for g in listed.left_out] == ["fileserver"]
    out = subprocess.run([sys.executable, "-m", "workbench", "build", str(app)],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert "fileserver: left out: its source is not a local .wasm file" in " ".join(
        out.stdout.split()), out.stdout + out.stderr
