/* The call-graph body scanner, compiled to WebAssembly and run in wasmtime
 * (workbench/core/wasm/native/runner.py). It mirrors workbench/core/wasm/instr.py:
 * the same LEB128 limits, the same block-structure rules, the same immediates; the
 * opcode -> immediate-kind tables are not written here but passed in by the host,
 * built from opcodes.py, so the two decoders cannot disagree on an opcode.
 *
 * It may be stricter than the reference, never laxer: any body it does not accept
 * (malformed, or a scratch area too small) is reported by index and the host decodes
 * that body with the reference decoder, which raises the exact error and offset.
 *
 * Per accepted body i it writes heads[3i..3i+2] = nfuncs, nconsts, ndatas and appends
 * funcs..., consts..., datas... to `out`, each list sorted and without duplicates: funcs = call / return_call / ref.func
 * targets, consts = i32.const values (as u32) in [lo, last], datas = data segment indices
 * named by memory.init, data.drop, array.new_data, array.init_data.
 *
 * Rebuild: python3 -m workbench.core.wasm.native.build (needs the `ziglang` package).
 */

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long i64;

/* immediate kinds: must equal opcodes.py (tests/core/test_native_scan.py checks) */
#define NONE 0
#define U32 1
#define U32X2 2
#define BLOCK 3
#define MEMARG 4
#define I32 5
#define I64 6
#define F32 7
#define F64 8
#define BR_TABLE 9
#define SELECT_T 10
#define HEAP 11
#define TRY_TABLE 12
#define MEMARG_LANE 13
#define LANE 14
#define BYTES16 15
#define ZERO 16
#define BR_ON_CAST 17
#define END 19

/* table layout (host side: runner.py): 256 single-byte kinds, then PFX_N kinds for each
 * prefix 0xFC, 0xFD, 0xFB, 0xFE; DATA_FLAG marks a data segment index immediate */
#define PFX_N 512
#define DATA_FLAG 0x80
#define UNKNOWN 0xFF

#define ABI_VERSION 4

static const u8 *rd_u32(const u8 *p, const u8 *e, u32 *out) {
    u32 r = 0;
    for (int i = 0; i < 5; i++) {
        if (p >= e) return 0;
        u8 x = *p++;
        if (i == 4) {
            if (x & 0xF0) return 0;
            *out = r | ((u32)x << 28);
            return p;
        }
        r |= (u32)(x & 0x7F) << (7 * i);
        if (x < 0x80) {
            *out = r;
            return p;
        }
    }
    return 0;
}

static inline const u8 *skip_u64(const u8 *p, const u8 *e) {
    for (int i = 0; i < 10; i++) {
        if (p >= e) return 0;
        u8 x = *p++;
        if (i == 9) return (x & 0xFE) ? 0 : p;
        if (x < 0x80) return p;
    }
    return 0;
}

static const u8 *rd_sleb(const u8 *p, const u8 *e, int bits, i64 *out) {
    int maxlen = (bits + 6) / 7, n = 0, shift = 0;
    u64 r = 0;
    u8 x;
    for (;;) {
        if (p >= e) return 0;
        x = *p++;
        n++;
        if (shift < 64) r |= (u64)(x & 0x7F) << shift;
        shift += 7;
        if (x < 0x80) break;
        if (n >= maxlen) return 0;
    }
    if (n == maxlen) {
        int used = bits - 7 * (maxlen - 1);
        u8 rest = x >> (used - 1);
        if (rest != 0 && rest != (0x7F >> (used - 1))) return 0;
    }
    if ((x & 0x40) && shift < 64) r |= ~(u64)0 << shift;
    *out = (i64)r;
    return p;
}

static int is_heap(u8 x) { return x >= 0x69 && x <= 0x74; }
static int is_val(u8 x) { return (x >= 0x7B && x <= 0x7F) || is_heap(x); }

static const u8 *heaptype(const u8 *p, const u8 *e) {
    i64 v;
    if (p >= e) return 0;
    if (is_heap(*p)) return p + 1;
    p = rd_sleb(p, e, 33, &v);
    return (p && v >= 0) ? p : 0;
}

static const u8 *valtype(const u8 *p, const u8 *e) {
    if (p >= e) return 0;
    if (is_val(*p)) return p + 1;
    if (*p == 0x63 || *p == 0x64) return heaptype(p + 1, e);
    return 0;
}

static const u8 *blocktype(const u8 *p, const u8 *e) {
    i64 v;
    if (p >= e) return 0;
    u8 x = *p;
    if (x == 0x40 || is_val(x)) return p + 1;
    if (x == 0x63 || x == 0x64) return heaptype(p + 1, e);
    p = rd_sleb(p, e, 33, &v);
    return (p && v >= 0) ? p : 0;
}

static const u8 *memarg(const u8 *p, const u8 *e) {
    u32 flags, mem;
    p = rd_u32(p, e, &flags);
    if (!p || flags >= 0x80) return 0;
    if (flags & 0x40) {
        p = rd_u32(p, e, &mem);
        if (!p) return 0;
    }
    return skip_u64(p, e);
}

