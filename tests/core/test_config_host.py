"""module.toml `[[outbound]]` stubs and `[extism]`: parsed into HostConfig, mistakes named
with file, line and key (workbench/config/host.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config.module import load_module
from workbench.core.errors import ConfigError
from workbench.core.runtime.component.outbound import Stub


def _module(tmp_path: Path, toml: str) -> Path:
    folder = tmp_path / "m"
    folder.mkdir(exist_ok=True)
    (folder / "module.toml").write_text('name = "m"\ntoolchain = "wat"\n' + toml)
    (folder / "m.wat").write_text("(module)")
    return folder


def test_stubs_and_extism_function(tmp_path: Path) -> None:
    folder = _module(tmp_path, """
[extism]
function = "count_vowels"

[[outbound]]
url = "https://api.example.com/v1/*"
status = 201
headers = { "content-type" = "application/json", "x-n" = "1" }
body = '{"ok": true}'

[[outbound]]
url = "http://down.example/*"
error = "connection-refused"

[[outbound]]
url = "*"
body_file = "stubs/any.txt"
""")
    (folder / "stubs").mkdir()
    (folder / "stubs" / "any.txt").write_bytes(b"\x00any")
    host = load_module(folder).host
    assert host.extism_function == "count_vowels"
    assert host.outbound.stubs == (
        Stub("https://api.example.com/v1/*", 201,
             (("content-type", "application/json"), ("x-n", "1")), b'{"ok": true}'),
        Stub("http://down.example/*", error="connection-refused"),
        Stub("*", body=b"\x00any"))
    assert load_module(folder).to_json()["host"]["extism"] == {"function": "count_vowels"}


def test_defaults(tmp_path: Path) -> None:
    host = load_module(_module(tmp_path, "")).host
    assert host.outbound.stubs == () and host.extism_function == "handle"


@pytest.mark.parametrize(("toml", "line", "key", "text"), [
    ('[[outbound]]\nurl = "https://a/*"\n\n[[outbound]]\nstatus = 200\n', 6, "outbound[1].url",
     "needs url"),
    ('[[outbound]]\nurl = "ftp://a/*"\n', 4, "outbound[0].url", "needs url"),
    ('[[outbound]]\nurl = "https://a/*"\nstatus = 99\n', 5, "outbound[0].status", "100 to 599"),
    ('[[outbound]]\nurl = "https://a/*"\nerror = "nope"\n', 5, "outbound[0].error",
     "not a wasi:http error-code"),
    ('[[outbound]]\nurl = "https://a/*"\nerror = "DNS-timeout"\nbody = "x"\n', 5,
     "outbound[0].error", "not both"),
    ('[[outbound]]\nurl = "https://a/*"\nheaders = { a = 1 }\n', 5, "outbound[0].headers",
     "table of strings"),
    ('[[outbound]]\nurl = "https://a/*"\nbody_file = "../x"\n', 5, "outbound[0].body_file",
     "outside the module folder"),
    ('[[outbound]]\nurl = "https://a/*"\nbody_file = "gone.txt"\n', 5,
     "outbound[0].body_file", "cannot read body_file"),
    ('[[outbound]]\nurl = "https://a/*"\nstatsu = 200\n', 5, "outbound[0].statsu",
     "unknown key"),
    ('outbound = "https://a/*"\n', 3, "outbound", "array of tables"),
    ('[extism]\nfunc = "x"\n', 4, "extism.func", "unknown key"),
])
def test_mistakes_name_file_line_and_key(tmp_path: Path, toml: str, line: int, key: str,
                                         text: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_module(_module(tmp_path, toml))
    e = err.value
    assert (e.line, e.key) == (line, key), str(e)
    assert text in e.message and e.file.endswith("module.toml")
