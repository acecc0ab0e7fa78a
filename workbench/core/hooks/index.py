"""Pre-selection of the rules that can possibly match a request, from method and path.

Why: walking 100 compiled closures costs ~20 us in CPython; most rules in a real hooks
file are about one path or one method, so they can be skipped by a dict lookup. Each
rule gets a *gate*: the methods it requires (if its top-level `when` has `method`) and the
first path segment it requires (if a top-level path / path_prefix / path_glob /
path_regex pins one, e.g. "/blog" for `^/blog/(?P<slug>...)`). A gate is a necessary
condition only; the rule's full check still runs, so the index can only skip rules that
could not match. Candidate lists keep file order and are memoized per (method, segment),
a key space bounded by the methods and segments named in the file. Each distinct list
gets one generated scan function (hooks_codegen.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from workbench.core.hooks.codegen import build_scan

ANY = None  # gate value meaning "no constraint"
_LITERAL = re.compile(r"[A-Za-z0-9_/\-]|\\[.\-/_~]")


def segment(path: str) -> str:
    """'/blog/x/y' -> '/blog'; '/blog' -> '/blog'; '/' -> '/'."""
    end = path.find("/", 1)
    return path if end < 0 else path[:end]


def _complete_segment(literal: str) -> str | None:
    """Segment pinned by a literal path prefix, only if the literal ends that segment."""
    if not literal.startswith("/"):
        return None
    end = literal.find("/", 1)
    return literal[:end] if end > 0 else None


def regex_literal_prefix(pattern: str) -> str | None:
    """Literal text every match of an anchored regex starts with, or None if unsure."""
    if not pattern.startswith("^") or "|" in pattern:
        return None
    out: list[str] = []
    i = 1
    while i < len(pattern):
        m = _LITERAL.match(pattern, i)
        if not m:
            break
        out.append(m.group(0)[-1])
        i = m.end()
    if i < len(pattern) and pattern[i] in "?*{" and out:
        out.pop()  # the last literal is optional or repeated
    return "".join(out)


def _strings(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def path_gate(when: dict[str, Any]) -> frozenset[str] | None:
    """Segments one of which the path must have, or None when the rule is not pinned."""
    gates: list[frozenset[str]] = []
    for key, value in when.items():
        segs: set[str] = set()
        for text in _strings(value) if key.startswith("path") else []:
            if key == "path":
                seg: str | None = segment(text)
            elif key == "path_prefix":
                seg = _complete_segment(text)
            elif key == "path_glob":
                seg = _complete_segment(re.split(r"[*?]", text, maxsplit=1)[0])
            else:
                lit = regex_literal_prefix(text)
                seg = _complete_segment(lit) if lit is not None else None
            if seg is None:
                segs = set()
                break
            segs.add(seg)
        if segs:
            gates.append(frozenset(segs))
    return min(gates, key=len) if gates else None


def method_gate(when: dict[str, Any]) -> frozenset[str] | None:
    if "method" not in when:
        return None
    return frozenset(m.upper() for m in _strings(when["method"]))


Candidates = tuple[Callable[[Any], int], Callable[[Any, int], int], tuple[Any, ...]]


class RuleIndex:
    """Maps (method, first path segment) to the ordered rules that may match, with the
    generated scan function over exactly those rules (see hooks_codegen.py)."""

    def __init__(self, rules: tuple[Any, ...], whens: list[dict[str, Any]],
                 consts: list[Any]) -> None:
        self.rules = rules
        self.consts = consts
        self.gates = [(method_gate(w), path_gate(w)) for w in whens]
        self.methods = frozenset().union(*(m for m, _ in self.gates if m))
        self.segments = frozenset().union(*(p for _, p in self.gates if p))
        self._memo: dict[str, dict[str, Candidates]] = {}
        self._scans: dict[tuple[int, ...], Candidates] = {}

    def candidates(self, method: str, path: str) -> Candidates:
        """(first, scan, rules): `scan(ctx, start)` returns the index in `rules` of the
        first rule at or after `start` whose condition holds, or -1; `first(ctx)` is
        `scan(ctx, 0)`."""
        by_seg = self._memo.get(method)
        if by_seg is None:
            if len(self._memo) >= 64:  # methods are few; an odd client cannot grow this
                return self._select(method, segment(path))
            by_seg = self._memo[method] = {}
        end = path.find("/", 1)
        seg = path if end < 0 else path[:end]
        if seg not in self.segments:
            seg = ""  # every segment no rule names shares one entry: the memo stays bounded
        found = by_seg.get(seg)
        if found is None:
            found = by_seg[seg] = self._select(method, seg)
        return found

    def _select(self, method: str, seg: str) -> Candidates:
        m = method if method in self.methods else None
        s = seg if seg in self.segments else None
        picked = tuple(i for i, (mg, pg) in enumerate(self.gates)
                       if (mg is None or m in mg) and (pg is None or s in pg))
        found = self._scans.get(picked)  # many (method, segment) keys share one list
        if found is None:
            rules = tuple(self.rules[i] for i in picked)
            first, scan = build_scan([r.expr for r in rules], self.consts)
            found = (first, scan, rules)
            self._scans[picked] = found
        return found
