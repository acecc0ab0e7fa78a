"""JSONPath as Hurl evaluates it: `$`, `.key`, `['key']`, `[n]` (negative from the end),
`[*]`/`.*`, `[a:b]`, `[n,m]`, `..key` and filters `[?(@.k)]`, `[?(@.k op value)]`.

A path made of keys and indexes only is *definite* and gives one value (or nothing); any
other path gives the list of every match, as in Hurl. Syntax outside this set is rejected
when the file is loaded, with the part that is not supported.
"""

from __future__ import annotations

import json
import operator
import re
from typing import Any

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "<missing>"})()

_KEY = re.compile(r"\.([A-Za-z_$@][\w$@-]*)")
_INDEX = re.compile(r"\[\s*(-?\d+)\s*\]")
_QUOTED = re.compile(r"""\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]""")
_WILD = re.compile(r"\.\*|\[\s*\*\s*\]")
_SLICE = re.compile(r"\[\s*(-?\d*)\s*:\s*(-?\d*)\s*\]")
_UNION = re.compile(r"\[\s*(-?\d+(?:\s*,\s*-?\d+)+)\s*\]")
_DESCENT = re.compile(r"\.\.([A-Za-z_$@][\w$@-]*|\*)")
_FILTER = re.compile(r"\[\?(\(?)\s*@((?:\.[A-Za-z_$@][\w$@-]*)*)\s*(?:(==|!=|<=|>=|<|>)\s*"
                     r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|"
                     r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null))?\s*(\)?)\]")


_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
        ">": operator.gt, ">=": operator.ge}


class JsonPathError(ValueError):
    """A path outside the supported set; the message says which part."""


Step = str | int | tuple[Any, ...]


def _int(text: str) -> int:
    """An index; 19+ digits cannot index anything (and int() refuses 4,300+)."""
    if len(text.strip().lstrip("-")) > 18:
        raise JsonPathError(f"JSONPath index {text.strip()[:20]}... is too large")
    return int(text)


def parse_jsonpath(path: str) -> tuple[Step, ...]:
    """'$.a[0]["b c"]' -> ('a', 0, 'b c'); other steps are tuples ("*",), ("slice", a, b)..."""
    if not path.startswith("$"):
        raise JsonPathError(f"JSONPath must start with '$': {path!r}")
    steps: list[Step] = []
    i = 1
    while i < len(path):
        m = _DESCENT.match(path, i)
        if path.startswith("..[", i):
            steps.append(("..self",))
            i += 2
            continue
        if path.startswith(".[", i):  # `$.[0]`, `$.['k']`: the dot is optional
            i += 1
            continue
        if m:
            steps.append(("..", m.group(1)))
        elif (m := _KEY.match(path, i)) is not None:
            steps.append(m.group(1))
        elif (m := _INDEX.match(path, i)) is not None:
            steps.append(_int(m.group(1)))
        elif (m := _QUOTED.match(path, i)) is not None:
            raw = m.group(1) if m.group(1) is not None else m.group(2)
            steps.append(re.sub(r"\\(.)", r"\1", raw))
        elif (m := _WILD.match(path, i)) is not None:
            steps.append(("*",))
        elif (m := _SLICE.match(path, i)) is not None:
            steps.append(("slice", _int(m.group(1)) if m.group(1) else None,
                          _int(m.group(2)) if m.group(2) else None))
        elif (m := _UNION.match(path, i)) is not None:
            steps.append(("union", *(_int(x) for x in m.group(1).split(","))))
        elif (m := _FILTER.match(path, i)) is not None and bool(m.group(1)) == bool(m.group(5)):
            keys = tuple(m.group(2)[1:].split(".")) if m.group(2) else ()
            steps.append(("?", keys, m.group(3), _literal(m.group(4)) if m.group(4) else None))
        else:
            raise JsonPathError(f"not supported: JSONPath {path[i:i + 16]!r} (supported: "
                                f".key ['key'] [n] [*] .* [a:b] [n,m] ..key [?(@.k op v)])")
        i = m.end()
    return tuple(steps)


def _literal(text: str) -> Any:
    """A filter literal: JSON, or a 'single-quoted' string (JSONPath, RFC 9535)."""
    if text.startswith("'"):
        inner = text[1:-1].replace("\\'", "'").replace('"', '\\"')
        text = f'"{inner}"'
    try:
        return json.loads(text)
    except ValueError:
        raise JsonPathError(f"not supported: JSONPath literal {text}") from None


def definite(steps: tuple[Step, ...]) -> bool:
    return all(isinstance(s, str | int) for s in steps)


def _children(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return list(node.values())
    if isinstance(node, list):
        return list(node)
    return []


def _descend(node: Any, key: str) -> list[Any]:
    out: list[Any] = []
    if isinstance(node, dict):
        if key == "*":
            out.extend(node.values())
        elif key in node:
            out.append(node[key])
    elif isinstance(node, list) and key == "*":
        out.extend(node)
    for child in _children(node):
        out.extend(_descend(child, key))
    return out


def _test(node: Any, keys: tuple[str, ...], op: str | None, value: Any) -> bool:
    cur = node
    for k in keys:
        if not isinstance(cur, dict) or k not in cur:
            return False
        cur = cur[k]
    if op is None:
        return True
    if isinstance(cur, bool) != isinstance(value, bool):
        return op == "!="
    try:
        return bool(_OPS[op](cur, value))
    except TypeError:
        return False


def _step(nodes: list[Any], step: Step) -> list[Any]:
    out: list[Any] = []
    for node in nodes:
        if isinstance(step, str):
            if isinstance(node, dict) and step in node:
                out.append(node[step])
        elif isinstance(step, int):
            if isinstance(node, list) and -len(node) <= step < len(node):
                out.append(node[step])
        elif step[0] == "*":
            out.extend(_children(node))
        elif step[0] == "..":
            out.extend(_descend(node, step[1]))
        elif step[0] == "..self":
            out.append(node)
            out.extend(_descend(node, "*"))
        elif step[0] == "slice" and isinstance(node, list):
            out.extend(node[step[1]:step[2]])
        elif step[0] == "union" and isinstance(node, list):
            out.extend(node[k] for k in step[1:] if -len(node) <= k < len(node))
        elif step[0] == "?":
            out.extend(c for c in _children(node) if _test(c, step[1], step[2], step[3]))
    return out


def evaluate_jsonpath(doc: Any, steps: tuple[Step, ...]) -> Any:
    """The value at a definite path (MISSING when absent), or the list of all matches."""
    nodes = [doc]
    for step in steps:
        nodes = _step(nodes, step)
    if definite(steps):
        return nodes[0] if nodes else MISSING
    return nodes


def query_jsonpath(doc: Any, path: str) -> Any:
    return evaluate_jsonpath(doc, parse_jsonpath(path))
