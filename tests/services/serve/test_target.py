"""services.serve.target: request targets made origin-form, dot segments removed (literal
and percent-encoded), proxy forms refused."""

from __future__ import annotations

import pytest

from workbench.services.serve.target import (
    needs_normalizing,
    normalize,
    remove_dot_segments,
)


@pytest.mark.parametrize("path", ["/", "/api/users", "/a.b/c.txt", "/x%20y", "/v1.2"])
def test_plain_paths_take_the_fast_path(path: str) -> None:
    assert not needs_normalizing(path)


@pytest.mark.parametrize("path", ["*", "http://h/x", "h:443", "/a/../b", "/a/%2e%2E/b",
                                  "/.well-known/x", "/a/%2E"])
def test_other_targets_are_looked_at(path: str) -> None:
    assert needs_normalizing(path)


@pytest.mark.parametrize(("path", "expected"), [
    ("/a/b/../c", "/a/c"), ("/a/./b", "/a/b"), ("/a/..", "/"), ("/a/.", "/a/"),
    ("/../../etc/passwd", "/etc/passwd"), ("/pub/%2e%2e/admin", "/admin"),
    ("/pub/%2E%2e/admin", "/admin"), ("/pub/.%2e/admin", "/admin"),
    ("/pub/%2e/x", "/pub/x"), ("/a/..b/c", "/a/..b/c"), ("/a/%2e%2e%2fb", "/a/%2e%2e%2fb"),
    ("/.well-known/x", "/.well-known/x"), ("//x/../y", "//y"), ("/a/b/", "/a/b/")])
def test_remove_dot_segments(path: str, expected: str) -> None:
    assert remove_dot_segments(path) == expected


def test_the_query_is_kept_and_not_normalized() -> None:
    assert normalize("GET", "/a/../b?x=/../y").target == "/b?x=/../y"


@pytest.mark.parametrize(("target", "expected"), [
    ("http://evil.example/api/x?q=1", "/api/x?q=1"), ("http://h", "/"),
    ("https://h:8443/a/../b", "/b"), ("HTTP://h/x", "/x")])
def test_absolute_form_is_routed_by_its_path(target: str, expected: str) -> None:
    assert normalize("GET", target).target == expected


@pytest.mark.parametrize("target", ["*", "evil.example:443", "x"])
def test_targets_without_a_path_are_400(target: str) -> None:
    out = normalize("OPTIONS", target)
    assert out.target is None and out.status == 400
    assert out.problem.startswith(f"request target {target!r} is not a path")


@pytest.mark.parametrize("target", ["evil.example:443", "/api"])
def test_connect_is_405(target: str) -> None:
    out = normalize("CONNECT", target)
    assert out.target is None and out.status == 405
    assert "not a proxy" in out.problem and repr(target) in out.problem