static const u8 *skip(const u8 *p, const u8 *e, u32 k) {
    return (u32)(e - p) >= k ? p + k : 0;
}

typedef struct {
    u32 *funcs, *consts, *datas;
    u32 nf, nc, nd, cap;
    u32 lo, last;
    u8 *stack;
    u8 cls[256];  /* fast-path class of each single-byte opcode (classes()) */
} Body;

enum { C_SLOW, C_NONE, C_END, C_LEB, C_MEM, C_I32 };

/* which fast path an opcode may take: only shapes whose every short encoding the
 * reference accepts and that need nothing recorded but a const */
static void classes(const u8 *tables, u8 *cls) {
    for (int op = 0; op < 256; op++) {
        u8 k = tables[op];
        int recorded = op == 0x10 || op == 0x12 || op == 0xD2 || op == 0x07 || op == 0x18;
        cls[op] = k == NONE ? C_NONE : op == 0x0B ? C_END
                : ((k == U32 && !recorded) || k == I64) ? C_LEB
                : k == MEMARG ? C_MEM : k == I32 ? C_I32 : C_SLOW;
    }
}

#define PUSH(list, n, v) do { if (b->n >= b->cap) return 0; b->list[b->n++] = (v); } while (0)

/* the immediates of one instruction; `op` is -1 for prefixed instructions */
static inline __attribute__((always_inline)) const u8 *immediates(const u8 *p, const u8 *e, int op, u8 kind, Body *b) {
    u32 v, n;
    i64 s;
    switch (kind) {
    case NONE: case END: return p;
    case U32:
        p = rd_u32(p, e, &v);
        if (p && (op == 0x10 || op == 0x12 || op == 0xD2)) PUSH(funcs, nf, v);
        return p;
    case I32:
        p = rd_sleb(p, e, 32, &s);
        if (p && (u32)s >= b->lo && (u32)s <= b->last) PUSH(consts, nc, (u32)s);
        return p;
    case MEMARG: return memarg(p, e);
    case U32X2:
        p = rd_u32(p, e, &v);
        return p ? rd_u32(p, e, &v) : 0;
    case BLOCK: return blocktype(p, e);
    case I64: return rd_sleb(p, e, 64, &s);
    case F32: return skip(p, e, 4);
    case F64: return skip(p, e, 8);
    case BR_TABLE:
        p = rd_u32(p, e, &n);
        for (u64 i = 0; p && i <= n; i++) p = rd_u32(p, e, &v);
        return p;
    case SELECT_T:
        p = rd_u32(p, e, &n);
        for (u32 i = 0; p && i < n; i++) p = valtype(p, e);
        return p;
    case HEAP: return heaptype(p, e);
    case TRY_TABLE:
        p = blocktype(p, e);
        if (p) p = rd_u32(p, e, &n);
        for (u32 i = 0; p && i < n; i++) {
            if (p >= e || *p > 3) return 0;
            u8 c = *p++;
            if (c < 2) p = rd_u32(p, e, &v);
            if (p) p = rd_u32(p, e, &v);
        }
        return p;
    case MEMARG_LANE:
        p = memarg(p, e);
        return p ? skip(p, e, 1) : 0;
    case LANE: return skip(p, e, 1);
    case BYTES16: return skip(p, e, 16);
    case ZERO: return (p < e && *p == 0) ? p + 1 : 0;
    case BR_ON_CAST:
        if (p >= e || *p > 3) return 0;
        p = rd_u32(p + 1, e, &v);
        if (p) p = heaptype(p, e);
        return p ? heaptype(p, e) : 0;
    }
    return 0;
}

