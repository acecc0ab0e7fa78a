"""Generate one Python function that scans a list of rules, for speed.

Why: calling a closure per rule costs ~70-100 ns in CPython, so a 100-rule file spends
most of its time in call overhead. For each candidate list (see hooks_index.py) this
module emits the source of a single function

    def first(c):
        if (c.path in K[0]): return 0
        if (K[1] in c.headers): return 1
        ...
        return -1

(plus a `scan(c, start)` twin to resume after a non-terminating rule) where method,
path, prefix, host, header/query/cookie tests and all/any/not are inline expressions,
and the rest (glob and regex paths with captures, CIDR, buckets) call the closure
compiled by hooks_conditions. Safety: no text
from the hooks file is ever placed in the generated source; every value is a constant
`K[i]` referenced by index. The closures remain the reference semantics; a test checks
both paths agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from workbench.core.hooks.conditions import compile_when
from workbench.core.hooks.context import Ctx
from workbench.core.hooks.site import Site
from workbench.core.regex import compile_regex

Scan = Callable[[Ctx, int], int]
Scan0 = Callable[[Ctx], int]
_LOADED = {"query": "(c._query if c._query is not None else c.load_query())",
           "cookie": "(c._cookies if c._cookies is not None else c.load_cookies())",
           "header": "c.headers"}


class Emitter:
    """Collects the constants the generated source refers to as K[i]."""

    def __init__(self) -> None:
        self.consts: list[Any] = []

    def k(self, value: Any) -> str:
        self.consts.append(value)
        return f"K[{len(self.consts) - 1}]"


def _strs(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def when_expr(em: Emitter, site: Site, when: dict[str, Any]) -> str:
    """Expression over `c` equivalent to compile_when(site, when) (already validated)."""
    if not when:
        return "True"
    return " and ".join(f"({_key_expr(em, site, k, v)})" for k, v in when.items())


def _key_expr(em: Emitter, site: Site, key: str, value: Any) -> str:
    if key == "method":
        return f"c.method in {em.k(frozenset(m.upper() for m in _strs(value)))}"
    if key == "path":
        return f"c.path in {em.k(frozenset(_strs(value)))}"
    if key == "path_prefix":
        return f"c.path.startswith({em.k(tuple(_strs(value)))})"
    if key == "all":
        return " and ".join(f"({when_expr(em, site, w)})" for w in value)
    if key == "any":
        return " or ".join(f"({when_expr(em, site, w)})" for w in value)
    if key == "not":
        return f"not ({when_expr(em, site, value)})"
    if key in _LOADED:
        src = _LOADED[key]
        parts = []
        for name, want in value.items():
            name_k = em.k(name.lower() if key == "header" else name)
            if want is True:
                parts.append(f"{name_k} in {src}")
            elif want is False:
                parts.append(f"{name_k} not in {src}")
            elif isinstance(want, str):
                parts.append(f"{src}.get({name_k}) == {em.k(want)}")
            else:  # { matches = "re" }, validated by compile_when
                search = em.k(compile_regex(want["matches"]).search)
                parts.append(f"(v := {src}.get({name_k})) is not None "
                             f"and {search}(v) is not None")
        return " and ".join(f"({p})" for p in parts)
    if key == "host":
        hosts = [h.lower() for h in _strs(value)]
        exact = em.k(frozenset(h for h in hosts if not h.startswith("*.")))
        suffixes = tuple(h[1:] for h in hosts if h.startswith("*."))
        get = "(h := (c._host if c._host is not None else c.load_host()))"
        if not suffixes:
            return f"{get} in {exact}"
        return f"{get} in {exact} or h.endswith({em.k(suffixes)})"
    check, _ = compile_when(site, {key: value})  # path_glob/regex, CIDR, bucket
    return f"{em.k(check)}(c)"


def build_scan(exprs: Sequence[str], consts: list[Any]) -> tuple[Scan0, Scan]:
    """Compile two scans over rules with these expressions (in order): `first(c)` from
    the first rule, without the per-rule `start` guard (the common case: nothing or one
    terminating rule matches), and `scan(c, start)` to resume after a non-terminating
    rule fired."""
    if not exprs:
        return (lambda c: -1), (lambda c, start: -1)
    first = ["def first(c):"]
    resume = ["def scan(c, start):"]
    for j, expr in enumerate(exprs):
        first.append(f"    if {expr}:\n        return {j}")
        resume.append(f"    if start <= {j} and ({expr}):\n        return {j}")
    first.append("    return -1")
    resume.append("    return -1")
    namespace: dict[str, Any] = {"K": consts}
    source = "\n".join(first) + "\n\n" + "\n".join(resume)
    exec(compile(source, "<hooks scan>", "exec"), namespace)  # noqa: S102
    return namespace["first"], namespace["scan"]
