"""Demangle symbol names from the wasm name section: Rust (legacy and v0) and basic C++.

Best effort by design: a size report must show *something* readable for every function,
so any name this code cannot fully parse is returned unchanged instead of raising. Rust
legacy hashes (`::h0123456789abcdef`) are dropped, as rustc-demangle's `{:#}` does, so
names stay comparable between builds. Rust v0 lives in `demangle_v0`.
"""

from __future__ import annotations

import re
from functools import lru_cache

_RUST_ESCAPES = {
    "SP": "@", "BP": "*", "RF": "&", "LT": "<", "GT": ">", "LP": "(", "RP": ")", "C": ",",
}
_ESCAPE = re.compile(r"\$([A-Z]{1,2}|u[0-9a-f]{2,6})\$")
_SUFFIX = re.compile(r"(?<!\.)\.(?!\.)[A-Za-z0-9_.$]*$")
_HASH = re.compile(r"h[0-9a-f]{16}")
_BUILTIN = {
    "v": "void", "w": "wchar_t", "b": "bool", "c": "char", "a": "signed char",
    "h": "unsigned char", "s": "short", "t": "unsigned short", "i": "int",
    "j": "unsigned int", "l": "long", "m": "unsigned long", "x": "long long",
    "y": "unsigned long long", "n": "__int128", "o": "unsigned __int128", "f": "float",
    "d": "double", "e": "long double", "z": "...", "Ds": "char16_t", "Di": "char32_t",
    "Du": "char8_t", "Dn": "decltype(nullptr)",
}
_STD_SUBS = {"St": "std", "Sa": "std::allocator", "Sb": "std::basic_string",
             "Ss": "std::string", "Si": "std::istream", "So": "std::ostream",
             "Sd": "std::iostream"}


class _Fail(Exception):
    pass


@lru_cache(maxsize=65536)
def demangle(name: str) -> str:
    """Readable form of `name`, or `name` itself when it is not mangled (or too odd)."""
    if not name.startswith(("_Z", "_R", "__Z")):
        return name
    m = _SUFFIX.search(name)  # ".llvm.1234" and friends, but not Rust's ".." escapes
    base = name[:m.start()] if m else name
    try:
        if base.startswith("_R"):
            from workbench.core.wasm.demangle_v0 import demangle_v0

            return demangle_v0(base)
        if base.startswith("__Z"):
            base = base[1:]
        rust = _rust_legacy(base)
        if rust is not None:
            return rust
        return _Itanium(base).run()
    except (_Fail, IndexError, ValueError, OverflowError, RecursionError):
        return name


def _source_names(s: str, p: int) -> tuple[list[str], int]:
    parts = []
    while p < len(s) and s[p].isdecimal():
        q = p
        while s[q].isdecimal():
            q += 1
        n = int(s[p:q])
        parts.append(s[q:q + n])
        if q + n > len(s):
            raise _Fail
        p = q + n
    return parts, p


def _rust_legacy(s: str) -> str | None:
    """`_ZN4core3fmt5write17h0123456789abcdefE` -> `core::fmt::write`; None if not Rust."""
    if not s.startswith("_ZN"):
        return None
    parts, p = _source_names(s, 3)
    if s[p:] != "E" or len(parts) < 2 or not _HASH.fullmatch(parts[-1]):
        return None
    return "::".join(_rust_ident(part) for part in parts[:-1])


def _rust_ident(part: str) -> str:
    if part.startswith("_$"):
        part = part[1:]
    part = part.replace("..", "::")

    def sub(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] == "u" and len(code) > 2:
            return chr(int(code[1:], 16))
        if code not in _RUST_ESCAPES:
            raise _Fail
        return _RUST_ESCAPES[code]

    return _ESCAPE.sub(sub, part)


class _Itanium:
    """Just enough of the Itanium C++ ABI for function names with simple parameters."""

    def __init__(self, s: str):
        self.s, self.p, self.subs = s, 2, []  # type: ignore[var-annotated]

    def run(self) -> str:
        name = self.name()
        if self.p >= len(self.s):
            return name
        params = []
        while self.p < len(self.s):
            params.append(self.type())
        if params == ["void"]:
            params = []
        return f"{name}({', '.join(params)})"

    def peek(self, n: int = 1) -> str:
        return self.s[self.p:self.p + n]

    def source(self) -> str:
        q = self.p
        while self.s[q].isdecimal():
            q += 1
        if q == self.p:
            raise _Fail
        n = int(self.s[self.p:q])
        if q + n > len(self.s):
            raise _Fail
        self.p = q + n
        return self.s[q:q + n]

    def sub(self) -> str:
        two = self.peek(2)
        if two in _STD_SUBS:
            self.p += 2
            return _STD_SUBS[two]
        q = self.s.index("_", self.p)
        seq = self.s[self.p + 1:q]
        self.p = q + 1
        return self.subs[int(seq, 36) + 1 if seq else 0]

    def name(self) -> str:
        if self.peek() == "N":
            self.p += 1
            while self.peek() in ("r", "V", "K"):
                self.p += 1
            parts: list[str] = []
            while self.peek() != "E":
                parts.append(self.component(parts))
                if self.peek() == "I":
                    self.subs.append("::".join(parts))
                    parts[-1] += self.template_args()
                if parts != ["std"]:
                    self.subs.append("::".join(parts))
            self.p += 1
            return "::".join(parts)
        if self.peek(2) == "St":
            self.p += 2
            return "std::" + self.source()
        name = self.source()
        if self.peek() == "I":
            self.subs.append(name)
            name += self.template_args()
        return name

    def component(self, parts: list[str]) -> str:
        c = self.peek()
        if c.isdecimal():
            return self.source()
        if c == "S":
            return self.sub()
        if c == "C" and parts:
            self.p += 2
            return parts[-1].split("<")[0]
        if c == "D" and parts and self.peek(2)[1] in "012":
            self.p += 2
            return "~" + parts[-1].split("<")[0]
        raise _Fail

    def template_args(self) -> str:
        self.p += 1
        args = []
        while self.peek() != "E":
            args.append(self.type())
        self.p += 1
        return "<" + ", ".join(args) + ">"

    def type(self) -> str:
        c = self.peek()
        if c in _BUILTIN:
            self.p += 1
            return _BUILTIN[c]
        if self.peek(2) in _BUILTIN:
            self.p += 2
            return _BUILTIN[self.s[self.p - 2:self.p]]
        if c in "PRK":
            self.p += 1
            inner = self.type()
            out = {"P": inner + "*", "R": inner + "&", "K": inner + " const"}[c]
            self.subs.append(out)
            return out
        if c == "S":
            return self.sub()
        if c == "N" or c.isdecimal():
            out = self.name()
            if c.isdecimal():
                self.subs.append(out)
            return out
        raise _Fail
