"""Mutation fuzzing: every mutated module parses or raises MalformedModule, nothing else.

Deterministic (fixed seed) so a failure reproduces; the failing case's seed module and
mutation are in the assertion message. No hang is possible by construction (every count
is checked against the bytes left before a loop), and the whole run is a few seconds.
"""

from __future__ import annotations

import random
import time

import pytest

from tests.core.test_wasm_objdump import KITCHEN_SINK
from tests.core.test_wasm_reader import SIGS, custom, leb, section, vec_name
from tests.wat import wat
from workbench.core.errors import MalformedModule
from workbench.core.size.inspect import report_from_module
from workbench.core.wasm import parse_module
from workbench.core.wasm.demangle import demangle

CASES = 3000


def _seeds() -> list[bytes]:
    fn_names = leb(2) + leb(0) + vec_name("_ZN4demo6handle17h0123456789abcdefE") + leb(1) \
        + vec_name("_RNvCs1234_7mycrate4main")
    names = section(1, fn_names) + section(0, vec_name("mod")) + section(9, leb(1) + leb(0)
                                                                       + vec_name("seg"))
    annotated = (wat("(module (func) (func) (memory 1) (data (i32.const 0) \"x\"))")
                 + custom("name", names)
                 + custom("producers", leb(1) + vec_name("language") + leb(1)
                          + vec_name("C") + vec_name("11"))
                 + custom("target_features", leb(1) + b"+" + vec_name("bulk-memory")))
    component = (b"\x00asm\x0d\x00\x01\x00" + section(1, wat("(module (func))"))
                 + section(4, b"\x00asm\x0d\x00\x01\x00" + section(1, SIGS))
                 + section(11, leb(0)))
    return [SIGS, wat(KITCHEN_SINK), annotated, component]


def _mutate(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    buf = bytearray(data)
    what = rng.randrange(7)
    pos = rng.randrange(len(buf))
    if what == 0:
        return f"truncate@{pos}", bytes(buf[:pos])
    if what == 1:
        for _ in range(rng.randint(1, 4)):
            buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
        return "flip bits", bytes(buf)
    if what == 2:  # redundant LEB continuation: same value, longer encoding
        if buf[pos] < 0x80:
            buf[pos:pos + 1] = bytes([buf[pos] | 0x80]) + b"\x80" * rng.randint(0, 5) + b"\x00"
        return f"inflate LEB@{pos}", bytes(buf)
    if what == 3:  # oversized count / size
        huge = [b"\xff\xff\xff\xff\x0f", b"\xff\xff\xff\x7f", b"\xc0\x84\x3d"]
        buf[pos:pos + 1] = rng.choice(huge)
        return f"huge count@{pos}", bytes(buf)
    if what == 4:
        buf[pos] = rng.randrange(256)
        return f"random byte@{pos}", bytes(buf)
    if what == 5:
        n = rng.randint(1, 16)
        del buf[pos:pos + n]
        return f"delete {n}@{pos}", bytes(buf)
    blob = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    buf[pos:pos] = blob
    return f"insert {blob.hex()}@{pos}", bytes(buf)


def test_mutated_modules_parse_or_raise_malformed() -> None:
    rng = random.Random(20261121)
    seeds = _seeds()
    for s in seeds:
        parse_module(s)  # the seeds themselves are valid
    outcomes = {"parsed": 0, "malformed": 0}
    slowest = 0.0
    for case in range(CASES):
        seed = case % len(seeds)
        how, data = _mutate(rng, seeds[seed])
        t = time.perf_counter()
        try:
            module = parse_module(data)
            report_from_module("fuzz", module, gz=0, abi={}).to_json()
            outcomes["parsed"] += 1
        except MalformedModule as err:
            assert 0 <= err.offset <= len(data), (case, seed, how)
            outcomes["malformed"] += 1
        except Exception as exc:  # noqa: BLE001 - the point of the test
            pytest.fail(f"case {case} (seed {seed}, {how}) raised {exc!r}")
        slowest = max(slowest, time.perf_counter() - t)
    # both outcomes must actually occur, or the mutations are not exercising the reader
    assert outcomes["parsed"] > CASES // 20 and outcomes["malformed"] > CASES // 2, outcomes
    print(f"fuzz: {outcomes}, slowest case {slowest * 1000:.1f} ms")


MANGLED = ["_ZN4core3fmt5write17h0123456789abcdefE", "_ZNSt3__16vectorIiNS_9allocatorIiEEE"
           "9push_backERKi", "_RNvMNtCs1234_5alloc3vecINtB2_3VecpE4push", "_Z3fooiPKc",
           "_RINvCs1234_7mycrate4funcKj2a_Kb0_EB4_"]


def test_demangler_never_raises_on_mutated_names() -> None:
    rng = random.Random(7)
    alphabet = "_0123456789ZNREIBCKSPLabcdefhjklmnostuvxyz$."
    for i in range(2000):
        name = list(MANGLED[i % len(MANGLED)])
        for _ in range(rng.randint(1, 3)):
            name[rng.randrange(len(name))] = rng.choice(alphabet)
        mutated = "".join(name)
        out = demangle(mutated)
        assert isinstance(out, str) and out
