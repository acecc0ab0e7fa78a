"""Host of the compiled body scanner (`scanner.c` in `kernels.wasm`).

The code bytes, the (start, size) of each body and the opcode tables go into the
instance's linear memory; `scan` fills an output area with each body's sorted,
deduplicated call targets, in-range `i32.const` values and data indices, and stops when
the area is full (the host drains it and calls again) or at a body it does not accept
(the host decodes that body with the reference decoder, `instr.decode_body`, which
raises the exact error, or yields the body's references if the scanner was merely
stricter).
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from functools import cache
from itertools import accumulate, chain, repeat
from operator import itemgetter

from workbench.core.wasm import opcodes as O
from workbench.core.wasm.instr import decode_body
from workbench.core.wasm.leb import Bad, Buf
from workbench.core.wasm.native.kernel import Arena
from workbench.core.wasm.targets import BodyEdges, from_refs

PFX_N = 512  # sub-opcodes per prefix table (scanner.c)
DATA_FLAG, UNKNOWN = 0x80, 0xFF
OUT_WORDS = 1 << 20
SPLIT_BYTES = 4 << 20  # code above this is scanned as two halves in parallel


@cache
def tables() -> bytes:
    """256 single-byte kinds, then PFX_N kinds per prefix (FC, FD, FB, FE), from opcodes.py."""
    t = bytearray([UNKNOWN]) * (256 + 4 * PFX_N)
    for op, kind in O.SINGLE.items():
        t[op] = kind
    none: frozenset[int] = frozenset()
    prefixed = ((O.PREFIX_FC, O.DATA_FC), (O.PREFIX_FD, none), (O.PREFIX_FB, O.DATA_FB),
                (O.PREFIX_FE, none))
    for i, (table, data) in enumerate(prefixed):
        for sub, kind in table.items():
            t[256 + i * PFX_N + sub] = kind | (DATA_FLAG if sub in data else 0)
    return bytes(t)


def _bytes(data: Buf) -> bytes:
    """The file as `bytes`, without a copy when `data` is a view of a whole bytes object."""
    if isinstance(data, memoryview) and isinstance(data.obj, bytes) \
            and data.nbytes == len(data.obj):
        return data.obj
    return bytes(data)


def scan(data: Buf, bodies: Sequence[tuple[int, int]], lo: int, hi: int,
         cancel: threading.Event | None = None) -> list[BodyEdges]:
    """`BodyEdges` of each (start, size) body of `data` (the file), in order; consts
    kept in [lo, hi). A malformed body raises `leb.Bad` from the reference decoder (the
    first one in the file, as the reference would).

    Above SPLIT_BYTES of code the bodies are cut in two halves scanned at once, the
    first on a worker thread: ctypes releases the GIL during the kernel call, so on two
    cores the halves run in parallel (as `inspect` runs gzip beside the parse)."""
    if not bodies:
        return []
    src = _bytes(data)
    sizes = list(accumulate(map(itemgetter(1), bodies)))
    if len(bodies) < 2 or sizes[-1] < SPLIT_BYTES:
        return _scan(src, bodies, lo, hi, cancel)
    half = bisect_left(sizes, sizes[-1] // 2) + 1
    result: list[list[BodyEdges] | BaseException] = []

    def first_half() -> None:
        try:
            result.append(_scan(src, bodies[:half], lo, hi, cancel))
        except BaseException as e:  # re-raised on the calling thread
            result.append(e)

    worker = threading.Thread(target=first_half, name="body-scan", daemon=True)
    worker.start()
    try:
        second: list[BodyEdges] | BaseException = _scan(src, bodies[half:], lo, hi, cancel)
    except (Bad, InterruptedError) as e:
        second = e
    worker.join()
    (head,) = result
    if isinstance(head, BaseException):
        raise head
    if isinstance(second, BaseException):
        raise second
    return head + second


def _scan(src: bytes, bodies: Sequence[tuple[int, int]], lo: int, hi: int,
          cancel: threading.Event | None) -> list[BodyEdges]:
    first = bodies[0][0]
    last = max(map(sum, bodies))
    biggest = max(map(itemgetter(1), bodies))
    cap = biggest // 2 + 2  # each recorded instruction takes >= 2 bytes
    out_words = max(OUT_WORDS, 3 * cap)  # any one body fits an empty output area
    pairs = array("I", chain.from_iterable(bodies)).tobytes()  # absolute (start, size)
    t = tables()
    n = len(bodies)
    mem = Arena()
    at_tables, at_bodies, at_result = mem.reserve(len(t)), mem.reserve(len(pairs)), mem.reserve(8)
    at_scratch, at_stack = mem.reserve(12 * cap), mem.reserve(biggest + 1)
    at_heads, at_out = mem.reserve(12 * n), mem.reserve(4 * out_words)
    at_code = mem.reserve(last - first)
    mem.commit()
    mem.put(at_tables, t)
    mem.put(at_bodies, pairs)
    mem.put(at_code, src, first, last)
    run = mem.func("scan")
    code_base = (at_code - first) & 0xFFFFFFFF  # code_base + start == at_code + (start - first)
    # the kernel keeps consts in [first_const, last_const] (u32: hi may be 2**32)
    first_const, last_const = (lo, min(hi - 1, 0xFFFFFFFF)) if hi > lo else (1, 0)
    out: list[BodyEdges] = []
    i = 0
    while i < n:
        if cancel is not None and cancel.is_set():
            raise InterruptedError("call graph cancelled")
        status = run(code_base, at_bodies, n, i, at_tables, first_const, last_const,
                     at_scratch, cap, at_stack, at_heads, at_out, out_words, at_result)
        stop, written = array("I", mem.get(at_result, 8))
        words = array("I", mem.get(at_out, 4 * written)).tolist()
        lens = array("I", mem.get(at_heads + 12 * i, 12 * (stop - i)))
        # lists i..stop-1 lie back to back in `words`: cut them without a Python loop
        bounds = list(accumulate(lens, initial=0))
        lists = map(tuple, map(words.__getitem__, map(slice, bounds, bounds[1:])))
        out += map(tuple.__new__, repeat(BodyEdges), zip(lists, lists, lists, strict=True))
        i = stop
        if status == 2:  # not accepted: the reference raises, or decodes it
            start, size = bodies[i]
            out.append(from_refs(decode_body(src, start, start + size), lo, hi))
            i += 1
    return out
