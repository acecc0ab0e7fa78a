/* edge.h: the few helpers a freestanding C edge handler needs (no libc here).
 *
 * Copy this file into your own handler. It provides:
 *   - the edge ABI exports' memory side: an arena that `alloc` resets per request;
 *   - host imports from module "edge" (only the ones you call end up imported);
 *   - a request parser (method, path, query, headers, body) and a route matcher with
 *     `{name}` path parameters;
 *   - a growable byte buffer with int / JSON-string appenders;
 *   - respond(): renders `[u32 length][HTTP/1.1 response]` as the ABI wants.
 * Everything is `static` except memcpy/memset/memcmp, which clang may call on its own.
 */
#ifndef EDGE_H
#define EDGE_H

/* Helpers a handler does not call are fine: the linker drops them. */
#pragma clang diagnostic ignored "-Wunused-function"

#include <stddef.h>
#include <stdint.h>

/* ---- host functions (docs/handler-abi.md) ------------------------------------- */
#define EDGE_IMPORT(name) __attribute__((import_module("edge"), import_name(name)))
EDGE_IMPORT("log") void edge_log(int level, const char *msg, int len);
EDGE_IMPORT("kv_get") int edge_kv_get(const char *key, int key_len, char *out, int cap);
EDGE_IMPORT("kv_put") int edge_kv_put(const char *key, int key_len, const char *val, int len);
EDGE_IMPORT("kv_delete") int edge_kv_delete(const char *key, int key_len);
EDGE_IMPORT("now_ms") int64_t edge_now_ms(void);
enum { EDGE_NOT_FOUND = -1, EDGE_UNAVAILABLE = -2, EDGE_BAD_POINTER = -3, EDGE_TOO_LARGE = -4 };

/* ---- what clang may emit calls to, even without libc -------------------------- */
__attribute__((weak)) void *memcpy(void *dst, const void *src, size_t n) {
    unsigned char *d = dst; const unsigned char *s = src;
    while (n--) *d++ = *s++;
    return dst;
}
__attribute__((weak)) void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}
__attribute__((weak)) int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++) if (*x != *y) return *x - *y;
    return 0;
}
static int str_len(const char *s) { int n = 0; while (s[n]) n++; return n; }
static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }
static int eq_nocase(const char *a, int an, const char *b, int bn) {
    if (an != bn) return 0;
    for (int i = 0; i < an; i++) if (lower(a[i]) != lower(b[i])) return 0;
    return 1;
}
static int eq_str(const char *a, int an, const char *lit) {
    int n = str_len(lit);
    return an == n && memcmp(a, lit, n) == 0;
}

/* ---- memory: one arena, reset when the host asks room for the next request ----- */
extern unsigned char __heap_base;
static uintptr_t arena_top;

static void *arena_alloc(int n) {
    uintptr_t p = (arena_top + 7) & ~(uintptr_t)7;
    uintptr_t end = p + (uintptr_t)n;
    uintptr_t have = __builtin_wasm_memory_size(0) * 65536u;
    if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (size_t)-1)
        return 0;
    arena_top = end;
    return (void *)p;
}

__attribute__((export_name("alloc"))) void *alloc(int len) {
    arena_top = (uintptr_t)&__heap_base;  /* one request at a time: start over */
    return arena_alloc(len);
}

/* ---- buffers --------------------------------------------------------------------- */
typedef struct { char *p; int len, cap; } buf_t;

