"""Wasm 3.0 opcode table: which immediates follow each opcode (for skipping, not running).

Covers the 3.0 core (reference types, typed function references, GC, exceptions with
`try_table` and the legacy `try`/`catch`/`delegate`, SIMD and relaxed SIMD, tail calls,
memory64, multi-memory) plus the threads proposal's atomics, which real toolchains
(Emscripten pthreads) emit, and wide arithmetic (0xFC 19-22), which wasmtime accepts.
The table drives both the reference decoder (`instr.py`) and the regular expression of
the fast scanner (`scan.py`), so the two cannot disagree on what an opcode takes.
"""

from __future__ import annotations

# immediate kinds
NONE = 0
U32 = 1  # one u32 index / label
U32X2 = 2  # two u32 (call_indirect typeidx tableidx, table.copy, ...)
BLOCK = 3  # blocktype
MEMARG = 4
I32 = 5  # sleb32
I64 = 6  # sleb64
F32 = 7  # 4 raw bytes
F64 = 8  # 8 raw bytes
BR_TABLE = 9  # vec(label) label
SELECT_T = 10  # vec(valtype)
HEAP = 11  # heaptype
TRY_TABLE = 12  # blocktype vec(catch)
MEMARG_LANE = 13  # memarg + lane byte
LANE = 14  # lane byte
BYTES16 = 15  # v128.const / i8x16.shuffle
ZERO = 16  # a single 0x00 byte (atomic.fence)
BR_ON_CAST = 17  # castflags byte, label, heaptype, heaptype
END = 19  # end / else / catch_all: structure only

# structured-control opcodes (handled with a block stack)
OP_BLOCK, OP_LOOP, OP_IF, OP_ELSE, OP_TRY, OP_CATCH = 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
OP_END, OP_DELEGATE, OP_CATCH_ALL, OP_TRY_TABLE = 0x0B, 0x18, 0x19, 0x1F
OP_CALL, OP_RETURN_CALL, OP_REF_FUNC, OP_I32_CONST = 0x10, 0x12, 0xD2, 0x41

SINGLE: dict[int, int] = {}
for _op in (0x00, 0x01, 0x0A, 0x0F, 0x1A, 0x1B, 0xD1, 0xD3, 0xD4):
    SINGLE[_op] = NONE
for _op in range(0x45, 0xC5):  # numeric, conversions, sign extension
    SINGLE[_op] = NONE
for _op in (0x08, 0x09, 0x0C, 0x0D, 0x10, 0x12, 0x14, 0x15, 0x20, 0x21, 0x22, 0x23,
            0x24, 0x25, 0x26, 0x3F, 0x40, 0xD2, 0xD5, 0xD6, 0x07, 0x18):
    SINGLE[_op] = U32
SINGLE[0x11] = SINGLE[0x13] = U32X2
for _op in (OP_BLOCK, OP_LOOP, OP_IF, OP_TRY):
    SINGLE[_op] = BLOCK
SINGLE[OP_TRY_TABLE] = TRY_TABLE
SINGLE[OP_ELSE] = SINGLE[OP_END] = SINGLE[OP_CATCH_ALL] = END
for _op in range(0x28, 0x3F):
    SINGLE[_op] = MEMARG
SINGLE[0x41], SINGLE[0x42], SINGLE[0x43], SINGLE[0x44] = I32, I64, F32, F64
SINGLE[0x0E] = BR_TABLE
SINGLE[0x1C] = SELECT_T
SINGLE[0xD0] = HEAP

# 0xFC: saturating truncation, bulk memory, reference-typed tables
PREFIX_FC: dict[int, int] = {i: NONE for i in range(8)}
PREFIX_FC.update({8: U32X2, 9: U32, 10: U32X2, 11: U32, 12: U32X2, 13: U32, 14: U32X2,
                  15: U32, 16: U32, 17: U32})
PREFIX_FC.update({19: NONE, 20: NONE, 21: NONE, 22: NONE})  # wide arithmetic (wasmtime has it)

# 0xFD: SIMD and relaxed SIMD
_SIMD_GAPS = frozenset((0x9A, 0xA2, 0xA5, 0xA6, 0xAF, 0xB0, 0xB2, 0xB3, 0xB4, 0xBB, 0xC2,
                        0xC5, 0xC6, 0xCF, 0xD0, 0xD2, 0xD3, 0xD4, 0xE2, 0xEE))
PREFIX_FD: dict[int, int] = {i: NONE for i in range(0x114) if i not in _SIMD_GAPS}
for _op in list(range(0, 12)) + [92, 93]:
    PREFIX_FD[_op] = MEMARG
for _op in range(84, 92):
    PREFIX_FD[_op] = MEMARG_LANE
PREFIX_FD[12] = PREFIX_FD[13] = BYTES16
for _op in range(21, 35):
    PREFIX_FD[_op] = LANE

# 0xFB: GC
PREFIX_FB: dict[int, int] = {
    0: U32, 1: U32, 2: U32X2, 3: U32X2, 4: U32X2, 5: U32X2, 6: U32, 7: U32, 8: U32X2,
    9: U32X2, 10: U32X2, 11: U32, 12: U32, 13: U32, 14: U32, 15: NONE, 16: U32,
    17: U32X2, 18: U32X2, 19: U32X2, 20: HEAP, 21: HEAP, 22: HEAP, 23: HEAP,
    24: BR_ON_CAST, 25: BR_ON_CAST, 26: NONE, 27: NONE, 28: NONE, 29: NONE, 30: NONE,
}

# 0xFE: threads (atomics)
PREFIX_FE: dict[int, int] = {0: MEMARG, 1: MEMARG, 2: MEMARG, 3: ZERO}
for _op in range(0x10, 0x4F):
    PREFIX_FE[_op] = MEMARG

PREFIXES = {0xFC: PREFIX_FC, 0xFD: PREFIX_FD, 0xFB: PREFIX_FB, 0xFE: PREFIX_FE}

# sub-opcodes whose first (FC) or second (FB) immediate is a data segment index
DATA_FC = frozenset((8, 9))
DATA_FB = frozenset((9, 18))
