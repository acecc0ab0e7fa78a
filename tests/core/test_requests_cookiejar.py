"""The cookie store of a Hurl file run: Set-Cookie kept, Cookie sent, [Cookies] merged."""

from __future__ import annotations

from workbench.core.http import Request, Response
from workbench.core.requests.cookiejar import CookieJar, parse_set_cookie
from workbench.core.requests.hurl import parse_hurl
from workbench.core.requests.replay import replay

from .test_requests_hurl_differential import FakeHarness


def site(req: Request) -> Response:
    if req.path == "/login":
        return Response(200, (("Set-Cookie", "session=abc; Path=/; HttpOnly"),
                              ("Set-Cookie", "admin=1; Path=/admin"),
                              ("Set-Cookie", "tls=1; Secure")), b"")
    if req.path == "/logout":
        return Response(200, (("Set-Cookie", "session=; Max-Age=0; Path=/"),), b"")
    return Response(200, (), (req.header("cookie") or "").encode())


def test_set_cookie_is_sent_on_later_entries_and_merged_with_cookies_section() -> None:
    text = ("POST http://app.test/login\nHTTP 200\n[Asserts]\ncookie \"session\" == \"abc\"\n"
            "\nGET http://app.test/me\n[Cookies]\ntheme: dark\nHTTP 200\n"
            "\nGET http://app.test/admin/panel\nHTTP 200\n"
            "\nGET http://app.test/logout\nHTTP 200\n"
            "\nGET http://app.test/me\nHTTP 200\n")
    harness = FakeHarness(site)
    report = replay(parse_hurl(text, file="c.hurl"), harness)
    assert report.passed
    sent = [r.header("cookie") for r in harness.sent]
    assert sent[0] is None
    assert sent[1] == "theme=dark; session=abc"  # [Cookies] first, then the store
    assert sent[2] == "admin=1; session=abc"  # the longer path first; tls is https-only
    assert sent[4] is None  # Max-Age=0 deleted it


def test_each_file_starts_with_an_empty_store() -> None:
    login = parse_hurl("POST http://app.test/login\nHTTP 200\n", file="a.hurl")
    other = parse_hurl("GET http://app.test/me\nHTTP 200\n", file="b.hurl")
    harness = FakeHarness(site)
    replay([*login, *other], harness)
    assert harness.sent[1].header("cookie") is None


def test_domain_path_and_secure_rules() -> None:
    req = Request("GET", "/a/b", (("Host", "www.example.com:8080"),), b"", "127.0.0.1",
                  "https")
    c = parse_set_cookie("k=v; Domain=.example.com; Secure", req, now=0)
    assert c is not None and c.domain == "example.com" and not c.host_only
    assert c.path == "/a" and c.secure
    assert parse_set_cookie("k=v; Domain=other.org", req, now=0) is None
    jar = CookieJar()
    jar.store(req, (("Set-Cookie", "k=v; Domain=example.com"),
                    ("Set-Cookie", "h=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT")), now=0)
    api = Request("GET", "/a/x", (("Host", "api.example.com"),), b"", "127.0.0.1", "http")
    assert jar.apply(api, now=0).header("cookie") == "k=v"
    assert jar.apply(api, now=2e9).header("cookie") == "k=v"  # h expired in 2015
    assert jar.apply(Request("GET", "/", (("Host", "example.org"),), b"", "127.0.0.1"),
                     now=0).header("cookie") is None


def test_malformed_set_cookie_values_never_crash_or_inject() -> None:
    req = Request("GET", "/", (("Host", "h"),), b"", "127.0.0.1")
    odd = ["", "=", "novalue", "a=b; Max-Age=x", "a=b; Expires=not a date",
           "a=b; Expires=Wed, 99 Foo 99999 99:99:99 GMT", "a=b; Domain=", "a=b; Path=rel",
           "a=b\r\nX-Evil: 1", "a\x00=b", "a=b; Max-Age=999999999999999999999",
           ";;;", "a=b; Domain=..h"]
    jar = CookieJar()
    jar.store(req, tuple(("Set-Cookie", v) for v in odd), now=0)
    sent = jar.apply(req, now=0).header("cookie") or ""
    assert "\r" not in sent and "\n" not in sent and "\x00" not in sent
    assert "a=b" in sent  # the well-formed ones are kept