static buf_t buf_new(int cap) { buf_t b = { arena_alloc(cap), 0, cap }; return b; }
static void buf_put(buf_t *b, const char *s, int n) {
    if (b->len + n > b->cap) {
        int cap = (b->len + n) * 2;
        char *p = arena_alloc(cap);
        memcpy(p, b->p, b->len);
        b->p = p; b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}
static void buf_str(buf_t *b, const char *s) { buf_put(b, s, str_len(s)); }
static void buf_int(buf_t *b, long long v) {
    char tmp[24]; int i = 24;
    unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
    do { tmp[--i] = (char)('0' + u % 10); u /= 10; } while (u);
    if (v < 0) tmp[--i] = '-';
    buf_put(b, tmp + i, 24 - i);
}
/* A JSON string literal, quoted and escaped. */
static void buf_json_str(buf_t *b, const char *s, int n) {
    static const char hex[] = "0123456789abcdef";
    buf_put(b, "\"", 1);
    for (int i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { char e[2] = { '\\', (char)c }; buf_put(b, e, 2); }
        else if (c < 0x20) { char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
                             buf_put(b, e, 6); }
        else buf_put(b, (const char *)&c, 1);
    }
    buf_put(b, "\"", 1);
}

/* ---- requests -------------------------------------------------------------------- */
typedef struct { const char *p; int len; } slice_t;
typedef struct {
    slice_t method, path, query, headers, body;
} request_t;

/* Split "METHOD target HTTP/1.1\r\nheaders\r\n\r\nbody". Returns 0 if malformed. */
static int parse_request(const char *p, int n, request_t *r) {
    int i = 0, start;
    *r = (request_t){0};
    while (i < n && p[i] != ' ') i++;
    r->method = (slice_t){ p, i };
    start = ++i;
    while (i < n && p[i] != ' ' && p[i] != '?') i++;
    r->path = (slice_t){ p + start, i - start };
    if (i < n && p[i] == '?') {
        start = ++i;
        while (i < n && p[i] != ' ') i++;
        r->query = (slice_t){ p + start, i - start };
    }
    while (i < n && p[i] != '\n') i++;
    start = ++i;
    for (; i + 3 < n; i++)
        if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n') break;
    r->headers = (slice_t){ p + start, i - start };
    r->body = (slice_t){ p + i + 4, i + 4 <= n ? n - i - 4 : 0 };
    return r->method.len > 0 && r->path.len > 0;
}

/* Value of header `name` (case-insensitive), or {0,0} when absent. */
static slice_t req_header(const request_t *r, const char *name) {
    const char *p = r->headers.p, *end = p + r->headers.len;
    int nl = str_len(name);
    while (p < end) {
        const char *line = p, *colon = 0;
        while (p < end && *p != '\r') { if (!colon && *p == ':') colon = p; p++; }
        if (colon && eq_nocase(line, (int)(colon - line), name, nl)) {
            const char *v = colon + 1;
            while (v < p && *v == ' ') v++;
            return (slice_t){ v, (int)(p - v) };
        }
        p += 2;
    }
    return (slice_t){ 0, 0 };
}

/* Value of query parameter `name` (not URL-decoded), or {0,0}. */
static slice_t req_query(const request_t *r, const char *name) {
    const char *p = r->query.p, *end = p + r->query.len;
    int nl = str_len(name);
    while (p && p < end) {
        const char *k = p, *eq = 0;
        while (p < end && *p != '&') { if (!eq && *p == '=') eq = p; p++; }
        if (eq && eq - k == nl && memcmp(k, name, nl) == 0)
            return (slice_t){ eq + 1, (int)(p - eq - 1) };
        p++;
    }
    return (slice_t){ 0, 0 };
}

/* Match a path against a pattern like "/users/{id}/posts": each {param} captures one
 * segment into params[0], params[1], ... Returns the number of captures, or -1. */
static int route(slice_t path, const char *pattern, slice_t *params) {
    const char *p = path.p, *end = path.p + path.len, *q = pattern;
    int count = 0;
    while (*q) {
        if (*q == '{') {
            const char *seg = p;
            while (*q && *q != '}') q++;
            if (*q) q++;
            while (p < end && *p != '/') p++;
            if (p == seg) return -1;
            params[count++] = (slice_t){ seg, (int)(p - seg) };
        } else {
            if (p >= end || *p != *q) return -1;
            p++; q++;
        }
    }
    return p == end ? count : -1;
}

/* Parse a non-negative decimal; -1 when it is not one. */
static long long parse_uint(slice_t s) {
    long long v = 0;
    if (s.len == 0 || s.len > 18) return -1;
    for (int i = 0; i < s.len; i++) {
        if (s.p[i] < '0' || s.p[i] > '9') return -1;
        v = v * 10 + (s.p[i] - '0');
    }
    return v;
}

/* ---- responses ------------------------------------------------------------------- */
static const char *reason(int status) {
    switch (status) {
    case 200: return "OK"; case 201: return "Created"; case 204: return "No Content";
    case 301: return "Moved Permanently"; case 302: return "Found";
    case 400: return "Bad Request"; case 404: return "Not Found";
    case 405: return "Method Not Allowed"; case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests"; case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

/* Render the response the ABI expects and return its address. `headers` holds extra
 * "name: value\r\n" lines (or is NULL). */
static int respond(int status, const char *ctype, const buf_t *headers,
                   const char *body, int body_len) {
    buf_t out = buf_new(128 + body_len + (headers ? headers->len : 0));
    buf_put(&out, "\0\0\0\0", 4);  /* length prefix, filled in below */
    buf_str(&out, "HTTP/1.1 ");
    buf_int(&out, status);
    buf_str(&out, " ");
    buf_str(&out, reason(status));
    buf_str(&out, "\r\n");
    if (ctype) { buf_str(&out, "content-type: "); buf_str(&out, ctype); buf_str(&out, "\r\n"); }
    if (headers) buf_put(&out, headers->p, headers->len);
    buf_str(&out, "content-length: ");
    buf_int(&out, body_len);
    buf_str(&out, "\r\n\r\n");
    buf_put(&out, body, body_len);
    uint32_t n = (uint32_t)(out.len - 4);
    memcpy(out.p, &n, 4);  /* wasm is little-endian */
    return (int)(uintptr_t)out.p;
}

static int respond_json(int status, const buf_t *body) {
    return respond(status, "application/json", 0, body->p, body->len);
}

/* {"error": msg} with the given status. */
static int json_error(int status, const char *msg) {
    buf_t b = buf_new(64);
    buf_str(&b, "{\"error\":");
    buf_json_str(&b, msg, str_len(msg));
    buf_str(&b, "}");
    return respond_json(status, &b);
}

static void log_info(const char *msg) { edge_log(1, msg, str_len(msg)); }

#endif /* EDGE_H */
