/* Data segment offsets, the compiled twin of the fast path of
 * workbench/core/wasm/refs.py `_data`: an entry `00 41 <sleb32> 0b` (active, memory 0,
 * `i32.const` offset) gets its offset as u32 and status 1; any other entry gets status
 * 2 and the host reads it with the Python code (passive segments, memory indices,
 * other expressions). The reader has checked the section; the LEB is still bounded. */

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

__attribute__((export_name("data_offsets")))
void data_offsets(const u8 *buf, u32 len, const u32 *entries, u32 n, u32 *values,
                  u8 *status) {
    for (u32 i = 0; i < n; i++) {
        u32 p = entries[i];
        status[i] = 2;
        values[i] = 0;
        if (p + 2 >= len || buf[p] != 0 || buf[p + 1] != 0x41) continue;
        u32 q = p + 2, shift = 0;
        u64 v = 0;
        u8 b;
        do {
            if (q >= len || shift > 28) goto next;
            b = buf[q++];
            v |= (u64)(b & 0x7F) << shift;
            shift += 7;
        } while (b & 0x80);
        if (q >= len || buf[q] != 0x0B) continue;
        if (b & 0x40) v |= ~(u64)0 << shift;
        values[i] = (u32)v;
        status[i] = 1;
    next:;
    }
}
