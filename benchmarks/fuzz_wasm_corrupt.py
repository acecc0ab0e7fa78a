"""Corruptions of real modules, and hand-made hostile ones, for `fuzz_wasm.py`.

Sections are split here with a few lines of independent code (not the workbench reader,
which is what is being tested). Each generator yields `(name, bytes)`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import wasmtime

from workbench.core.wasm.leb import encode_u as leb
from workbench.core.wasm.leb import u32 as read_leb

Piece = tuple[int, bytes]  # (section id, payload)
HEADER = b"\0asm\x01\0\0\0"
COMPONENT = b"\0asm\x0d\0\x01\0"
HUGE = (b"\xff\xff\xff\xff\x0f", b"\x80\x80\x80\x80\x08", b"\xff\xff\xff\x7f")


def split(data: bytes) -> list[tuple[int, int, int, bytes]]:
    """(id, offset of the id byte, payload start, payload) of each top-level section."""
    out = []
    p = 8
    while p < len(data):
        sid = data[p]
        size, q = read_leb(data, p + 1)
        out.append((sid, p, q, data[q:q + size]))
        p = q + size
    return out


def join(pieces: list[Piece], header: bytes = HEADER) -> bytes:
    return header + b"".join(bytes([sid]) + leb(len(body)) + body for sid, body in pieces)


def custom(name: str, body: bytes) -> Piece:
    raw = name.encode()
    return 0, leb(len(raw)) + raw + body


def custom_name(payload: bytes) -> str | None:
    try:
        n, q = read_leb(payload, 0)
        return payload[q:q + n].decode()
    except (IndexError, UnicodeDecodeError):
        return None


def structural(data: bytes, rng: random.Random, label: str) -> Iterator[tuple[str, bytes]]:
    """Truncation at every section boundary, random truncations and bit flips, huge
    sizes and counts, duplicated, swapped and dropped sections."""
    secs = split(data)
    header = data[:8]
    cuts = {0, 4, 7, 9}
    for _, off, start, payload in secs:
        cuts |= {off, off + 1, off + 2, start, start + 1, start + len(payload) - 1}
    for cut in sorted(c for c in cuts if 0 <= c < len(data)):
        yield f"{label}-cut{cut}", data[:cut]
    for i in range(8):
        cut = rng.randrange(len(data))
        yield f"{label}-rcut{i}", data[:cut]
    for i in range(24):
        buf = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
        yield f"{label}-flip{i}", bytes(buf)
    pieces = [(sid, payload) for sid, _, _, payload in secs]
    for i, (sid, off, start, payload) in enumerate(secs[:24]):
        for j, huge in enumerate(HUGE[:2]):  # the section size itself
            yield f"{label}-s{i}-size{j}", data[:off + 1] + huge + data[start:]
        yield f"{label}-s{i}-short", data[:off + 1] + leb(max(len(payload) - 1, 0)) \
            + data[start:]
        if sid not in (0, 8, 12) and payload:  # the leading vector count
            n, q = read_leb(payload, 0)
            for j, huge in enumerate(HUGE):
                body = huge + payload[q:]
                yield f"{label}-s{i}-count{j}", join(pieces[:i] + [(sid, body)]
                                                     + pieces[i + 1:], header)
            body = leb(n + 1) + payload[q:]
            yield f"{label}-s{i}-count+1", join(pieces[:i] + [(sid, body)] + pieces[i + 1:],
                                                header)
            padded = bytes([0x80 | (n & 0x7F)]) + b"\x80" * 4 + b"\x00" + payload[q:]
            yield f"{label}-s{i}-count-overlong", join(
                pieces[:i] + [(sid, padded)] + pieces[i + 1:], header)
        if sid:
            yield f"{label}-s{i}-dup", join(pieces[:i + 1] + [(sid, payload)] + pieces[i + 1:],
                                            header)
            yield f"{label}-s{i}-drop", join(pieces[:i] + pieces[i + 1:], header)
        if i + 1 < len(pieces):
            swapped = pieces[:i] + [pieces[i + 1], pieces[i]] + pieces[i + 2:]
            yield f"{label}-s{i}-swap", join(swapped, header)
    code = next((p for p in secs if p[0] == 10), None)
    if code is not None and len(code[3]) > 2:  # first body size: huge, and zero
        n, q = read_leb(code[3], 0)
        size, r = read_leb(code[3], q)
        for j, huge in enumerate(HUGE):
            body = code[3][:q] + huge + code[3][r:]
            yield f"{label}-body-size{j}", join(
                [(s, body if s == 10 else p) for s, p in pieces], header)
        body = code[3][:q] + b"\x00" + code[3][r:]
        yield f"{label}-body-zero", join([(s, body if s == 10 else p) for s, p in pieces],
                                         header)


def customs(data: bytes, rng: random.Random, label: str) -> Iterator[tuple[str, bytes]]:
    """Every custom section (name, producers, target_features, .debug_*) damaged."""
    secs = split(data)
    pieces = [(sid, payload) for sid, _, _, payload in secs]
    for i, (sid, payload) in enumerate(pieces):
        name = custom_name(payload) if sid == 0 else None
        if name is None:
            continue
        n, q = read_leb(payload, 0)
        head, body = payload[:q + n], payload[q + n:]
        variants = {"half": body[:len(body) // 2], "empty": b"", "zero": bytes(len(body)),
                    "ff": b"\xff" * len(body), "huge": HUGE[0] + body[5:],
                    "dwarf64": b"\xff\xff\xff\xff" + body[4:],
                    "unitlen": b"\xf0\xff\xff\xff" + body[4:],
                    "badutf8": body.replace(b"a", b"\xc3", 3)}
        for j in range(4):
            buf = bytearray(body)
            for _ in range(rng.randint(1, 16)):
                if buf:
                    buf[rng.randrange(len(buf))] = rng.randrange(256)
            variants[f"rand{j}"] = bytes(buf)
        safe = name.strip(".").replace("/", "_") or "empty"
        for vname, new in variants.items():
            yield f"{label}-{safe}-{vname}", join(
                pieces[:i] + [(0, head + new)] + pieces[i + 1:], data[:8])
        yield f"{label}-{safe}-dup", join(pieces[:i + 1] + [(0, payload)] + pieces[i + 1:],
                                          data[:8])
        yield f"{label}-{safe}-drop", join(pieces[:i] + pieces[i + 1:], data[:8])


NAME_SUBSECTIONS = {
    "fn-count-huge": (1, HUGE[0]),
    "fn-index-huge": (1, leb(1) + HUGE[0] + leb(1) + b"f"),
    "fn-name-len-huge": (1, leb(1) + leb(0) + HUGE[0] + b"f"),
    "fn-name-badutf8": (1, leb(1) + leb(0) + leb(2) + b"\xff\xfe"),
    "fn-dup-names": (1, leb(3) + (leb(0) + leb(1) + b"a") * 3),
    "fn-unsorted": (1, leb(2) + leb(1) + leb(1) + b"b" + leb(0) + leb(1) + b"a"),
    "local-huge": (2, leb(1) + leb(0) + HUGE[0]),
    "local-nested": (2, leb(1) + leb(0) + leb(2) + leb(0) + leb(1) + b"x" + leb(0)),
    "module-long": (0, leb(100000) + b"m" * 100000),
    "unknown-sub": (0x7F, b"\x01\x02\x03"),
    "sub-size-huge": (1, b""),  # size patched below
    "data-names": (9, leb(2) + leb(0) + leb(1) + b"d" + leb(99) + leb(1) + b"e"),
    "global-names": (7, leb(1) + HUGE[0] + leb(1) + b"g"),
    "ctrl-char-name": (1, leb(2) + leb(0) + leb(12) + b"\x1b[2J\x1b]52;c" + leb(1) + leb(3)
                       + b"\xe2\x80\xae"),  # ESC sequences; U+202E
}


def names(base: bytes) -> Iterator[tuple[str, bytes]]:
    """A valid module plus one hostile `name` section per variant."""
    for label, (sub, body) in NAME_SUBSECTIONS.items():
        if label == "sub-size-huge":
            section = bytes([1]) + HUGE[0] + b"\x00"
        else:
            section = bytes([sub]) + leb(len(body)) + body
        yield f"name-{label}", base + _custom("name", section)
    yield "producers-huge", base + _custom("producers", leb(1) + leb(8) + b"language"
                                           + HUGE[0])
    yield "producers-badutf8", base + _custom("producers", leb(1) + leb(2) + b"\xff\xff")
    yield "features-bad", base + _custom("target_features", leb(2) + b"?" + leb(1) + b"x")
    yield "many-customs", base + _custom("x", b"") * 50000
    yield "custom-name-huge", base + b"\x00\x06" + HUGE[0] + b"x"


def _custom(name: str, body: bytes) -> bytes:
    sid, payload = custom(name, body)
    return bytes([sid]) + leb(len(payload)) + payload


def components(proxy: bytes, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    """Components cut and nested, and a component's core module damaged."""
    yield from structural(proxy, rng, "component")
    inner = wasmtime.wat2wasm("(module (func (export \"f\")))")
    nested = inner
    for _ in range(2000):  # a component nested 2,000 deep
        nested = COMPONENT + b"\x04" + leb(len(nested)) + nested
    yield "component-nested-2000", nested
    nested = COMPONENT + b"\x01" + leb(len(inner)) + inner
    for _ in range(50):
        nested = COMPONENT + b"\x04" + leb(len(nested)) + nested
    yield "component-nested-50", nested
    yield "component-core-cut", COMPONENT + b"\x01" + leb(len(inner)) + inner[:-3]
    yield "component-core-bad", COMPONENT + b"\x01" + leb(len(inner) + 4) + inner + b"\x0b\x02xx"
    yield "component-many-cores", COMPONENT + (b"\x01" + leb(len(inner)) + inner) * 20000


