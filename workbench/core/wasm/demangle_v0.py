"""Rust v0 symbol demangling (RFC 2603), best effort, without hashes or disambiguators.

`_RNvCs1234_7mycrate4main` -> `mycrate::main`. Covers paths, generic arguments, basic
and compound types, backrefs and constants; raises ValueError/IndexError on anything
else, which `demangle()` answers with the mangled name unchanged.
"""

from __future__ import annotations

_BASIC = {
    "a": "i8", "b": "bool", "c": "char", "d": "f64", "e": "str", "f": "f32", "h": "u8",
    "i": "isize", "j": "usize", "l": "i32", "m": "u32", "n": "i128", "o": "u128",
    "s": "i16", "t": "u16", "u": "()", "v": "...", "x": "i64", "y": "u64", "z": "!",
    "p": "_",
}
_DEPTH = 200


class _V0:
    def __init__(self, s: str):
        self.s, self.p, self.depth = s, 2, 0

    def next(self) -> str:
        c = self.s[self.p]
        self.p += 1
        return c

    def eat(self, c: str) -> bool:
        if self.p < len(self.s) and self.s[self.p] == c:
            self.p += 1
            return True
        return False

    def base62(self) -> int:
        if self.eat("_"):
            return 0
        n = 0
        while True:
            c = self.next()
            if c == "_":
                return n + 1
            digit = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".index(c)
            n = n * 62 + digit

    def disambiguator(self) -> None:
        if self.eat("s"):
            self.base62()

    def ident(self) -> str:
        self.disambiguator()
        puny = self.eat("u")
        q = self.p
        while q < len(self.s) and self.s[q].isdecimal():
            q += 1
        n = int(self.s[self.p:q])
        if q < len(self.s) and self.s[q] == "_":
            q += 1
        text = self.s[q:q + n]
        if len(text) != n:
            raise ValueError("short identifier")
        self.p = q + n
        if puny:
            ascii_part, _, encoded = text.rpartition("_")
            text = (ascii_part + "-" + encoded).encode().decode("punycode")
        return text

    def backref(self, parse: str) -> str:
        target = self.base62() + 2
        if target >= self.p:
            raise ValueError("forward backref")
        saved, self.p = self.p, target
        out = getattr(self, parse)()
        self.p = saved
        return out

    def path(self) -> str:
        self.depth += 1
        if self.depth > _DEPTH:
            raise ValueError("too deep")
        try:
            c = self.next()
            if c == "C":
                return self.ident()
            if c == "N":
                ns = self.next()
                parent = self.path()
                name = self.ident()
                if ns == "C":
                    return f"{parent}::{{closure}}"
                if ns.isupper():
                    return f"{parent}::{{{ns}:{name}}}" if name else parent
                return f"{parent}::{name}" if name else parent
            if c == "M":
                self.disambiguator()
                self.path()
                return f"<{self.type()}>"
            if c == "X":
                self.disambiguator()
                self.path()
                ty = self.type()
                return f"<{ty} as {self.path()}>"
            if c == "Y":
                ty = self.type()
                return f"<{ty} as {self.path()}>"
            if c == "I":
                base = self.path()
                args = []
                while not self.eat("E"):
                    args.append(self.generic_arg())
                return f"{base}<{', '.join(args)}>"
            if c == "B":
                return self.backref("path")
            raise ValueError(f"path tag {c!r}")
        finally:
            self.depth -= 1

    def generic_arg(self) -> str:
        if self.eat("L"):
            self.base62()
            return "'_"
        if self.eat("K"):
            return self.const()
        return self.type()

    def const(self) -> str:
        if self.eat("p"):
            return "_"
        if self.eat("B"):
            return self.backref("const")
        ty = self.next()
        neg = self.eat("n")
        q = self.s.index("_", self.p)
        digits, self.p = self.s[self.p:q], q + 1
        value = int(digits, 16) if digits else 0
        if ty == "b":
            return "true" if value else "false"
        if ty == "c":
            return repr(chr(value))
        return ("-" if neg else "") + str(value)

    def type(self) -> str:
        c = self.s[self.p]
        if c in _BASIC:
            self.p += 1
            return _BASIC[c]
        self.p += 1
        if c in "RQ":
            if self.eat("L"):
                self.base62()
            return ("&" if c == "R" else "&mut ") + self.type()
        if c in "PO":
            return ("*const " if c == "P" else "*mut ") + self.type()
        if c == "A":
            ty = self.type()
            return f"[{ty}; {self.const()}]"
        if c == "S":
            return f"[{self.type()}]"
        if c == "T":
            items = []
            while not self.eat("E"):
                items.append(self.type())
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        if c == "B":
            return self.backref("type")
        if c in "CNMXYI":
            self.p -= 1
            return self.path()
        raise ValueError(f"type tag {c!r}")


def demangle_v0(symbol: str) -> str:
    """Demangle a `_R...` symbol; the instantiating crate suffix is ignored."""
    return _V0(symbol).path()
