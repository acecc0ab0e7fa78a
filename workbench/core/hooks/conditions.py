"""Compile a rule's `when` table into one closure `Ctx -> bool` plus a readable description.

Everything costly happens here, once, at load time: regexes are compiled, globs become
regexes, CIDR lists become (network int, mask) pairs, method and host lists become sets.
A compiled condition at request time is a few dict lookups and comparisons.

Patterns come from a folder nobody reviewed, so they run on RE2 (`workbench.core.regex`):
matching is linear in the path length whatever the pattern (`^/(a+)+$` on Python's `re`
takes seconds on a 30-character path). RE2 has no backreferences or lookaround; a pattern
using them is a HooksError naming the rule and field. Globs translate to RE2 too.
"""

from __future__ import annotations

import ipaddress
import re
import zlib
from collections.abc import Callable, Iterable
from typing import Any

from workbench.core.globs import glob_pattern
from workbench.core.hooks.context import Ctx
from workbench.core.hooks.site import Site
from workbench.core.http import ip_key
from workbench.core.regex import PatternError, compile_regex

Check = Callable[[Ctx], bool]
KEYS = ("method", "host", "path", "path_prefix", "path_glob", "path_regex", "header",
        "query", "cookie", "client_ip", "bucket", "all", "any", "not")


def compile_when(site: Site, when: Any, field: str = "when") -> tuple[Check, str]:
    """The closure for a `when` table (all keys must hold) and its description."""
    site.want(when, dict, field, "a table of conditions")
    if not when:
        return (lambda c: True), "always"
    site.check_keys(when, KEYS, field, "conditions")
    parts = [_compile_key(site, key, value, f"{field}.{key}") for key, value in when.items()]
    return _all([p[0] for p in parts]), " and ".join(p[1] for p in parts)


def regex_groups(when: Any) -> set[str]:
    """Capture names usable as {name} in templates: named groups and 1..n of path_regex."""
    if not isinstance(when, dict) or not isinstance(when.get("path_regex"), str):
        return set()
    try:
        rx = compile_regex(when["path_regex"])
    except PatternError:
        return set()
    return set(rx.groupindex) | {str(i) for i in range(1, rx.groups + 1)}


