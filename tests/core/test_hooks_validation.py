"""Hooks files are validated on load: errors name file:line, rule and field; reload on save."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.core.errors import HooksError
from workbench.core.hooks.rules import HooksFile, parse_hooks
from workbench.core.http import Request


def rule(body: str, name: str = "r1") -> str:
    return f'[[rule]]\nname = "{name}"\n{body}\n'


@pytest.mark.parametrize("text,field,fragment", [
    (rule('action = "explode"'), "action", "unknown action 'explode'"),
    (rule('when = { path = "/" }'), "action", "missing action"),
    (rule('action = "respond"\nstatuss = 200'), "statuss", "unknown key 'statuss'"),
    (rule('action = "respond"\nstatus = "200"'), "status", "status must be an integer"),
    (rule('action = "respond"\nstatus = 700'), "status", "status 700 is not allowed"),
    (rule('action = "redirect"\nstatus = 200\nlocation = "/"'), "status", "not allowed"),
    (rule('action = "redirect"'), "location", "redirect needs location"),
    (rule('action = "redirect"\nlocation = "/x/{slug}"'), "location",
     "{slug} is not a capture"),
    (rule('when = { path_regex = "^/(a" }\naction = "block"'), "when.path_regex",
     "bad regular expression"),
    (rule('when = { client_ip = ["10.0.0.0/33"] }\naction = "block"'), "when.client_ip",
     "bad CIDR"),
    (rule('when = { paht = "/" }\naction = "block"'), "when.paht", "unknown key 'paht'"),
    (rule('when = { path = 3 }\naction = "block"'), "when.path", "must be a string"),
    (rule('when = { header = { x = 1 } }\naction = "block"'), "when.header.x",
     "must be a string, true/false"),
    (rule('when = { header = { x = { match = "a" } } }\naction = "block"'),
     "when.header.x.match", "unknown key 'match'"),
    (rule('when = { bucket = { header = "x", cookie = "y", percent = 5 } }\naction = "flag"\n'
          'header = "f"'), "when.bucket", "exactly one of"),
    (rule('when = { bucket = { header = "x", percent = 150 } }\naction = "flag"\n'
          'header = "f"'), "when.bucket.percent", "between 0 and 100"),
    (rule('when = { any = [] }\naction = "block"'), "when.any", "non-empty list"),
    (rule('when = { not = { method = 1 } }\naction = "block"'), "when.not.method",
     "must be a string"),
    (rule('action = "flag"'), "header", "flag needs header"),
    (rule('action = "set_headers"'), "set", "set_headers needs"),
    (rule('action = "respond"\nbody = "a"\nfile = "b"'), "file", "not both"),
    (rule('action = "respond"\nfile = "missing.txt"'), "file", "cannot read"),
    (rule('action = "block"\nenabled = "yes"'), "enabled", "true or false"),
    # a header a hook writes must not split the request the module receives
    (rule('action = "set_headers"\nset = { "x-a" = "one\\r\\ntwo" }'), "set.x-a",
     "contains a line break"),
    (rule('action = "set_headers"\nset = { "x a" = "1" }'), "set.x a",
     "'x a' is not a valid header name"),
    (rule('action = "set_headers"\nremove = ["x:y"]'), "remove", "not a valid header name"),
    (rule('action = "flag"\nheader = "x flag"'), "header", "not a valid header name"),
    (rule('action = "flag"\nheader = "x-f"\nvalue = "a\\nb"'), "value", "line break"),
    (rule('action = "respond"\nheaders = { "content type" = "x" }'), "headers.content type",
     "not a valid header name"),
    (rule('action = "redirect"\nlocation = ""'), "location", "location is empty"),
    (rule('when = { path = "healthz" }\naction = "block"'), "when.path",
     "does not start with '/'"),
    (rule('when = { path_prefix = ["/a", "b"] }\naction = "block"'), "when.path_prefix",
     "'b' does not start with '/'"),
    (rule('when = { path_glob = "*.png" }\naction = "block"'), "when.path_glob",
     "does not start with '/'"),
    (rule('when = { method = "GE T" }\naction = "block"'), "when.method",
     "is not an HTTP method"),
])
def test_bad_rules_name_rule_field_and_line(text: str, field: str, fragment: str) -> None:
    good = rule('action = "log"', name="fine")
    with pytest.raises(HooksError) as info:
        parse_hooks(good + "\n" + text, file="hooks.toml")
    err = info.value
    assert err.rule == "r1"
    assert err.field == field
    assert fragment in err.message
    assert err.file.startswith("hooks.toml:")
    line = int(err.file.split(":")[1])
    assert line >= 5  # inside the second rule, not the first
    assert "r1" in str(err) and field in str(err)


def test_unknown_key_error_lists_allowed() -> None:
    with pytest.raises(HooksError) as info:
        parse_hooks(rule('action = "block"\nlocation = "/"'))
    assert "allowed:" in str(info.value) and "status" in (info.value.hint or "")


def test_line_points_at_field() -> None:
    text = rule('action = "log"', "a") + rule('when = { path = "/" }\naction = "nope"', "b")
    with pytest.raises(HooksError) as info:
        parse_hooks(text, file="h.toml")
    assert info.value.file == "h.toml:7"


@pytest.mark.parametrize("text,fragment", [
    ("[[rule]\nname=1", "not valid TOML"),
    ('[settings]\nx = 1', "unknown top-level key"),
    (rule('action = "log"', "a") + rule('action = "log"', "a"), "duplicate rule name"),
    ('[[rule]]\naction = "log"', "rule has no name"),
    ('rule = [1]', "is not a table"),
])
def test_bad_files(text: str, fragment: str) -> None:
    with pytest.raises(HooksError, match=fragment):
        parse_hooks(text)


def test_hooks_file_reloads_and_keeps_last_good(tmp_path: Path) -> None:
    path = tmp_path / "hooks.toml"
    path.write_text(rule('when = { path = "/a" }\naction = "respond"\nbody = "one"'))
    hf = HooksFile(path)
    assert hf.evaluate(Request(target="/a")).response.body == b"one"

    def save(text: str, bump: int) -> None:
        path.write_text(text)
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump))  # a distinct mtime

    save(rule('when = { path = "/a" }\naction = "respond"\nbody = "two"'), 10**9)
    assert hf.evaluate(Request(target="/a")).response.body == b"two"
    assert hf.error is None

    save(rule('action = "nope"'), 2 * 10**9)
    out = hf.evaluate(Request(target="/a"))
    assert out.response.body == b"two"  # last good rules stay in force
    assert hf.error is not None and hf.error.field == "action"
    assert hf.to_json()["error"]["kind"] == "hooks"

    save(rule('when = { path = "/a" }\naction = "respond"\nbody = "three"'), 3 * 10**9)
    assert hf.evaluate(Request(target="/a")).response.body == b"three"
    assert hf.error is None


def test_hooks_file_missing_raises(tmp_path: Path) -> None:
    with pytest.raises(HooksError, match="cannot read"):
        HooksFile(tmp_path / "nope.toml")


def test_hooks_file_reloads_when_a_respond_file_changes(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("v1")
    path = tmp_path / "hooks.toml"
    path.write_text(rule('when = { path = "/a" }\naction = "respond"\nfile = "ok.txt"'))
    hf = HooksFile(path)
    assert hf.evaluate(Request(target="/a")).response.body == b"v1"
    assert hf.refresh() is False  # nothing changed
    (tmp_path / "ok.txt").write_text("v2 longer")
    assert hf.evaluate(Request(target="/a")).response.body == b"v2 longer"
    (tmp_path / "ok.txt").unlink()
    assert hf.evaluate(Request(target="/a")).response.body == b"v2 longer"  # last good
    assert hf.error is not None and hf.error.field == "file"


def test_toml_error_has_file_line_and_unknown_key_suggests() -> None:
    with pytest.raises(HooksError) as info:
        parse_hooks('[[rule]]\nname = "a"\nwhen = { path = "/x"\naction = "log"\n',
                    file="h.toml")
    assert info.value.where == "h.toml:3:21" and "not valid TOML" in info.value.message
    with pytest.raises(HooksError, match="did you mean 'path_prefix'"):
        parse_hooks(rule('when = { path_prefx = "/a" }\naction = "block"'))


def test_recheck_interval_looks_at_the_file_at_most_that_often(tmp_path: Path) -> None:
    path = tmp_path / "hooks.toml"
    path.write_text(rule('when = { path = "/a" }\naction = "respond"\nbody = "one"'))
    hf = HooksFile(path, recheck_s=3600)
    assert hf.evaluate(Request(target="/a")).response.body == b"one"
    path.write_text(rule('when = { path = "/a" }\naction = "respond"\nbody = "two!"'))
    # within the interval: the rules it has (no stat on the request's path)
    assert hf.evaluate(Request(target="/a")).response.body == b"one"
    hf._checked -= 3600  # the interval has passed
    assert hf.evaluate(Request(target="/a")).response.body == b"two!"
