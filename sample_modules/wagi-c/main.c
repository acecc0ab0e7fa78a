/* wagi-c: a WAGI handler. The request arrives as CGI environment variables plus the
 * body on stdin; the response is CGI headers, a blank line and the body on stdout.
 * It is an ordinary wasm32-wasi command built against zig's wasi-libc, so printf,
 * getenv and fread all work (and all cost bytes: compare its size with json-api-c).
 *
 *   GET  /hello?name=Ada   greeting, name from the query string (URL-decoded)
 *   POST /echo             echoes the body back with its content type
 *   GET  /env              the CGI variables the host passed (debugging aid)
 *   GET  /old-hello        `Location:` alone: the host turns it into a 302
 *   other paths            Status: 404
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env(const char *name) {
    const char *v = getenv(name);
    return v ? v : "";
}

/* Copy query parameter `name` into out (URL-decoded); returns 1 when present. */
static int query_param(const char *query, const char *name, char *out, size_t cap) {
    size_t nl = strlen(name);
    for (const char *p = query; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
        if (strncmp(p, name, nl) != 0 || p[nl] != '=') continue;
        size_t o = 0;
        for (const char *v = p + nl + 1; *v && *v != '&' && o + 1 < cap; v++) {
            if (*v == '+') out[o++] = ' ';
            else if (*v == '%' && v[1] && v[2]) {
                char hex[3] = { v[1], v[2], 0 };
                out[o++] = (char)strtol(hex, NULL, 16);
                v += 2;
            } else out[o++] = *v;
        }
        out[o] = 0;
        return 1;
    }
    return 0;
}

/* Minimal HTML escaping, so ?name=<script> stays text. */
static void put_html(const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", stdout); break;
        case '>': fputs("&gt;", stdout); break;
        case '&': fputs("&amp;", stdout); break;
        case '"': fputs("&quot;", stdout); break;
        default: putchar(*s);
        }
    }
}

static int hello(void) {
    char name[64];
    if (!query_param(env("QUERY_STRING"), "name", name, sizeof name) || !name[0])
        strcpy(name, "world");
    printf("Content-Type: text/html; charset=utf-8\n\n<h1>Hello, ");
    put_html(name);
    printf("!</h1>\n");
    return 0;
}

static int echo(void) {
    long len = atol(env("CONTENT_LENGTH"));
    const char *ctype = env("CONTENT_TYPE");
    printf("Content-Type: %s\nX-Echo-Length: %ld\n\n", ctype[0] ? ctype : "text/plain", len);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) fwrite(buf, 1, n, stdout);
    return 0;
}

static int show_env(void) {
    static const char *names[] = { "REQUEST_METHOD", "PATH_INFO", "QUERY_STRING",
                                   "SERVER_NAME", "REMOTE_ADDR", "HTTP_USER_AGENT" };
    printf("Content-Type: text/plain\n\n");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        printf("%s=%s\n", names[i], env(names[i]));
    return 0;
}

int main(void) {
    const char *method = env("REQUEST_METHOD"), *path = env("PATH_INFO");
    if (strcmp(path, "/hello") == 0 && strcmp(method, "GET") == 0) return hello();
    if (strcmp(path, "/echo") == 0 && strcmp(method, "POST") == 0) return echo();
    if (strcmp(path, "/env") == 0) return show_env();
    if (strcmp(path, "/old-hello") == 0) {
        printf("Location: /hello\n\n");
        return 0;
    }
    printf("Status: 404 Not Found\nContent-Type: text/plain\n\nno route for %s %s\n", method, path);
    return 0;
}
