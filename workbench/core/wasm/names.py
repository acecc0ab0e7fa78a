"""The `name`, `producers` and `target_features` custom sections.

Custom sections never make a module invalid (the spec says engines must ignore them), so
the walker turns problems here into `Module.warnings` instead of failing the whole read:
a damaged name section should not hide a module's size breakdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.core.wasm.leb import Bad, Buf, count, name, u32

# name section subsection ids worth decoding; the rest (locals, labels, ...) are skipped
MODULE, FUNCTION, GLOBAL, DATA = 0, 1, 7, 9


@dataclass
class Names:
    module: str | None = None
    functions: dict[int, str] = field(default_factory=dict)
    globals: dict[int, str] = field(default_factory=dict)
    data: dict[int, str] = field(default_factory=dict)


def _namemap(buf: Buf, p: int, out: dict[int, str]) -> int:
    n, p = count(buf, p, "name map entry", 2)
    for _ in range(n):
        idx, p = u32(buf, p)
        out[idx], p = name(buf, p)
    return p


def decode_names(buf: Buf) -> Names:
    """Subsections: id byte, size LEB, content; each must end exactly at its size."""
    names = Names()
    p = 0
    end = len(buf)
    while p < end:
        sub = buf[p]
        size, q = u32(buf, p + 1)
        stop = q + size
        if stop > end:
            raise Bad(f"name subsection {sub} of {size} bytes runs past the section", p)
        body = buf[:stop]  # reads past `stop` then raise IndexError
        if sub == MODULE:
            names.module, q = name(body, q)
        elif sub == FUNCTION:
            q = _namemap(body, q, names.functions)
        elif sub == GLOBAL:
            q = _namemap(body, q, names.globals)
        elif sub == DATA:
            q = _namemap(body, q, names.data)
        else:
            q = stop
        if q != stop:
            raise Bad(f"name subsection {sub} has {stop - q} unread bytes", q)
        p = stop
    return names


def decode_producers(buf: Buf) -> dict[str, list[tuple[str, str]]]:
    """{"language": [("Rust", "")], "processed-by": [("rustc", "1.80.0")], ...}."""
    out: dict[str, list[tuple[str, str]]] = {}
    n, p = count(buf, 0, "producers field", 2)
    for _ in range(n):
        fname, p = name(buf, p)
        m, p = count(buf, p, "producer", 2)
        values = out.setdefault(fname, [])
        for _ in range(m):
            prod, p = name(buf, p)
            version, p = name(buf, p)
            values.append((prod, version))
    if p != len(buf):
        raise Bad(f"producers section has {len(buf) - p} unread bytes", p)
    return out


def decode_target_features(buf: Buf) -> tuple[str, ...]:
    """("+mutable-globals", "+sign-ext", ...): prefix then feature name."""
    n, p = count(buf, 0, "target feature", 2)
    out = []
    for _ in range(n):
        prefix = buf[p]
        if prefix not in (0x2B, 0x2D, 0x3D):  # + - =
            raise Bad(f"target feature prefix must be +, - or =, not 0x{prefix:02x}", p)
        feature, p = name(buf, p + 1)
        out.append(chr(prefix) + feature)
    if p != len(buf):
        raise Bad(f"target_features section has {len(buf) - p} unread bytes", p)
    return tuple(out)
