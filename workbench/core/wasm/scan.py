"""The fast body scanner: a regular expression skips runs of "boring" instructions in C,
and the reference decoder (`instr.step`) takes every other instruction.

Boring means: nothing the call graph needs and no block structure. Each alternative of
the expression matches exactly the encodings the reference decoder accepts (LEB128
lengths and final-byte limits included), restricted to the common short forms; anything
else (a padded sub-opcode, a wide alignment, `br_table`, `block`, `end`, `call`, ...)
simply ends the run and is decoded by `step`, so the scanner accepts and rejects exactly
what the reference does. `tests/core/test_callgraph.py` checks that on real modules.

`i32.const` values can be data addresses. When the module's data segments all sit at
or above 64 (or 8192) and below 2**32 - 8192, one-byte (or two-byte) `i32.const`
encodings cannot name a segment and stay boring; longer ones go to `step`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache

from workbench.core.wasm import opcodes as O
from workbench.core.wasm.instr import BodyRefs, skip_locals, step
from workbench.core.wasm.leb import Bad, Buf

_LEB = rb"[\x80-\xff]{0,3}+[\x00-\x7f]"  # LEB128 of at most 4 bytes: valid as u32, s32, s64, u64
_MEMARG = rb"[\x00-\x3f]" + _LEB
_ANY = rb"[\x00-\xff]"
_HEAP1 = rb"[\x00-\x3f\x69-\x74]"
_SIMPLE_VALTYPE = rb"[\x69-\x74\x7b-\x7f]"
_SHORT_BLOCKTYPES = frozenset(range(0x69, 0x75)) | frozenset(range(0x7B, 0x80)) | {0x40}
_CALLS = (O.OP_CALL, O.OP_RETURN_CALL, O.OP_REF_FUNC)
_STRUCTURE = (O.OP_CATCH, O.OP_DELEGATE)


def _cls(values: Iterable[int]) -> bytes:
    return b"[" + b"".join(b"\\x%02x" % v for v in sorted(set(values))) + b"]"


def _alternatives(const_bytes: int) -> list[bytes]:
    """Most frequent shapes first: sre tries the branches in order."""
    single = O.SINGLE
    leb_ops = [op for op, k in single.items()
               if k == O.U32 and op not in _CALLS and op not in _STRUCTURE] + [0x42]
    if const_bytes >= 4:
        leb_ops.append(0x41)
    alts = [
        _cls(op for op, k in single.items() if k == O.NONE),
        _cls(leb_ops) + _LEB,
        _cls(op for op, k in single.items() if k == O.MEMARG) + _MEMARG,
    ]
    if 0 < const_bytes < 4:
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


@lru_cache(maxsize=8)
def boring_run(const_bytes: int) -> re.Pattern[bytes]:
    """`(?:boring instruction)*`; i32.const encodings up to `const_bytes` long are boring."""
    return re.compile(rb"(?:" + rb"|".join(_alternatives(const_bytes)) + rb")*+")


def const_bytes_for(segments: list[tuple[int, int]]) -> int:
    """How long an `i32.const` encoding may be and still name no segment ([lo, hi) list)."""
    if not segments:
        return 5
    lo = min(s for s, _ in segments)
    hi = max(e for _, e in segments)
    if hi > (1 << 32) - 8192:
        return 0
    return 2 if lo >= 8192 else 1 if lo >= 64 else 0


def scan_body(buf: Buf, start: int, end: int, refs: BodyRefs,
              run: re.Pattern[bytes]) -> None:
    """Decode one body like `instr.decode_body`, skipping boring runs with `run`."""
    match = run.match
    try:
        p = skip_locals(buf, start, end)
        stack = [O.OP_BLOCK]
        while True:
            p = match(buf, p, end).end()  # type: ignore[union-attr]  # `*` always matches
            if p >= end:
                raise Bad("function body ends before its final end", end)
            op = buf[p]
            if op == O.OP_END:
                p += 1
                stack.pop()
                if not stack:
                    break
                continue
            if (op == O.OP_BLOCK or op == O.OP_LOOP) and buf[p + 1] in _SHORT_BLOCKTYPES:
                stack.append(op)
                p += 2
                continue
            q = p
            p = step(buf, p, stack, refs)
            if p > end:
                raise Bad("instruction runs past the end of the function body", q)
    except IndexError:
        raise Bad("function body runs past the end of the file", end) from None
    if p != end:
        raise Bad(f"{end - p} bytes after the final end of the function body", p)


def scan_bodies(buf: Buf, bodies: Iterable[tuple[int, int]], const_bytes: int,
                cancel: threading.Event | None = None) -> list[BodyRefs]:
    """`BodyRefs` of each (start, size) body, in order."""
    run = boring_run(const_bytes)
    out = []
    for i, (start, size) in enumerate(bodies):
        if cancel is not None and not i & 255 and cancel.is_set():
            raise InterruptedError("call graph cancelled")
        refs = BodyRefs()
        scan_body(buf, start, start + size, refs, run)
        out.append(refs)
    return out
