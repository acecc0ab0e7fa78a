/* size-problem: a working handler that is several times bigger than it needs to be.
 *
 *   GET /sin?deg=30.5     {"deg":30.5,"sin":0.507538,"cos":0.861629}
 *   GET /                 a short description
 *
 * Where the bytes go (open it in the workbench's size view):
 *   1. module.toml builds the `debug` profile: DWARF custom sections (.debug_info,
 *      .debug_line, .debug_str, ...) outweigh the code. `profile = "release"` drops them.
 *   2. sin_table.h is 3600 doubles (28.8 KB of data segment) to avoid computing sin().
 *      A 7-term Taylor polynomial is ~100 bytes of code and accurate to 1e-7 here.
 *   3. format.c is a general printf (four integer bases, %f/%e/%g, padding, pointers)
 *      used for one "%.6f". edge.h's buf_int plus a fixed-point split is enough.
 * README.md has the before/after figures.
 */
#include "edge.h"
#include "sin_table.h"

int format(char *buf, size_t cap, const char *fmt, ...);

/* Parse "30.5" / "-12" into tenths of a degree; 0 on success. */
static int parse_tenths(slice_t s, long long *out) {
    long long v = 0;
    int i = 0, neg = 0, frac = -1;
    if (s.len && s.p[0] == '-') { neg = 1; i = 1; }
    if (i >= s.len) return -1;
    for (; i < s.len; i++) {
        char c = s.p[i];
        if (c == '.' && frac < 0) { frac = 0; continue; }
        if (c < '0' || c > '9' || frac >= 1 || v > 100000000) return -1;
        v = v * 10 + (c - '0');
        if (frac >= 0) frac++;
    }
    if (frac <= 0) v *= 10;
    *out = neg ? -v : v;
    return 0;
}

static double table_sin(long long tenths) {
    long long i = tenths % SIN_TABLE_STEPS;
    if (i < 0) i += SIN_TABLE_STEPS;
    return SIN_TABLE[i];
}

static int sin_endpoint(const request_t *r) {
    long long tenths;
    slice_t deg = req_query(r, "deg");
    if (!deg.len || parse_tenths(deg, &tenths))
        return json_error(400, "deg must be a number with at most one decimal, e.g. ?deg=30.5");
    char *body = arena_alloc(128);
    int n = format(body, 128, "{\"deg\":%.1f,\"sin\":%.6f,\"cos\":%.6f}", tenths / 10.0,
                   table_sin(tenths), table_sin(tenths + 900));
    return respond(200, "application/json", 0, body, n);
}

int handle(const char *req, int len) {
    request_t r;
    if (!parse_request(req, len, &r)) return json_error(400, "malformed request");
    if (eq_str(r.path.p, r.path.len, "/sin")) return sin_endpoint(&r);
    if (eq_str(r.path.p, r.path.len, "/")) {
        static const char text[] = "size-problem: GET /sin?deg=30.5 (see README.md)\n";
        return respond(200, "text/plain", 0, text, sizeof text - 1);
    }
    return json_error(404, "try /sin?deg=30.5");
}
