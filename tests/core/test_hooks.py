"""Hooks: every condition and action, evaluation order, traces."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.hooks.conditions import bucket_of
from workbench.core.hooks.rules import load_hooks, parse_hooks
from workbench.core.http import Request

CONTRACT_EXAMPLE = '''
[[rule]]
name = "health"
when = { path = "/healthz" }
action = "respond"
status = 200
headers = { "content-type" = "text/plain" }
body = "ok"

[[rule]]
name = "old-blog"
when = { path_regex = "^/blog/(?P<slug>[^/]+)$" }
action = "redirect"
status = 301
location = "https://blog.example.com/{slug}"
keep_query = true

[[rule]]
name = "admin-office-only"
when = { path_prefix = "/admin", not = { client_ip = ["10.0.0.0/8"] } }
action = "block"
status = 403

[[rule]]
name = "checkout-ab"
when = { bucket = { header = "x-user-id", percent = 50, salt = "checkout" } }
action = "flag"
header = "x-flag-new-checkout"
value = "on"
'''


def req(target: str = "/", method: str = "GET", headers: dict[str, str] | None = None,
        ip: str = "127.0.0.1") -> Request:
    return Request(method, target, tuple((headers or {}).items()), b"", ip)


def one(when: str, action: str = 'action = "respond"\nbody = "hit"') -> str:
    return f'[[rule]]\nname = "r"\nwhen = {when}\n{action}\n'


def hits(when: str, request: Request) -> bool:
    return parse_hooks(one(when)).evaluate(request).answered


@pytest.fixture
def contract() -> object:
    return parse_hooks(CONTRACT_EXAMPLE, file="hooks.toml")


def test_respond(contract) -> None:
    out = contract.evaluate(req("/healthz"))
    assert out.response.status == 200 and out.response.body == b"ok"
    assert out.response.header("content-type") == "text/plain"
    assert out.rule == "health"
    assert out.trace[0].why == "path == '/healthz'"
    assert out.elapsed_us > 0


def test_redirect_with_captures_and_query(contract) -> None:
    out = contract.evaluate(req("/blog/hello-world?utm=x"))
    assert out.response.status == 301
    assert out.response.header("location") == "https://blog.example.com/hello-world?utm=x"
    assert "slug='hello-world'" in out.trace[0].why


def test_redirect_positional_capture_and_no_query() -> None:
    h = parse_hooks(one('{ path_regex = "^/u/([0-9]+)$" }',
                        'action = "redirect"\nlocation = "/users/{1}"'))
    out = h.evaluate(req("/u/42?a=1"))
    assert (out.response.status, out.response.header("location")) == (302, "/users/42")


def test_block_depends_on_client_ip(contract) -> None:
    assert contract.evaluate(req("/admin/x", ip="8.8.8.8")).response.status == 403
    assert contract.evaluate(req("/admin/x", ip="10.1.2.3")).response is None
    assert contract.evaluate(req("/admin/x", ip="not-an-ip")).response.status == 403


def test_flag_is_bucketed_and_continues(contract) -> None:
    inside = next(str(i) for i in range(100) if bucket_of("checkout", str(i)) < 50)
    outside = next(str(i) for i in range(100) if bucket_of("checkout", str(i)) >= 50)
    out = contract.evaluate(req("/x", headers={"x-user-id": inside}))
    assert out.response is None
    assert out.request.header("x-flag-new-checkout") == "on"
    assert out.trace[0].changed == "set x-flag-new-checkout: on"
    out = contract.evaluate(req("/x", headers={"x-user-id": outside}))
    assert out.request.header("x-flag-new-checkout") is None and out.trace == ()
    assert contract.evaluate(req("/x")).trace == ()


def test_bucket_is_stable_across_processes() -> None:
    # crc32 of salt:value, a constant; Python's hash() of a str would differ per process
    import zlib

    assert bucket_of("checkout", "42") == zlib.crc32(b"checkout:42") % 100


def test_bucket_from_cookie() -> None:
    when = '{ bucket = { cookie = "uid", percent = 100 } }'
    assert hits(when, req(headers={"cookie": "a=1; uid=zz"}))
    assert not hits(when, req(headers={"cookie": "a=1"}))
    assert not hits('{ bucket = { cookie = "uid", percent = 0 } }',
                    req(headers={"cookie": "uid=zz"}))


@pytest.mark.parametrize("when,request_,expected", [
    ('{ method = "POST" }', req(method="POST"), True),
    ('{ method = ["put", "DELETE"] }', req(method="GET"), False),
    ('{ host = "api.example.com" }', req(headers={"Host": "API.example.com:8080"}), True),
    ('{ host = "*.example.com" }', req(headers={"host": "a.example.com"}), True),
    ('{ host = "*.example.com" }', req(headers={"host": "example.org"}), False),
    ('{ path = ["/a", "/b"] }', req("/b?x=1"), True),
    ('{ path = "/a" }', req("/a/"), False),
    ('{ path_prefix = "/api/" }', req("/api/v1"), True),
    ('{ path_prefix = "/api/" }', req("/apis"), False),
    ('{ path_glob = "/img/*.png" }', req("/img/a.png"), True),
    ('{ path_glob = "/img/*.png" }', req("/img/sub/a.png"), False),
    ('{ path_glob = "/img/**.png" }', req("/img/sub/a.png"), True),
    ('{ path_regex = "^/v[0-9]+/" }', req("/v2/x"), True),
    ('{ header = { "X-Debug" = true } }', req(headers={"x-debug": ""}), True),
    ('{ header = { "x-debug" = false } }', req(headers={"x-debug": "1"}), False),
    ('{ header = { accept = "text/html" } }', req(headers={"Accept": "text/html"}), True),
    ('{ header = { accept = "text/html" } }', req(headers={"Accept": "text/plain"}), False),
    ('{ header = { "user-agent" = { matches = "(?i)bot" } } }',
     req(headers={"user-agent": "GoogleBot/2"}), True),
    ('{ header = { "user-agent" = { matches = "bot" } } }', req(), False),
    ('{ query = { preview = "1" } }', req("/p?preview=1&x=2"), True),
    ('{ query = { preview = "1" } }', req("/p?preview=0"), False),
    ('{ query = { q = "a b" } }', req("/p?q=a+b"), True),
    ('{ query = { debug = true } }', req("/p?debug"), True),
    ('{ cookie = { session = true } }', req(headers={"cookie": "session=abc"}), True),
    ('{ cookie = { beta = { matches = "^on" } } }', req(headers={"cookie": "beta=off"}), False),
    ('{ client_ip = ["192.168.0.0/16", "fd00::/8"] }', req(ip="fd00::1"), True),
    ('{ client_ip = "192.168.1.7" }', req(ip="192.168.1.8"), False),
    ('{ all = [{ method = "GET" }, { path = "/x" }] }', req("/x"), True),
    ('{ all = [{ method = "GET" }, { path = "/x" }] }', req("/y"), False),
    ('{ any = [{ method = "POST" }, { path = "/x" }] }', req("/x"), True),
    ('{ any = [{ method = "POST" }, { path = "/x" }] }', req("/y"), False),
    ('{ not = { path = "/x" } }', req("/y"), True),
    ('{ path = "/x", method = "POST" }', req("/x"), False),
    ('{ path = "/x" }', req("http://example.com/x?q"), True),
    ('{}', req("/anything"), True),
])
def test_conditions(when: str, request_: Request, expected: bool) -> None:
    assert hits(when, request_) is expected


def test_set_headers_then_later_rule_sees_change() -> None:
    text = '''
[[rule]]
name = "strip"
action = "set_headers"
set = { "x-from-hook" = "yes" }
remove = ["Cookie"]

[[rule]]
name = "note"
when = { header = { "x-from-hook" = "yes" }, cookie = { s = false } }
action = "log"
message = "saw it"

[[rule]]
name = "never"
when = { header = { cookie = true } }
action = "block"
'''
    out = parse_hooks(text).evaluate(req(headers={"cookie": "s=1", "accept": "*/*"}))
    assert out.response is None
    assert out.request.header("cookie") is None and out.request.header("x-from-hook") == "yes"
    assert out.request.header("accept") == "*/*"
    assert [t.rule for t in out.trace] == ["strip", "note"]
    assert out.trace[0].changed == "removed Cookie; set x-from-hook: yes"
    assert out.trace[1].changed == "log: saw it"


def test_first_terminating_rule_wins_and_disabled_rules_skip() -> None:
    text = '''
[[rule]]
name = "off"
enabled = false
action = "block"

[[rule]]
name = "first"
when = { path_prefix = "/" }
action = "respond"
body = "1"

[[rule]]
name = "second"
action = "respond"
body = "2"
'''
    out = parse_hooks(text).evaluate(req("/z"))
    assert out.response.body == b"1" and [t.rule for t in out.trace] == ["first"]


def test_respond_file_relative_to_hooks_file(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "ok.txt").write_bytes(b"from file\n")
    (tmp_path / "hooks.toml").write_text(one('{ path = "/f" }',
                                             'action = "respond"\nfile = "static/ok.txt"'))
    out = load_hooks(tmp_path / "hooks.toml").evaluate(req("/f"))
    assert out.response.body == b"from file\n"


def test_outcome_to_json(contract) -> None:
    doc = contract.evaluate(req("/healthz")).to_json()
    assert doc["answered"] is True and doc["rule"] == "health"
    assert doc["response"]["status"] == 200
    assert doc["trace"] == [{"rule": "health", "action": "respond", "why": "path == '/healthz'",
                             "changed": "answered 200 (2 bytes)"}]


def test_index_never_hides_a_matching_rule() -> None:
    """Rules pinned to a path segment or method must still fire exactly when they match."""
    text = "\n".join(one(w, f'action = "respond"\nbody = "{i}"').replace('"r"', f'"r{i}"')
                     for i, w in enumerate([
                         '{ path_regex = "^/blog/x?" }', '{ path_glob = "/a*/b" }',
                         '{ method = "POST", path_prefix = "/p/" }', '{ path = "/" }']))
    h = parse_hooks(text)
    assert h.evaluate(req("/blog/")).response.body == b"0"
    assert h.evaluate(req("/ab/b")).response.body == b"1"
    assert h.evaluate(req("/a/b")).response.body == b"1"
    assert h.evaluate(req("/p/1", "POST")).response.body == b"2"
    assert h.evaluate(req("/p/1", "post")).response.body == b"2"
    assert h.evaluate(req("/p/1", "GET")).response is None
    assert h.evaluate(req("/")).response.body == b"3"


@pytest.mark.parametrize(("when", "description"), [
    ('{ path_prefix = ["/index.htm", "/index.html"] }',
     "path starts with '/index.htm' or '/index.html'"),
    ('{ path_prefix = "/admin" }', "path starts with '/admin'"),
    ('{ method = ["post", "GET", "PUT"] }', "method GET, POST or PUT"),
    ('{ path = ["/a", "/b"] }', "path == '/a' or '/b'"),
    ('{ client_ip = ["10.0.0.0/8", "fd00::/8"] }', "client_ip in 10.0.0.0/8 or fd00::/8"),
    ('{ path_glob = ["/s/*", "/t/**"] }', "path matches glob '/s/*' or '/t/**'"),
])
def test_description_reads_as_words_not_python_lists(when: str, description: str) -> None:
    rule = parse_hooks(one(when)).rules[0]
    assert rule.description == description
    assert "[" not in rule.description