HOSTILE_WAT = {
    # edge handlers that misbehave at run time
    "start-loop": '(module (memory (export "memory") 1) (func $s (loop (br 0))) (start $s)'
                  ' (func (export "alloc") (param i32) (result i32) (i32.const 0))'
                  ' (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))',
    "handle-loop": '(module (memory (export "memory") 1)'
                   ' (func (export "alloc") (param i32) (result i32) (i32.const 0))'
                   ' (func (export "handle") (param i32 i32) (result i32) (loop (br 0))'
                   ' (i32.const 0)))',
    "alloc-oob": '(module (memory (export "memory") 1)'
                 ' (func (export "alloc") (param i32) (result i32) (i32.const -8))'
                 ' (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))',
    "response-oob": '(module (memory (export "memory") 1)'
                    ' (func (export "alloc") (param i32) (result i32) (i32.const 16))'
                    ' (func (export "handle") (param i32 i32) (result i32)'
                    ' (i32.store (i32.const 0) (i32.const -1)) (i32.const 0)))',
    "grow-all": '(module (memory (export "memory") 1)'
                ' (func (export "alloc") (param i32) (result i32) (i32.const 16))'
                ' (func (export "handle") (param i32 i32) (result i32)'
                ' (loop (br_if 0 (i32.ne (memory.grow (i32.const 256)) (i32.const -1))))'
                ' (i32.const 0)))',
    "recurse": '(module (memory (export "memory") 1)'
               ' (func (export "alloc") (param i32) (result i32) (i32.const 16))'
               ' (func $h (export "handle") (param i32 i32) (result i32)'
               ' (call $h (local.get 0) (local.get 1))))',
    "memory-huge-min": '(module (memory (export "memory") 65536)'
                       ' (func (export "alloc") (param i32) (result i32) (i32.const 16))'
                       ' (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))',
    "table-huge": '(module (memory (export "memory") 1) (table 100000000 funcref)'
                  ' (func (export "alloc") (param i32) (result i32) (i32.const 16))'
                  ' (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))',
    "data-oob": '(module (memory (export "memory") 1) (data (i32.const 65535) "xyz")'
                ' (func (export "alloc") (param i32) (result i32) (i32.const 16))'
                ' (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))',
    "memory64-edge": '(module (memory (export "memory") i64 1)'
                     ' (func (export "alloc") (param i32) (result i32) (i32.const 16))'
                     ' (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))',
    "shared-memory": '(module (memory (export "memory") 1 1 shared)'
                     ' (func (export "alloc") (param i32) (result i32) (i32.const 16))'
                     ' (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))',
    "wagi-loop": '(module (memory (export "memory") 1) (func (export "_start") (loop (br 0))))',
    "wagi-exit-trap": '(module (memory (export "memory") 1) (func (export "_start")'
                      ' unreachable))',
    "unknown-import": '(module (import "nowhere" "f" (func)) (memory (export "memory") 1)'
                      ' (func (export "alloc") (param i32) (result i32) (i32.const 16))'
                      ' (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))',
    "edge-bad-import-type": '(module (import "edge" "log" (func (param i64)))'
                            ' (memory (export "memory") 1)'
                            ' (func (export "alloc") (param i32) (result i32) (i32.const 16))'
                            ' (func (export "handle") (param i32 i32) (result i32)'
                            ' (i32.const 0)))',
    "deep-blocks": "(module (func " + "(block " * 20000 + ")" * 20000 + "))",
    "many-funcs": "(module " + "(func)" * 200000 + ")",
    "many-locals": "(module (func (local " + "i32 " * 50000 + ")))",
}


