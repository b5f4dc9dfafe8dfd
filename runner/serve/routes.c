#include "routes.h"

#include <stdio.h>
#include <string.h>
#include <uv.h>

#include "serve.h"

#define M(m) (1u << GS_HTTP_##m)

typedef void (*route_fn)(const gs_http_request *req, const char *rest, size_t rest_len, gs__http_response *r);

static void route_index(const gs_http_request *req, const char *rest, size_t rest_len, gs__http_response *r);
static void route_echo(const gs_http_request *req, const char *rest, size_t rest_len, gs__http_response *r);
static void route_delay(const gs_http_request *req, const char *rest, size_t rest_len, gs__http_response *r);

/* Every endpoint once: its path (a prefix when prefix is set: the rest goes
 * to fn), the methods it takes, what answers it, and its line in the index. */
static const struct route {
    const char *path;
    int prefix;
    unsigned methods;
    route_fn fn;
    const char *usage;
} routes[] = {
    {"/", 0, M(GET) | M(HEAD), route_index, "GET  /                  this list"},
    {"/echo", 0, M(GET) | M(HEAD) | M(POST), route_echo,
     "GET  /echo?TEXT         answers TEXT (the raw query)\n"
     "POST /echo              answers the request's body (at most 1 MiB)"},
    {"/delay/", 1, M(GET) | M(HEAD), route_delay,
     "GET  /delay/MS?bytes=N  answers after MS ms (0-60000) with N bytes (0-16777216)"},
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

static void text(gs__http_response *r, int status, const char *body) {
    r->status = status;
    r->body = body;
    r->body_len = strlen(body);
}

static char index_text[1024];
static size_t index_len;
static uv_once_t index_once = UV_ONCE_INIT;

/* Writes the index from the table, once per process. */
static void build_index(void) {
    size_t cap = sizeof(index_text), k = 0;
    k += (size_t)snprintf(index_text, cap, "gilscope HTTP service (docs/http-service.md)\n\n");
    for (size_t i = 0; i < NROUTES && k < cap; i++) k += (size_t)snprintf(index_text + k, cap - k, "%s\n", routes[i].usage);
    if (k < cap) k += (size_t)snprintf(index_text + k, cap - k, "HEAD works wherever GET does. HTTP/1.0 and 1.1, keep-alive.\n");
    index_len = k < cap ? k : cap - 1;
}

const char *gs__http_index(size_t *len) {
    uv_once(&index_once, build_index);
    *len = index_len;
    return index_text;
}

static void route_index(const gs_http_request *req, const char *rest, size_t rest_len, gs__http_response *r) {
    r->status = GS_HTTP_OK;
    r->body = gs__http_index(&r->body_len);
}

static void route_echo(const gs_http_request *req, const char *rest, size_t rest_len, gs__http_response *r) {
    r->status = GS_HTTP_OK;
    if (req->method == GS_HTTP_POST) {
        r->body = req->body;
        r->body_len = req->content_length;
    } else {
        r->body = req->query ? req->query : "";
        r->body_len = req->query_len;
    }
}

/* Parses s[0, n) as a decimal number of at most max. Returns 0, or -1. */
static int number(const char *s, size_t n, unsigned long max, unsigned long *out) {
    unsigned long v = 0;
    if (n == 0 || n > 9) return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v > max) return -1;
    *out = v;
    return 0;
}

static void route_delay(const gs_http_request *req, const char *rest, size_t rest_len, gs__http_response *r) {
    unsigned long ms, bytes = 0;
    if (number(rest, rest_len, GS_HTTP_MAX_DELAY_MS, &ms)) {
        text(r, GS_HTTP_BAD_REQUEST, "400 Bad Request: /delay/MS takes MS from 0 to 60000\n");
        return;
    }
    /* The query's parameters, KEY=VALUE joined by '&': bytes= counts, others are ignored. */
    const char *q = req->query;
    size_t left = req->query_len;
    while (q && left > 0) {
        const char *amp = memchr(q, '&', left);
        size_t len = amp ? (size_t)(amp - q) : left;
        if (len >= 6 && memcmp(q, "bytes=", 6) == 0 && number(q + 6, len - 6, GS_HTTP_MAX_BYTES, &bytes)) {
            text(r, GS_HTTP_BAD_REQUEST, "400 Bad Request: bytes=N takes N from 0 to 16777216\n");
            return;
        }
        q += len + (amp != NULL);
        left -= len + (amp != NULL);
    }
    r->status = GS_HTTP_OK;
    r->delay_ms = (unsigned)ms;
    r->pattern_len = bytes;
}

void gs__http_route(const gs_http_request *req, gs__http_response *r) {
    memset(r, 0, sizeof(*r));
    for (size_t i = 0; i < NROUTES; i++) {
        const struct route *rt = &routes[i];
        size_t n = strlen(rt->path);
        if (rt->prefix ? req->path_len < n || memcmp(req->path, rt->path, n) != 0
                       : req->path_len != n || memcmp(req->path, rt->path, n) != 0)
            continue;
        if (!(rt->methods & (1u << req->method))) {
            size_t k = 0;
            for (int m = 0; m < GS_HTTP_METHOD_COUNT; m++)
                if (rt->methods & (1u << m))
                    k += (size_t)snprintf(r->allow + k, sizeof(r->allow) - k, "%s%s", k ? ", " : "",
                                          gs_http_method_name((gs_http_method)m));
            text(r, GS_HTTP_METHOD_NOT_ALLOWED, "405 Method Not Allowed\n");
            return;
        }
        rt->fn(req, req->path + n, req->path_len - n, r);
        return;
    }
    text(r, GS_HTTP_NOT_FOUND, "404 Not Found (GET / lists the endpoints)\n");
}
