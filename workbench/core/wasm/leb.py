"""LEB128 and name decoding over a memoryview, with the checks wabt applies.

Also the one LEB128 encoder (`encode_u`), used where the project writes wasm.

Decoders take `(buf, pos)` and return `(value, new_pos)`: plain functions, no cursor
object, because the reader calls them hundreds of thousands of times on large modules.
Problems are raised as `Bad(message, pos)` with a position relative to `buf`; the
section walker turns that into a `MalformedModule` with an absolute file offset. Reading
past the end of `buf` raises IndexError, which the walker reports as content running past
the section's declared size: each section is decoded from its own zero-copy slice.
"""

from __future__ import annotations

from typing import Union

Buf = Union[memoryview, bytes]  # noqa: UP007 - used at runtime as a type alias


class Bad(Exception):
    """Internal: a decoding problem at `pos` (relative to the buffer being decoded)."""

    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.message = message
        self.pos = pos


def encode_u(n: int) -> bytes:
    """Unsigned LEB128 in its minimal form (as wasm-strip writes section sizes)."""
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def u32(buf: Buf, p: int) -> tuple[int, int]:
    """Unsigned LEB128, at most 5 bytes, value < 2**32 (the 5th byte's high bits zero)."""
    x = buf[p]
    if x < 0x80:
        return x, p + 1
    result = x & 0x7F
    q = p + 1
    shift = 7
    while True:
        x = buf[q]
        q += 1
        if shift == 28:
            if x & 0xF0:
                raise Bad("LEB128 u32 overflow (more than 5 bytes or value >= 2**32)", p)
            return result | (x << 28), q
        result |= (x & 0x7F) << shift
        if x < 0x80:
            return result, q
        shift += 7


def u64(buf: Buf, p: int) -> tuple[int, int]:
    """Unsigned LEB128, at most 10 bytes (memory64 limits)."""
    result = 0
    shift = 0
    q = p
    while True:
        x = buf[q]
        q += 1
        if shift == 63:
            if x & 0xFE:
                raise Bad("LEB128 u64 overflow", p)
            return result | (x << 63), q
        result |= (x & 0x7F) << shift
        if x < 0x80:
            return result, q
        shift += 7


def sleb(buf: Buf, p: int, bits: int) -> tuple[int, int]:
    """Signed LEB128 of `bits` (32, 33 or 64) with the final-byte sign check."""
    result = 0
    shift = 0
    q = p
    maxlen = (bits + 6) // 7
    while True:
        x = buf[q]
        q += 1
        result |= (x & 0x7F) << shift
        shift += 7
        if x < 0x80:
            break
        if q - p >= maxlen:
            raise Bad(f"LEB128 s{bits} overflow (more than {maxlen} bytes)", p)
    if q - p == maxlen:
        # unused high bits of the last byte must be copies of the sign bit
        used = bits - 7 * (maxlen - 1)
        rest = x >> (used - 1)
        if rest not in (0, (0x7F >> (used - 1))):
            raise Bad(f"LEB128 s{bits} overflow (bad high bits)", p)
    if result & (1 << (shift - 1)):
        result -= 1 << shift
    return result, q


def count(buf: Buf, p: int, what: str, min_item: int = 1) -> tuple[int, int]:
    """A vector count, checked against the bytes left BEFORE anyone loops over it."""
    n, q = u32(buf, p)
    if n * min_item > len(buf) - q:
        raise Bad(f"{what} count {n} cannot fit in the {len(buf) - q} bytes left", p)
    return n, q


def name(buf: Buf, p: int) -> tuple[str, int]:
    """A length-prefixed UTF-8 name."""
    n, q = u32(buf, p)
    end = q + n
    if end > len(buf):
        raise Bad(f"name of {n} bytes runs past the end of its section", p)
    try:
        return str(buf[q:end], "utf-8"), end
    except UnicodeDecodeError as e:
        raise Bad(f"name is not valid UTF-8 ({e.reason})", q + e.start) from None


def byte(buf: Buf, p: int) -> tuple[int, int]:
    return buf[p], p + 1