def _all(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        a, b = checks
        return lambda c: a(c) and b(c)
    seq = tuple(checks)

    def every(c: Ctx) -> bool:
        for f in seq:
            if not f(c):
                return False
        return True

    return every


def _strings(site: Site, value: Any, field: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value
    site.fail(field, f"{field} must be a string or a non-empty list of strings, got {value!r}")


def _regex(site: Site, pattern: Any, field: str) -> Any:
    site.want(pattern, str, field, "a regular expression string")
    try:
        return compile_regex(pattern)
    except PatternError as e:
        site.fail(field, f"bad regular expression {pattern!r}: {e}",
                  hint="RE2 syntax: https://github.com/google/re2/wiki/Syntax")


def _paths(site: Site, value: Any, field: str) -> list[str]:
    """Path strings; each must start with '/' (a request path always does)."""
    paths = _strings(site, value, field)
    for p in paths:
        if not p.startswith("/"):
            site.fail(field, f"{field} {p!r} does not start with '/', so it never matches",
                      hint=f"write {'/' + p!r} (paths are matched without the host)")
    return paths


def _compile_key(site: Site, key: str, value: Any, field: str) -> tuple[Check, str]:
    if key == "method":
        methods = frozenset(m.upper() for m in _strings(site, value, field))
        for m in methods:
            if not re.fullmatch(r"[A-Z]+", m):
                site.fail(field, f"{m!r} is not an HTTP method", hint="e.g. GET, POST")
        return (lambda c: c.method in methods), f"method {_either(sorted(methods), quote=False)}"
    if key == "host":
        return _host(site, value, field)
    if key == "path":
        paths = frozenset(_paths(site, value, field))
        if len(paths) == 1:
            (only,) = paths
            return (lambda c: c.path == only), f"path == {only!r}"
        return (lambda c: c.path in paths), f"path == {_either(sorted(paths))}"
    if key == "path_prefix":
        prefixes = tuple(_paths(site, value, field))
        return (lambda c: c.path.startswith(prefixes)), f"path starts with {_either(prefixes)}"
    if key == "path_glob":
        globs = _paths(site, value, field)
        try:
            rx = compile_regex("|".join(f"(?:{glob_pattern(g)})" for g in globs))
        except PatternError as e:
            site.fail(field, f"bad glob: {e}")
        return (lambda c: rx.match(c.path) is not None), f"path matches glob {_either(globs)}"
    if key == "path_regex":
        return _path_regex(site, value, field)
    if key in ("header", "query", "cookie"):
        return _fields(site, key, value, field)
    if key == "client_ip":
        return _client_ip(site, value, field)
    if key == "bucket":
        return _bucket(site, value, field)
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            site.fail(field, f"{field} must be a non-empty list of condition tables")
        subs = [compile_when(site, v, f"{field}[{i}]") for i, v in enumerate(value)]
        checks = tuple(s[0] for s in subs)
        if key == "all":
            return _all(list(checks)), "all(" + "; ".join(s[1] for s in subs) + ")"
        return (lambda c: any(f(c) for f in checks)), "any(" + "; ".join(s[1] for s in subs) + ")"
    # key == "not"
    inner, desc = compile_when(site, value, field)
    return (lambda c: not inner(c)), f"not({desc})"


def _either(items: Iterable[str], *, quote: bool = True) -> str:
    """Alternatives as a reader says them: 'a', 'a' or 'b', 'a', 'b' or 'c'."""
    shown = [repr(i) if quote else i for i in items]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _host(site: Site, value: Any, field: str) -> tuple[Check, str]:
    hosts = [h.lower() for h in _strings(site, value, field)]
    exact = frozenset(h for h in hosts if not h.startswith("*."))
    suffixes = tuple(h[1:] for h in hosts if h.startswith("*."))  # ".example.com"
    def check(c: Ctx) -> bool:
        h = c._host
        if h is None:
            h = c.load_host()
        return h in exact or (bool(suffixes) and h.endswith(suffixes))

    return check, f"host == {_either(sorted(hosts))}"


def _path_regex(site: Site, value: Any, field: str) -> tuple[Check, str]:
    rx = _regex(site, value, field)

    def check(c: Ctx) -> bool:
        m = rx.search(c.path)
        if m is None:
            return False
        caps: dict[str, str] = {}
        c.captures = caps
        for i, g in enumerate(m.groups(), 1):
            caps[str(i)] = g or ""
        for k, v in m.groupdict().items():
            caps[k] = v or ""
        return True

    return check, f"path matches /{value}/"


def _fields(site: Site, kind: str, value: Any, field: str) -> tuple[Check, str]:
    """header / query / cookie tables: name = "value" | true | false | { matches = "re" }."""
    site.want(value, dict, field, f"a table of {kind} name = value | true | {{ matches = ... }}")
    if not value:
        site.fail(field, f"{field} is empty")
    checks: list[Check] = []
    descs: list[str] = []
    for name, want in value.items():
        key = name.lower() if kind == "header" else name
        sub = f"{field}.{name}"
        if isinstance(want, bool):
            checks.append(_field_check(kind, key, "present" if want else "absent", None))
            descs.append(f"{kind} {name} {'present' if want else 'absent'}")
        elif isinstance(want, str):
            checks.append(_field_check(kind, key, "equals", want))
            descs.append(f"{kind} {name} == {want!r}")
        elif isinstance(want, dict):
            site.check_keys(want, ("matches",), sub, f"{kind} test")
            if "matches" not in want:
                site.fail(sub, f"{sub} needs matches = \"regex\"")
            rx = _regex(site, want["matches"], f"{sub}.matches")
            checks.append(_field_check(kind, key, "matches", rx))
            descs.append(f"{kind} {name} matches /{rx.pattern}/")
        else:
            site.fail(sub, f"{sub} must be a string, true/false or {{ matches = \"re\" }}, "
                      f"got {want!r}")
    return _all(checks), " and ".join(descs)


def _field_check(kind: str, key: str, test: str, arg: Any) -> Check:
    """A closure specialised per source and test, one Python call per check (hot path)."""
    if kind == "header":
        if test == "present":
            return lambda c: key in c.headers
        if test == "absent":
            return lambda c: key not in c.headers
        if test == "equals":
            return lambda c: c.headers.get(key) == arg
        search = arg.search

        def header_matches(c: Ctx) -> bool:
            v = c.headers.get(key)
            return v is not None and search(v) is not None

        return header_matches
    loader = "load_query" if kind == "query" else "load_cookies"
    slot = "_query" if kind == "query" else "_cookies"
    test_fn = _value_test(test, arg)

    def check(c: Ctx) -> bool:
        d = getattr(c, slot)
        if d is None:
            d = getattr(c, loader)()
        return test_fn(d.get(key))

    if kind == "query" and test == "equals":
        def query_equals(c: Ctx) -> bool:  # the common case, without the indirection
            q = c._query
            if q is None:
                q = c.load_query()
            return q.get(key) == arg

        return query_equals
    return check


def _value_test(test: str, arg: Any) -> Callable[[str | None], bool]:
    if test == "present":
        return lambda v: v is not None
    if test == "absent":
        return lambda v: v is None
    if test == "equals":
        return lambda v: v == arg
    search = arg.search
    return lambda v: v is not None and search(v) is not None


def _client_ip(site: Site, value: Any, field: str) -> tuple[Check, str]:
    nets: list[tuple[int, int, int]] = []  # (version, network int, mask int)
    cidrs = _strings(site, value, field)
    for text in cidrs:
        try:
            net = ipaddress.ip_network(text, strict=False)
        except ValueError as e:
            site.fail(field, f"bad CIDR {text!r}: {e}",
                      hint="write networks like 10.0.0.0/8, 192.168.1.7 or fd00::/8")
        nets.append((net.version, int(net.network_address), int(net.netmask)))
    table = tuple(nets)

    def check(c: Ctx) -> bool:
        key = ip_key(c.req.client_ip)
        if key is None:
            return False
        version, n = key
        for v, net, mask in table:
            if v == version and n & mask == net:
                return True
        return False

    return check, f"client_ip in {_either(cidrs, quote=False)}"


def bucket_of(salt: str, value: str) -> int:
    """Stable bucket 0..99: crc32 of salt + ':' + value (same in every process and run)."""
    return zlib.crc32(f"{salt}:{value}".encode()) % 100


def _bucket(site: Site, value: Any, field: str) -> tuple[Check, str]:
    site.want(value, dict, field, "a table { header|cookie = name, percent = 0..100, salt }")
    site.check_keys(value, ("header", "cookie", "percent", "salt"), field, "bucket")
    if ("header" in value) == ("cookie" in value):
        site.fail(field, f"{field} needs exactly one of header = \"name\" or cookie = \"name\"")
    percent = site.want(value.get("percent"), (int, float), f"{field}.percent",
                        "a number from 0 to 100")
    if not 0 <= percent <= 100:
        site.fail(f"{field}.percent", f"percent must be between 0 and 100, got {percent}")
    salt = site.want(value.get("salt", ""), str, f"{field}.salt", "a string")
    src = "header" if "header" in value else "cookie"
    name = site.want(value[src], str, f"{field}.{src}", "a string")
    key = name.lower() if src == "header" else name

    def check(c: Ctx) -> bool:
        got = c.headers.get(key) if src == "header" else c.cookies.get(key)
        return got is not None and bucket_of(salt, got) < percent

    return check, f"bucket({src} {name}, salt {salt!r}) < {percent}%"
