/* json-api-c: a small JSON API with routing and path parameters, in freestanding C.
 *
 *   GET  /users              list all users
 *   GET  /users/{id}         one user, 404 when unknown, 400 when id is not a number
 *   GET  /users/{id}/greeting?lang=fr|de|en
 *   POST /users              {"name": "..."} -> 201 + location; 422 without a name
 *   POST /login              {"name": "Ada Lovelace"} -> {"token": "..."}; 401 if unknown
 *   GET  /me                 the user of `Authorization: Bearer <token>`; 401 without one
 *                            (demo tokens: "demo-<id>"; a real handler checks a signature)
 *   anything else            404; a known path with the wrong method is a 405 whose
 *                            `allow` header lists the methods it takes
 *
 * Data is a static table: edge handlers keep state in the host's KV store instead
 * (see kv-counter-c). Helpers (parsing, routing, JSON, responses) are in edge.h.
 */
#include "edge.h"

typedef struct {
    int id;
    const char *name;
    const char *role;
} user_t;

static const user_t USERS[] = {
    { 1, "Ada Lovelace", "admin" },
    { 2, "Grace Hopper", "editor" },
    { 3, "Margaret Hamilton", "viewer" },
};
#define USER_COUNT ((int)(sizeof USERS / sizeof USERS[0]))

static void user_json(buf_t *b, const user_t *u) {
    buf_str(b, "{\"id\":");
    buf_int(b, u->id);
    buf_str(b, ",\"name\":");
    buf_json_str(b, u->name, str_len(u->name));
    buf_str(b, ",\"role\":");
    buf_json_str(b, u->role, str_len(u->role));
    buf_str(b, "}");
}

static const user_t *find_user(long long id) {
    for (int i = 0; i < USER_COUNT; i++)
        if (USERS[i].id == id) return &USERS[i];
    return 0;
}

static int list_users(void) {
    buf_t b = buf_new(256);
    buf_str(&b, "{\"users\":[");
    for (int i = 0; i < USER_COUNT; i++) {
        if (i) buf_str(&b, ",");
        user_json(&b, &USERS[i]);
    }
    buf_str(&b, "],\"count\":");
    buf_int(&b, USER_COUNT);
    buf_str(&b, "}");
    return respond_json(200, &b);
}

/* Resolve {id} or answer the error response; *out is set on success. */
static int lookup(slice_t id_text, const user_t **out) {
    long long id = parse_uint(id_text);
    if (id < 0) return json_error(400, "id must be a positive integer");
    *out = find_user(id);
    if (*out) return 0;
    buf_t b = buf_new(64);
    buf_str(&b, "{\"error\":\"user ");
    buf_int(&b, id);
    buf_str(&b, " not found\"}");
    return respond_json(404, &b);
}

static int greeting(const request_t *r, const user_t *u) {
    slice_t lang = req_query(r, "lang");
    const char *hello = "Hello";
    if (eq_str(lang.p, lang.len, "fr")) hello = "Bonjour";
    else if (eq_str(lang.p, lang.len, "de")) hello = "Hallo";
    buf_t b = buf_new(64);
    buf_str(&b, "{\"greeting\":\"");
    buf_str(&b, hello);
    buf_str(&b, ", ");
    buf_str(&b, u->name);  /* names in the table need no escaping */
    buf_str(&b, "!\"}");
    return respond_json(200, &b);
}

/* Find the string value of "name" in a JSON object: enough for this demo, not a parser. */
static slice_t json_name(slice_t body) {
    const char *p = body.p, *end = body.p + body.len;
    for (; p + 6 < end; p++) {
        if (memcmp(p, "\"name\"", 6) != 0) continue;
        p += 6;
        while (p < end && (*p == ' ' || *p == ':')) p++;
        if (p >= end || *p != '"') break;
        const char *start = ++p;
        while (p < end && *p != '"') p++;
        if (p < end && p > start) return (slice_t){ start, (int)(p - start) };
        break;
    }
    return (slice_t){ 0, 0 };
}

static int create_user(const request_t *r) {
    slice_t name = json_name(r->body);
    if (!name.len) return json_error(422, "a non-empty \"name\" is required");
    int id = USER_COUNT + 1;  /* nothing is stored: this is a demo */
    buf_t body = buf_new(128), headers = buf_new(48);
    buf_str(&body, "{\"id\":");
    buf_int(&body, id);
    buf_str(&body, ",\"name\":");
    buf_json_str(&body, name.p, name.len);
    buf_str(&body, ",\"role\":\"viewer\"}");
    buf_str(&headers, "location: /users/");
    buf_int(&headers, id);
    buf_str(&headers, "\r\n");
    return respond(201, "application/json", &headers, body.p, body.len);
}

/* A demo token: "demo-" + the user id. Real handlers verify a signature instead. */
static int login(const request_t *r) {
    slice_t name = json_name(r->body);
    for (int i = 0; i < USER_COUNT; i++) {
        if (!eq_str(name.p, name.len, USERS[i].name)) continue;
        buf_t b = buf_new(48);
        buf_str(&b, "{\"token\":\"demo-");
        buf_int(&b, USERS[i].id);
        buf_str(&b, "\"}");
        return respond_json(200, &b);
    }
    return json_error(401, "unknown user");
}

/* 405, with the `allow` header HTTP requires on it. */
static int wrong_method(const char *allow) {
    buf_t headers = buf_new(32), body = buf_new(48);
    buf_str(&headers, "allow: ");
    buf_str(&headers, allow);
    buf_str(&headers, "\r\n");
    buf_str(&body, "{\"error\":\"use ");
    buf_str(&body, allow);
    buf_str(&body, "\"}");
    return respond(405, "application/json", &headers, body.p, body.len);
}

int handle(const char *req, int len) {
    request_t r;
    slice_t params[2];
    const user_t *user = 0;
    int is_get, early;
    if (!parse_request(req, len, &r)) return json_error(400, "malformed request");
    is_get = eq_str(r.method.p, r.method.len, "GET");

    if (route(r.path, "/users", params) == 0) {
        if (is_get) return list_users();
        if (eq_str(r.method.p, r.method.len, "POST")) return create_user(&r);
        return wrong_method("GET, POST");
    }
    if (route(r.path, "/me", params) == 0) {  /* the user of "Bearer demo-<id>" */
        slice_t auth = req_header(&r, "authorization");
        if (auth.len <= 12 || memcmp(auth.p, "Bearer demo-", 12) != 0)
            return json_error(401, "a valid bearer token is required");
        params[0] = (slice_t){ auth.p + 12, auth.len - 12 };
        goto one_user;
    }
    if (route(r.path, "/users/{id}", params) == 1) {
        if (!is_get) return wrong_method("GET");
    one_user:
        if ((early = lookup(params[0], &user))) return early;
        buf_t b = buf_new(128);
        user_json(&b, user);
        return respond_json(200, &b);
    }
    if (route(r.path, "/users/{id}/greeting", params) == 1) {
        if (!is_get) return wrong_method("GET");
        if ((early = lookup(params[0], &user))) return early;
        return greeting(&r, user);
    }
    if (route(r.path, "/login", params) == 0) return login(&r);
    log_info("no route matched");
    return json_error(404, "no such route");
}