/* one body: 1 if accepted (lists filled), 0 if not */
static int body(const u8 *p, const u8 *e, const u8 *tables, Body *b) {
    u32 n, k, sub, v;
    u64 total = 0;
    p = rd_u32(p, e, &n);
    if (!p || n > (u32)(e - p)) return 0;
    for (u32 i = 0; i < n; i++) {
        p = rd_u32(p, e, &k);
        if (!p) return 0;
        total += k;
        if (total >= ((u64)1 << 32)) return 0;
        p = valtype(p, e);
        if (!p) return 0;
    }
    u8 *stack = b->stack;
    u32 depth = 1;
    stack[0] = 0x02;
    while (depth) {
        if (p >= e) return 0;
        int op = *p++;
        u8 kind = tables[op];
        /* fast paths for the commonest shapes (one jump on the opcode's class); anything
         * they do not take falls through to the general decoder below */
        switch (b->cls[op]) {
        case C_NONE: continue;
        case C_END:
            depth--;
            continue;
        case C_LEB:  /* local.get/set/tee, global.get/set, br, br_if, i64.const... */
            if (p < e && *p < 0x80) { p++; continue; }
            if (p + 1 < e && p[1] < 0x80) { p += 2; continue; }
            break;
        case C_MEM:  /* load/store with one-byte flags (memory 0), then a u64 offset */
            if (p + 1 < e && *p < 0x40 && p[1] < 0x80) { p += 2; continue; }
            if (p < e && *p < 0x40) {
                const u8 *q = skip_u64(p + 1, e);
                if (!q) return 0;
                p = q;
                continue;
            }
            break;
        case C_I32:
            if (p < e && *p < 0x80) {  /* one-byte i32.const */
                u32 c = *p & 0x40 ? (u32)*p | 0xFFFFFF80u : *p;
                p++;
                if (c >= b->lo && c <= b->last) PUSH(consts, nc, c);
                continue;
            }
            break;
        }
        if (op == 0xFC || op == 0xFD || op == 0xFB || op == 0xFE) {
            p = rd_u32(p, e, &sub);
            if (!p || sub >= PFX_N) return 0;
            int t = op == 0xFC ? 0 : op == 0xFD ? 1 : op == 0xFB ? 2 : 3;
            kind = tables[256 + t * PFX_N + sub];
            if (kind == UNKNOWN) return 0;
            if (kind & DATA_FLAG) {
                kind &= ~DATA_FLAG;
                const u8 *q = p;
                if (op == 0xFB) q = rd_u32(q, e, &v);
                if (q) q = rd_u32(q, e, &v);
                if (!q) return 0;
                PUSH(datas, nd, v);
            }
            op = -1;
        } else {
            if (kind == UNKNOWN) return 0;
            switch (op) {
            case 0x02: case 0x03: case 0x04: case 0x06: case 0x1F:
                stack[depth++] = (u8)op;  /* depth < body size: each opener is a byte */
                break;
            case 0x0B: depth--; break;
            case 0x05:
                if (stack[depth - 1] != 0x04) return 0;
                stack[depth - 1] = 0x05;
                break;
            case 0x07: case 0x19:
                if (stack[depth - 1] != 0x06 && stack[depth - 1] != 0x07) return 0;
                stack[depth - 1] = (u8)op;
                break;
            case 0x18:
                if (stack[depth - 1] != 0x06) return 0;
                depth--;
                break;
            }
        }
        p = immediates(p, e, op, kind, b);
        if (!p) return 0;
    }
    return p == e;
}

static void sift(u32 *a, u32 i, u32 n) {
    for (;;) {
        u32 c = 2 * i + 1;
        if (c >= n) return;
        if (c + 1 < n && a[c + 1] > a[c]) c++;
        if (a[i] >= a[c]) return;
        u32 t = a[i]; a[i] = a[c]; a[c] = t;
        i = c;
    }
}

static u32 sort_unique(u32 *a, u32 n) {
    if (n < 2) return n;
    if (n <= 16) {
        for (u32 i = 1; i < n; i++) {
            u32 x = a[i], j = i;
            while (j > 0 && a[j - 1] > x) { a[j] = a[j - 1]; j--; }
            a[j] = x;
        }
    } else {
        for (u32 i = n / 2; i-- > 0;) sift(a, i, n);
        for (u32 k = n - 1; k > 0; k--) {
            u32 t = a[0]; a[0] = a[k]; a[k] = t;
            sift(a, 0, k);
        }
    }
    u32 m = 1;
    for (u32 i = 1; i < n; i++)
        if (a[i] != a[m - 1]) a[m++] = a[i];
    return m;
}

__attribute__((export_name("abi_version"))) u32 abi_version(void) { return ABI_VERSION; }

/* Scan bodies[first..nbodies) ((start, size) pairs, offsets into `code`). `scratch`
 * holds 3 * cap words, `stack` at least (largest body size + 1) bytes. Stops when the
 * next body's lists do not fit in `out`, or at a body it does not accept.
 * result[0]: the index of the body it stopped at (nbodies when done);
 * result[1]: words written to `out`. Returns 0 done, 1 out full, 2 body not accepted. */
__attribute__((export_name("scan")))
u32 scan(const u8 *code, const u32 *bodies, u32 nbodies, u32 first, const u8 *tables,
         u32 lo, u32 last, u32 *scratch, u32 cap, u8 *stack, u32 *heads, u32 *out,
         u32 out_cap, u32 *result) {
    Body b;
    b.funcs = scratch; b.consts = scratch + cap; b.datas = scratch + 2 * cap;
    b.cap = cap; b.lo = lo; b.last = last; b.stack = stack;
    classes(tables, b.cls);
    u32 w = 0, i = first, status = 0;
    for (; i < nbodies; i++) {
        const u8 *p = code + bodies[2 * i];
        b.nf = b.nc = b.nd = 0;
        if (!body(p, p + bodies[2 * i + 1], tables, &b)) { status = 2; break; }
        u32 nf = sort_unique(b.funcs, b.nf), nc = sort_unique(b.consts, b.nc);
        u32 nd = sort_unique(b.datas, b.nd);
        if (nf + nc + nd > out_cap - w) { status = 1; break; }
        heads[3 * i] = nf; heads[3 * i + 1] = nc; heads[3 * i + 2] = nd;
        for (u32 j = 0; j < nf; j++) out[w++] = b.funcs[j];
        for (u32 j = 0; j < nc; j++) out[w++] = b.consts[j];
        for (u32 j = 0; j < nd; j++) out[w++] = b.datas[j];
    }
    result[0] = i;
    result[1] = w;
    return status;
}
