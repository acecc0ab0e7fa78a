"""The fast body scanner: a regular expression skips runs of "boring" instructions in C,
and the reference decoder (`instr.step`) takes every other instruction.

Boring means: nothing the call graph needs and no block structure. Each alternative of
the expression matches exactly the encodings the reference decoder accepts (LEB128
lengths and final-byte limits included), restricted to the common short forms; anything
else (a padded sub-opcode, a wide alignment, `br_table`, `block`, `end`, `call`, ...)
simply ends the run and is decoded by `step`, so the scanner accepts and rejects exactly
what the reference does. `tests/core/test_callgraph.py` checks that on real modules.

`i32.const` values can be data addresses. An n-byte signed LEB128 holds values below
2**(7n-1); when every data segment lies above that (and below 2**32 minus it), such
encodings cannot name a segment and stay boring (`const_bytes_for`); longer ones are
tokens decoded here. Tokens are read with `finditer` (lazy), so after `step` decodes a
longer instruction than its one-byte token the scan simply resumes after it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache

from workbench.core.wasm import opcodes as O
from workbench.core.wasm.instr import BodyRefs, skip_locals, step
from workbench.core.wasm.leb import Bad, Buf

# LEB128 valid as u32, s32, s64 and u64 alike: up to 4 bytes, or 5 with a final byte < 8
# (wasm-ld pads relocated indices to 5 bytes)
_LEB = rb"(?:[\x80-\xff]{0,3}[\x00-\x7f]|[\x80-\xff]{4}[\x00-\x07])"
_MEMARG = rb"[\x00-\x3f]" + _LEB
_ANY = rb"[\x00-\xff]"
_HEAP1 = rb"[\x00-\x3f\x69-\x74]"
_SIMPLE_VALTYPE = rb"[\x69-\x74\x7b-\x7f]"
_CALLS = (O.OP_CALL, O.OP_RETURN_CALL, O.OP_REF_FUNC)
_STRUCTURE = (O.OP_CATCH, O.OP_DELEGATE)


def _cls(values: Iterable[int]) -> bytes:
    return b"[" + b"".join(b"\\x%02x" % v for v in sorted(set(values))) + b"]"


def _alternatives(const_bytes: int) -> list[bytes]:
    """Most frequent shapes first: sre tries the branches in order."""
    single = O.SINGLE
    leb_ops = [op for op, k in single.items()
               if k == O.U32 and op not in _CALLS and op not in _STRUCTURE] + [0x42]
    if const_bytes >= 5:
        leb_ops.append(0x41)
    alts = [
        _cls(op for op, k in single.items() if k == O.NONE),
        rb"[\x20-\x22][\x00-\x7f]",  # local.get/set/tee of locals 0..127: a quarter of all
        _cls(range(0x28, 0x3F)) + rb"[\x00-\x3f][\x00-\x7f]",  # loads/stores, short offset
        _cls(leb_ops) + _LEB,
        _cls(op for op, k in single.items() if k == O.MEMARG) + _MEMARG,
    ]
    if 0 < const_bytes < 5:
        alts.append(rb"\x41[\x80-\xff]{0,%d}+[\x00-\x7f]" % (const_bytes - 1))
    alts += [
        _cls(op for op, k in single.items() if k == O.U32X2) + _LEB + _LEB,
        rb"\x43" + _ANY + rb"{4}", rb"\x44" + _ANY + rb"{8}",
        rb"\xd0" + _HEAP1, rb"\x1c\x01" + _SIMPLE_VALTYPE,
    ]
    fc, fd, fb = O.PREFIX_FC, O.PREFIX_FD, O.PREFIX_FB
    alts += [
        rb"\xfc" + _cls(s for s, k in fc.items() if k == O.NONE),
        rb"\xfc" + _cls(s for s, k in fc.items() if k == O.U32 and s not in O.DATA_FC) + _LEB,
        rb"\xfc" + _cls(s for s, k in fc.items() if k == O.U32X2 and s not in O.DATA_FC)
        + _LEB + _LEB,
        rb"\xfd" + _cls(s for s, k in fd.items() if k == O.NONE and s < 128),
        rb"\xfd" + _cls(s & 0x7F | 0x80 for s, k in fd.items() if k == O.NONE
                        and 128 <= s < 256) + rb"\x01",
        rb"\xfd" + _cls(s & 0x7F | 0x80 for s, k in fd.items() if k == O.NONE
                        and s >= 256) + rb"\x02",
        rb"\xfd" + _cls(s for s, k in fd.items() if k == O.MEMARG) + _MEMARG,
        rb"\xfd" + _cls(s for s, k in fd.items() if k == O.MEMARG_LANE) + _MEMARG + _ANY,
        rb"\xfd" + _cls(s for s, k in fd.items() if k == O.BYTES16) + _ANY + rb"{16}",
        rb"\xfd" + _cls(s for s, k in fd.items() if k == O.LANE) + _ANY,
        rb"\xfb" + _cls(s for s, k in fb.items() if k == O.NONE),
        rb"\xfb" + _cls(s for s, k in fb.items() if k == O.U32) + _LEB,
        rb"\xfb" + _cls(s for s, k in fb.items() if k == O.U32X2 and s not in O.DATA_FB)
        + _LEB + _LEB,
        rb"\xfb" + _cls(s for s, k in fb.items() if k == O.HEAP) + _HEAP1,
        rb"\xfe" + _cls(s for s, k in O.PREFIX_FE.items() if k == O.MEMARG) + _MEMARG,
        rb"\xfe\x03\x00",
    ]
    return alts


_INTERESTING = (
    rb"\x0b|[\x02-\x04][\x40\x69-\x74\x7b-\x7f]|\x05"
    rb"|[\x10\x12\xd2](?:[\x80-\xff]{0,3}[\x00-\x7f]|[\x80-\xff]{4}[\x00-\x0f])"
    rb"|\x41(?:[\x80-\xff]{0,3}[\x00-\x7f]|[\x80-\xff]{4}[\x00-\x07\x78-\x7f])"
)


@lru_cache(maxsize=8)
def token_pattern(const_bytes: int) -> re.Pattern[bytes]:
    """`boring run (token)`: the token is the next non-boring instruction in one of its
    common short forms, else its first byte alone (then `step` decodes it), else empty
    at the end of the body. Every position matches, so `finditer` never skips a byte."""
    boring = rb"(?:" + rb"|".join(_alternatives(const_bytes)) + rb")*+"
    return re.compile(boring + rb"(" + _INTERESTING + rb"|[\x00-\xff]|\Z)")


def const_bytes_for(segments: list[tuple[int, int]]) -> int:
    """How long an `i32.const` encoding may be and still name no segment ([lo, hi) list):
    an n-byte signed LEB128 holds -2**(7n-1) .. 2**(7n-1)-1."""
    if not segments:
        return 5
    lo = min(s for s, _ in segments)
    hi = max(e for _, e in segments)
    for n in (3, 2, 1):
        if lo >= 1 << (7 * n - 1) and hi <= (1 << 32) - (1 << (7 * n - 1)):
            return n
    return 0


def scan_body(buf: bytes, start: int, end: int, refs: BodyRefs,
              tokens: re.Pattern[bytes]) -> None:
    """Decode one body like `instr.decode_body`: boring runs in C, tokens here."""
    try:
        p = skip_locals(buf, start, end)
        stack = [O.OP_BLOCK]
        calls, funcrefs, consts = refs.calls, refs.funcrefs, refs.consts
        while True:  # one lazy pass of finditer, again after `step` read a longer token
            resync = -1
            for m in tokens.finditer(buf, p, end):
                p, e = m.span(1)
                n = e - p
                if n == 0:
                    raise Bad("function body ends before its final end", end)
                op = buf[p]
                if op == 0x0B:
                    stack.pop()
                    if not stack:
                        if e != end:
                            raise Bad(f"{end - e} bytes after the final end of the "
                                      "function body", e)
                        return
                elif n == 2 and 2 <= op <= 4:
                    stack.append(op)
                elif n > 1 and (op == 0x10 or op == 0x12 or op == 0xD2 or op == 0x41):
                    if n == 5:  # the common address form: i32.const of 4 LEB bytes
                        v = ((buf[p + 1] & 0x7F) | (buf[p + 2] & 0x7F) << 7
                             | (buf[p + 3] & 0x7F) << 14 | buf[p + 4] << 21)
                    else:
                        v = 0
                        for i in range(e - 1, p, -1):
                            v = (v << 7) | (buf[i] & 0x7F)
                    if op == 0x41:
                        if buf[e - 1] & 0x40:
                            v -= 1 << (7 * (n - 1))
                        consts.append(v)
                    elif op == 0xD2:
                        funcrefs.append(v)
                    else:
                        calls.append(v)
                else:
                    q = step(buf, p, stack, refs)
                    if q > end:
                        raise Bad("instruction runs past the end of the function body", p)
                    if q != e:
                        resync = q
                        break
            if resync < 0:
                raise Bad("function body ends before its final end", end)
            p = resync
    except IndexError:
        raise Bad("function body runs past the end of the file", end) from None


def scan_bodies(buf: Buf, bodies: Iterable[tuple[int, int]], const_bytes: int,
                cancel: threading.Event | None = None) -> list[BodyRefs]:
    """`BodyRefs` of each (start, size) body, in order."""
    data = buf if isinstance(buf, bytes) else bytes(buf)
    tokens = token_pattern(const_bytes)
    out = []
    for i, (start, size) in enumerate(bodies):
        if cancel is not None and not i & 255 and cancel.is_set():
            raise InterruptedError("call graph cancelled")
        refs = BodyRefs()
        scan_body(data, start, start + size, refs, tokens)
        out.append(refs)
    return out
