/* kv-counter-c: state in the host's key-value store (imports edge.kv_get/kv_put/...).
 *
 *   GET    /count/{name}   increment and return a named counter
 *   DELETE /count/{name}   reset it (200 either way; "deleted" says whether it existed)
 *   GET    /limited        a fixed-window rate limiter: 3 requests per minute per
 *                          x-client-id header, then 429 with retry-after
 *   DELETE /limited        reset the caller's window (used by the saved requests)
 *
 * Every KV call can fail (-2 UNAVAILABLE, e.g. under chaos settings): the handler turns
 * that into a 503 instead of trapping. Try `[chaos] kv_failure_rate = 0.3` in module.toml.
 */
#include "edge.h"

#define LIMIT 3
#define WINDOW_MS 60000

/* key = prefix + name, in the arena */
static slice_t make_key(const char *prefix, slice_t name) {
    buf_t k = buf_new(64);
    buf_str(&k, prefix);
    buf_put(&k, name.p, name.len);
    return (slice_t){ k.p, k.len };
}

/* Read a decimal counter; absent counts as 0. Returns < 0 on a store error. */
static long long kv_read_int(slice_t key) {
    char val[24];
    int n = edge_kv_get(key.p, key.len, val, sizeof val);
    if (n == EDGE_NOT_FOUND) return 0;
    if (n < 0) return n;
    if (n > (int)sizeof val) return EDGE_TOO_LARGE;
    return parse_uint((slice_t){ val, n });
}

static int kv_write_int(slice_t key, long long v) {
    buf_t b = buf_new(24);
    buf_int(&b, v);
    return edge_kv_put(key.p, key.len, b.p, b.len);
}

static int unavailable(void) {
    buf_t h = buf_new(32);
    buf_str(&h, "retry-after: 1\r\n");
    static const char body[] = "{\"error\":\"the key-value store is unavailable\"}";
    return respond(503, "application/json", &h, body, sizeof body - 1);
}

static int counter(const request_t *r, slice_t name) {
    slice_t key = make_key("count:", name);
    if (eq_str(r->method.p, r->method.len, "DELETE")) {
        int rc = edge_kv_delete(key.p, key.len);
        if (rc < 0 && rc != EDGE_NOT_FOUND) return unavailable();
        buf_t b = buf_new(32);
        buf_str(&b, rc == 0 ? "{\"deleted\":true}" : "{\"deleted\":false}");
        return respond_json(200, &b);
    }
    long long count = kv_read_int(key);
    if (count < 0) return unavailable();
    count += 1;
    if (kv_write_int(key, count) < 0) return unavailable();
    buf_t b = buf_new(64);
    buf_str(&b, "{\"name\":");
    buf_json_str(&b, name.p, name.len);
    buf_str(&b, ",\"count\":");
    buf_int(&b, count);
    buf_str(&b, "}");
    return respond_json(200, &b);
}

/* Window state is stored as "<start_ms> <count>". */
static int limited(const request_t *r) {
    slice_t client = req_header(r, "x-client-id");
    if (!client.len) client = (slice_t){ "anonymous", 9 };
    slice_t key = make_key("ratelimit:", client);
    if (eq_str(r->method.p, r->method.len, "DELETE")) {
        int rc = edge_kv_delete(key.p, key.len);
        if (rc < 0 && rc != EDGE_NOT_FOUND) return unavailable();
        return respond(200, "application/json", 0, "{\"reset\":true}", 14);
    }
    long long now = edge_now_ms(), start = now, count = 0;
    char val[48];
    int n = edge_kv_get(key.p, key.len, val, sizeof val);
    if (n >= 0 && n <= (int)sizeof val) {
        int sp = 0;
        while (sp < n && val[sp] != ' ') sp++;
        long long s = parse_uint((slice_t){ val, sp });
        long long c = parse_uint((slice_t){ val + sp + 1, n - sp - 1 });
        if (s >= 0 && c >= 0 && now - s < WINDOW_MS) { start = s; count = c; }
    } else if (n != EDGE_NOT_FOUND) {
        return unavailable();
    }
    buf_t h = buf_new(96);
    if (count >= LIMIT) {
        buf_str(&h, "retry-after: ");
        buf_int(&h, (start + WINDOW_MS - now + 999) / 1000);
        buf_str(&h, "\r\nx-ratelimit-remaining: 0\r\n");
        static const char body[] = "{\"error\":\"rate limit exceeded\"}";
        log_info("rate limited");
        return respond(429, "application/json", &h, body, sizeof body - 1);
    }
    count += 1;
    buf_t v = buf_new(48);
    buf_int(&v, start);
    buf_str(&v, " ");
    buf_int(&v, count);
    if (edge_kv_put(key.p, key.len, v.p, v.len) < 0) return unavailable();
    buf_str(&h, "x-ratelimit-remaining: ");
    buf_int(&h, LIMIT - count);
    buf_str(&h, "\r\n");
    buf_t b = buf_new(48);
    buf_str(&b, "{\"remaining\":");
    buf_int(&b, LIMIT - count);
    buf_str(&b, "}");
    return respond(200, "application/json", &h, b.p, b.len);
}

int handle(const char *req, int len) {
    request_t r;
    slice_t params[1];
    if (!parse_request(req, len, &r)) return json_error(400, "malformed request");
    if (route(r.path, "/count/{name}", params) == 1) return counter(&r, params[0]);
    if (route(r.path, "/limited", params) == 0) return limited(&r);
    return json_error(404, "try /count/{name} or /limited");
}
