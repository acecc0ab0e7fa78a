/* impure-cache-c: deliberately NOT safe to reuse warm. `workbench purity` catches it.
 *
 * Two classic mistakes of a handler written as if every request got a fresh instance:
 *   - `hits`, a global counter: a warm instance answers /hits with a number that
 *     depends on how many requests it served before (and a snapshot would freeze it);
 *   - `cache_top`, a cache that keeps every request path and never evicts: the heap grows
 *     by 256 bytes a request until the instance runs out of memory.
 * kv-counter-c shows the pure way: keep such state in the host's KV store.
 */
#include "edge.h"

static int hits;
static unsigned char *cache_top;

static void remember(slice_t path) {
    uintptr_t have = __builtin_wasm_memory_size(0) * 65536u;
    if (!cache_top) cache_top = (unsigned char *)have;  /* above everything else */
    if ((uintptr_t)cache_top + 256 > have && __builtin_wasm_memory_grow(0, 1) == (size_t)-1)
        return;
    int n = path.len < 252 ? path.len : 252;
    memcpy(cache_top, &n, 4);
    memcpy(cache_top + 4, path.p, n);
    cache_top += 256;
}

int handle(const char *req, int len) {
    request_t r;
    slice_t params[1];
    if (!parse_request(req, len, &r)) return json_error(400, "malformed request");
    hits += 1;
    remember(r.path);
    buf_t b = buf_new(64);
    if (route(r.path, "/hits", params) == 0) {
        buf_str(&b, "{\"hits\":");
        buf_int(&b, hits);
    } else {
        buf_str(&b, "{\"path\":");
        buf_json_str(&b, r.path.p, r.path.len);
    }
    buf_str(&b, "}");
    return respond_json(200, &b);
}