def hostile() -> Iterator[tuple[str, bytes]]:
    for name, text in HOSTILE_WAT.items():
        yield name, wasmtime.wat2wasm(text)
    yield "huge-locals-decl", HEADER + b"\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00" \
        + b"\x0a\x0b\x01\x09\x01" + HUGE[0] + b"\x7f\x0b"
    yield "func-count-max", HEADER + b"\x01\x04\x01\x60\x00\x00\x03\x05" + HUGE[0]


def odd() -> Iterator[tuple[str, bytes]]:
    """Files that are no wasm module at all, or barely one."""
    yield "empty", b""
    yield "text", b"hello, this is not wasm\n"
    yield "wat", b"(module (func (export \"handle\")))\n"
    yield "magic-only", b"\0asm"
    yield "header-only", HEADER
    yield "component-header-only", COMPONENT
    yield "version-2", b"\0asm\x02\0\0\0"
    yield "layer-7", b"\0asm\x0d\0\x07\0"
    yield "utf16-wat", "(module)".encode("utf-16")
    yield "gzipped", bytes.fromhex("1f8b0800000000000003") + b"\x00" * 20
    yield "elf", b"\x7fELF\x02\x01\x01" + b"\x00" * 57
    yield "zeros-1mb", b"\x00" * (1 << 20)
    yield "header-then-zeros", HEADER + b"\x00" * 4096
