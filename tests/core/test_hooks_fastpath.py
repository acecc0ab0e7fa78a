"""The fast path (method/segment index + generated scan) must agree with the reference
closures on every request: same answer, same trace, same resulting request."""

from __future__ import annotations

import random

import pytest

from benchmarks.bench_hooks import hundred_rules
from workbench.core.hooks.codegen import Emitter, when_expr
from workbench.core.hooks.index import path_gate, regex_literal_prefix
from workbench.core.hooks.rules import parse_hooks
from workbench.core.http import Request

MIXED = '''
[[rule]]
name = "tag-beta"
when = { cookie = { beta = { matches = "^on" } } }
action = "set_headers"
set = { "x-beta" = "1" }
remove = ["x-debug"]

[[rule]]
name = "flag-ab"
when = { bucket = { header = "x-user", percent = 40, salt = "s" } }
action = "flag"
header = "x-ab"

[[rule]]
name = "note-admin"
when = { path_prefix = "/admin/" }
action = "log"

[[rule]]
name = "beta-only"
when = { header = { "x-beta" = "1" }, path = "/beta" }
action = "respond"
body = "beta"

[[rule]]
name = "ab-page"
when = { header = { "x-ab" = true }, path_glob = "/page/*" }
action = "respond"
body = "ab"

[[rule]]
name = "office"
when = { path_prefix = "/admin/", not = { client_ip = ["10.0.0.0/8", "fd00::/8"] } }
action = "block"

[[rule]]
name = "posts"
when = { method = ["POST", "PUT"], path_regex = "^/api/(?P<v>v[0-9])/" }
action = "redirect"
location = "/new/{v}"
keep_query = true

[[rule]]
name = "hosts"
when = { host = ["a.example.com", "*.b.example.com"], any = [{ query = { x = "1" } },
         { header = { "x-debug" = false } }] }
action = "respond"
body = "host"

[[rule]]
name = "debug-ua"
when = { header = { "user-agent" = { matches = "(?i)curl" } }, query = { debug = true } }
action = "respond"
body = "debug"
'''

PATHS = ["/", "/beta", "/page/1", "/page/1/2", "/admin/x", "/admin", "/api/v1/x", "/api/vx/",
         "/static-3/health-3", "/legacy-1/a", "/assets-2/a.png", "/blog-3/hi", "/the-last",
         "/ro-4", "/admin-8/z", "/static/health-0"]
HEADERS = [("cookie", "beta=on"), ("cookie", "beta=off; x=1"), ("x-user", "7"),
           ("x-user", "u1"), ("host", "a.example.com"), ("host", "z.b.example.com:80"),
           ("x-debug", "1"), ("user-agent", "curl/8"), ("x-debug-5", ""),
           ("host", "q.old-9.example.com")]


def random_requests(n: int, seed: int) -> list[Request]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        path = rng.choice(PATHS) + rng.choice(["", "?x=1", "?debug", "?preview-6=1&x=2"])
        headers = tuple(rng.sample(HEADERS, rng.randint(0, 4)))
        out.append(Request(rng.choice(["GET", "POST", "put"]), path, headers, b"",
                           rng.choice(["10.1.1.1", "8.8.8.8", "fd00::5", "bad"])))
    return out


HUNDRED_FIRED = {"last", *(f"r{i}" for i in range(10) if i != 7)}
MIXED_FIRED = {"tag-beta", "flag-ab", "note-admin", "beta-only", "ab-page", "office", "posts",
               "hosts", "debug-ua"}


@pytest.mark.parametrize(("text", "expected_fired"), [
    (MIXED, MIXED_FIRED), (hundred_rules(), HUNDRED_FIRED)], ids=["mixed", "hundred"])
def test_fast_path_matches_reference(text: str, expected_fired: set[str]) -> None:
    fast = parse_hooks(text)
    slow = fast.without_index()
    fired = set()
    for req in random_requests(2000, seed=7):
        a, b = fast.evaluate(req), slow.evaluate(req)
        assert (a.response, a.request, a.trace, a.rule) == \
               (b.response, b.request, b.trace, b.rule), req
        fired.update(t.rule for t in a.trace)
    # the rules the seeded random requests reach (every rule of the mixed file)
    assert fired == expected_fired


def test_generated_source_holds_no_file_text() -> None:
    em = Emitter()
    evil = {"path": "\"); import os; (\"", "header": {"a\nb": "'''"}}
    expr = when_expr(em, None, evil)  # type: ignore[arg-type]
    assert "import" not in expr and "'''" not in expr and "\n" not in expr
    assert "\"); import os; (\"" in str(em.consts)  # it lives in the constants only


@pytest.mark.parametrize("pattern,prefix", [
    ("^/blog/(?P<s>.+)$", "/blog/"), ("^/a\\.b/", "/a.b/"), ("^/ab?/", "/a"),
    ("/blog/", None), ("^/a|^/b", None), ("^/x*", "/"),
])
def test_regex_literal_prefix(pattern: str, prefix: str | None) -> None:
    assert regex_literal_prefix(pattern) == prefix


def test_path_gate() -> None:
    assert path_gate({"path": ["/a/b", "/c"]}) == frozenset({"/a", "/c"})
    assert path_gate({"path_prefix": "/adm"}) is None
    assert path_gate({"path_prefix": "/admin/", "path": "/admin/x"}) == frozenset({"/admin"})
    assert path_gate({"header": {"a": True}}) is None
