/* The request parser (http.h): every status it answers, every way of cutting
 * the bytes, pipelining and the limits. */
#include "gs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

/* Parses the whole of text at once. */
static gs_http_result parse_all(gs_http_parser *p, const char *text, size_t len) {
    gs_http_parser_init(p);
    return gs_http_parse(p, text, len);
}

static gs_http_result parse_str(gs_http_parser *p, const char *text) { return parse_all(p, text, strlen(text)); }

/* A string of n copies of c (caller frees). */
static char *repeat(char c, size_t n) {
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void simple_get(void **state) {
    (void)state;
    const char *t = "GET /delay/50?bytes=4096 HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: t\r\n\r\n";
    gs_http_parser p;
    assert_int_equal(parse_str(&p, t), GS_HTTP_COMPLETE);
    gs_http_request *r = &p.req;
    assert_int_equal(r->method, GS_HTTP_GET);
    assert_int_equal(r->path_len, strlen("/delay/50"));
    assert_memory_equal(r->path, "/delay/50", r->path_len);
    assert_int_equal(r->query_len, strlen("bytes=4096"));
    assert_memory_equal(r->query, "bytes=4096", r->query_len);
    assert_int_equal(r->version_minor, 1);
    assert_true(r->keep_alive);
    assert_int_equal(r->content_length, 0);
    assert_int_equal(r->head_len, strlen(t));
    assert_int_equal(r->total_len, strlen(t));
    assert_false(r->expect_continue);
    /* No '?': no query; an empty one is not the same as none. */
    assert_int_equal(parse_str(&p, "HEAD /echo HTTP/1.1\r\nHost: x\r\n\r\n"), GS_HTTP_COMPLETE);
    assert_int_equal(p.req.method, GS_HTTP_HEAD);
    assert_null(p.req.query);
    assert_int_equal(parse_str(&p, "GET /echo? HTTP/1.1\r\nHost: x\r\n\r\n"), GS_HTTP_COMPLETE);
    assert_non_null(p.req.query);
    assert_int_equal(p.req.query_len, 0);
}

static void body_by_content_length(void **state) {
    (void)state;
    const char *t = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET";
    gs_http_parser p;
    assert_int_equal(parse_str(&p, t), GS_HTTP_COMPLETE);
    assert_int_equal(p.req.method, GS_HTTP_POST);
    assert_int_equal(p.req.content_length, 5);
    assert_memory_equal(p.req.body, "hello", 5);
    assert_int_equal(p.req.total_len, strlen(t) - 3);
    /* The body not all there yet: the head is done, the request is not. */
    assert_int_equal(parse_all(&p, t, strlen(t) - 5), GS_HTTP_NEED_MORE);
    assert_true(p.head_done);
    assert_int_equal(p.req.content_length, 5);
    /* The same value twice is one length; a length of 0 is no body. */
    assert_int_equal(parse_str(&p, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi"),
                     GS_HTTP_COMPLETE);
    assert_int_equal(parse_str(&p, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), GS_HTTP_COMPLETE);
    assert_int_equal(p.req.total_len, p.req.head_len);
}

/* HTTP/1.1 keeps the connection unless told "close"; 1.0 closes it unless
 * told "keep-alive"; the header is a case-insensitive list of tokens. */
static void keep_alive_rules(void **state) {
    (void)state;
    static const struct {
        const char *text;
        int minor, keep;
    } cases[] = {
        {"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 1, 1},
        {"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 1, 0},
        {"GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, CLOSE \r\n\r\n", 1, 0},
        {"GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n", 1, 1},
        {"GET / HTTP/1.1\r\nHost: x\r\nConnection: closed\r\n\r\n", 1, 1},
        {"GET / HTTP/1.0\r\n\r\n", 0, 0},
        {"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", 0, 1},
        {"GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", 0, 0},
        {"GET / HTTP/1.0\r\nHost: x\r\n\r\n", 0, 0},
        {"GET / HTTP/1.2\r\nHost: x\r\n\r\n", 1, 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        gs_http_parser p;
        assert_int_equal(parse_str(&p, cases[i].text), GS_HTTP_COMPLETE);
        assert_int_equal(p.req.version_minor, cases[i].minor);
        assert_int_equal(p.req.keep_alive, cases[i].keep);
    }
}

/* Lines may end with a bare LF; empty lines before the request are skipped. */
static void lenient_line_ends(void **state) {
    (void)state;
    gs_http_parser p;
    const char *t = "\r\n\nGET /echo?x HTTP/1.1\nHost: x\n\n";
    assert_int_equal(parse_str(&p, t), GS_HTTP_COMPLETE);
    assert_int_equal(p.req.total_len, strlen(t));
    assert_memory_equal(p.req.path, "/echo", 5);
}

/* Every status the parser answers, with a request that earns it. */
static void every_status(void **state) {
    (void)state;
    char *long_method = repeat('A', GS_HTTP_MAX_METHOD + 1);
    static const struct {
        const char *text;
        int status;
    } cases[] = {
        {"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 400}, /* a TLS ClientHello */
        {"{\"jsonrpc\": \"2.0\"}\n", 400},
        {"GET  / HTTP/1.1\r\n", 400},
        {"GET http://x/ HTTP/1.1\r\n", 400},
        {"GET /a#b HTTP/1.1\r\n", 400},
        {"GET /a\tb HTTP/1.1\r\n", 400},
        {"GET /\r\n", 400}, /* HTTP/0.9 */
        {"GET / HTTX/1.1\r\n", 400},
        {"GET / HTTP/1.1x\r\n", 400},
        {"GET / HTTP/1.1\rX", 400},
        {"GET / HTTP/1.1\r\n Host: x\r\n", 400},        /* folded, or whitespace first */
        {"GET / HTTP/1.1\r\nHost : x\r\n", 400},        /* space before the colon */
        {"GET / HTTP/1.1\r\n: x\r\n", 400},             /* no name */
        {"GET / HTTP/1.1\r\nHost: x\001y\r\n", 400},    /* a control character */
        {"GET / HTTP/1.1\r\nHost: x\r\n\r\r", 400},     /* CR without LF */
        {"GET / HTTP/1.1\r\n\r\n", 400},                /* no Host */
        {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400},
        {"G(T / HTTP/1.1\r\n", 400},
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n", 413},
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999999\r\n\r\n", 413},
        {"PUT / HTTP/1.1\r\n", 501},
        {"OPTIONS * HTTP/1.1\r\n", 501},
        {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", 501},
        {"GET / HTTP/2.0\r\n", 505},
        {"GET / HTTP/0.9\r\n", 505},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        gs_http_parser p;
        if (parse_str(&p, cases[i].text) != GS_HTTP_ERROR || p.status != cases[i].status)
            fail_msg("case %zu (%s): status %d, expected %d", i, cases[i].text, p.status, cases[i].status);
        assert_non_null(p.why);
        assert_string_not_equal(gs_http_reason(p.status), "Unknown");
        /* Refused stays refused, whatever follows. */
        assert_int_equal(gs_http_parse(&p, "GET / HTTP/1.1\r\n\r\n", 18), GS_HTTP_ERROR);
    }
    gs_http_parser p;
    char buf[64];
    snprintf(buf, sizeof(buf), "%s / HTTP/1.1\r\n", long_method);
    assert_int_equal(parse_str(&p, buf), GS_HTTP_ERROR);
    assert_int_equal(p.status, 501);
    free(long_method);
}

/* Garbage is refused at the byte that makes it garbage, without waiting. */
static void refused_early(void **state) {
    (void)state;
    gs_http_parser p;
    assert_int_equal(parse_all(&p, "\x16", 1), GS_HTTP_ERROR);
    assert_int_equal(p.status, 400);
    assert_int_equal(parse_all(&p, "GET / HTTP/1.1\r\nBad Name", 19), GS_HTTP_NEED_MORE);
    assert_int_equal(gs_http_parse(&p, "GET / HTTP/1.1\r\nBad Name", 24), GS_HTTP_ERROR);
    assert_int_equal(p.status, 400);
    assert_int_equal(parse_all(&p, "PATCH ", 6), GS_HTTP_ERROR);
    assert_int_equal(p.status, 501);
}

/* The target, the head and the number of fields, at and just over each limit. */
static void limits(void **state) {
    (void)state;
    gs_http_parser p;
    size_t cap = 3 * GS_HTTP_MAX_HEAD;
    char *buf = malloc(cap);
    char *path = repeat('a', GS_HTTP_MAX_TARGET - 1);
    snprintf(buf, cap, "GET /%s HTTP/1.1\r\nHost: x\r\n\r\n", path);
    assert_int_equal(parse_str(&p, buf), GS_HTTP_COMPLETE);
    assert_int_equal(p.req.path_len, GS_HTTP_MAX_TARGET);
    snprintf(buf, cap, "GET /%sa HTTP/1.1\r\nHost: x\r\n\r\n", path);
    assert_int_equal(parse_str(&p, buf), GS_HTTP_ERROR);
    assert_int_equal(p.status, 414);
    /* 414 as soon as the target is too long, not at the end of the line. */
    assert_int_equal(parse_all(&p, buf, 5 + GS_HTTP_MAX_TARGET + 1), GS_HTTP_ERROR);
    assert_int_equal(p.status, 414);
    free(path);

    /* A head of exactly the limit passes; one byte more is 431. */
    const char *pre = "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ";
    size_t fill = GS_HTTP_MAX_HEAD - strlen(pre) - 4;
    char *pad = repeat('p', fill);
    snprintf(buf, cap, "%s%s\r\n\r\n", pre, pad);
    assert_int_equal(strlen(buf), GS_HTTP_MAX_HEAD);
    assert_int_equal(parse_str(&p, buf), GS_HTTP_COMPLETE);
    snprintf(buf, cap, "%s%sq\r\n\r\n", pre, pad);
    assert_int_equal(parse_str(&p, buf), GS_HTTP_ERROR);
    assert_int_equal(p.status, 431);
    /* ... and refused as soon as the limit is reached, before the head ends. */
    assert_int_equal(parse_all(&p, buf, GS_HTTP_MAX_HEAD), GS_HTTP_ERROR);
    assert_int_equal(p.status, 431);
    free(pad);
    /* Empty lines before the request count too: no endless preamble. */
    char *crlf = repeat('\n', GS_HTTP_MAX_HEAD);
    assert_int_equal(parse_str(&p, crlf), GS_HTTP_ERROR);
    assert_int_equal(p.status, 431);
    free(crlf);

    /* GS_HTTP_MAX_FIELDS fields pass; one more is 431. */
    for (int extra = 0; extra <= 1; extra++) {
        size_t k = (size_t)snprintf(buf, cap, "GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 1; i < GS_HTTP_MAX_FIELDS + extra; i++) k += (size_t)snprintf(buf + k, cap - k, "X-%d: %d\r\n", i, i);
        snprintf(buf + k, cap - k, "\r\n");
        gs_http_result r = parse_str(&p, buf);
        assert_int_equal(r, extra ? GS_HTTP_ERROR : GS_HTTP_COMPLETE);
        if (extra) assert_int_equal(p.status, 431);
    }
    /* The largest body passes. */
    snprintf(buf, cap, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", GS_HTTP_MAX_BODY);
    assert_int_equal(parse_str(&p, buf), GS_HTTP_NEED_MORE);
    assert_true(p.head_done);
    assert_int_equal(p.req.total_len, strlen(buf) + GS_HTTP_MAX_BODY);
    free(buf);
}

static void expect_continue(void **state) {
    (void)state;
    gs_http_parser p;
    const char *t = "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n";
    assert_int_equal(parse_str(&p, t), GS_HTTP_NEED_MORE);
    assert_true(p.head_done);
    assert_true(p.req.expect_continue);
    /* HTTP/1.0 has no 100 Continue. */
    assert_int_equal(parse_str(&p, "POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"),
                     GS_HTTP_NEED_MORE);
    assert_false(p.req.expect_continue);
}

/* Requests and refusals, each with what a whole parse of it says. */
static const char *const streams[] = {
    "GET /delay/50?bytes=4096 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world",
    "\r\nGET /echo?a HTTP/1.0\nConnection: keep-alive\n\n",
    "GET / HTTP/1.1\r\nHost: x\r\nX: \x80\xff\r\n\r\n",
    "GET / HTTP/1.1\r\n Host: x\r\n\r\n",
    "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    "GET / HTTP/3.0\r\nHost: x\r\n\r\n",
};

/* Every prefix of every stream, fed as a connection grows its buffer (each
 * call with one byte more, in a buffer that moves): the same answer as a
 * whole parse, reached at the same byte, and NEED_MORE before it. */
static void split_at_every_byte(void **state) {
    (void)state;
    for (size_t s = 0; s < sizeof(streams) / sizeof(streams[0]); s++) {
        const char *t = streams[s];
        size_t n = strlen(t);
        gs_http_parser whole;
        gs_http_result want = parse_all(&whole, t, n);
        assert_int_not_equal(want, GS_HTTP_NEED_MORE);
        gs_http_parser p;
        gs_http_parser_init(&p);
        gs_http_result got = GS_HTTP_NEED_MORE;
        size_t k;
        for (k = 0; k <= n && got == GS_HTTP_NEED_MORE; k++) {
            char *moved = malloc(k + 1); /* a fresh address each time */
            memcpy(moved, t, k);
            got = gs_http_parse(&p, moved, k);
            if (got == GS_HTTP_COMPLETE) {
                assert_int_equal(p.req.total_len, k);
                assert_true(p.req.path >= moved && p.req.path < moved + k);
                assert_memory_equal(p.req.path, whole.req.path, whole.req.path_len);
                assert_memory_equal(p.req.body, whole.req.body, whole.req.content_length);
            }
            free(moved);
        }
        assert_int_equal(got, want);
        if (want == GS_HTTP_ERROR) assert_int_equal(p.status, whole.status);
        else assert_int_equal(p.req.total_len, whole.req.total_len);
        /* Two pieces, cut anywhere. */
        for (size_t cut = 0; cut <= n; cut++) {
            gs_http_parser q;
            gs_http_parser_init(&q);
            gs_http_result first = gs_http_parse(&q, t, cut);
            gs_http_result r = first == GS_HTTP_NEED_MORE ? gs_http_parse(&q, t, n) : first;
            assert_int_equal(r, want);
            if (want == GS_HTTP_ERROR) assert_int_equal(q.status, whole.status);
            else assert_int_equal(q.req.keep_alive, whole.req.keep_alive);
        }
    }
}

/* Three requests in one buffer: each parse takes one, the caller drops its
 * bytes and starts the parser again. */
static void pipelining(void **state) {
    (void)state;
    const char *t = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                    "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    "GET /c?z HTTP/1.0\r\n\r\n"
                    "GET /partial HTTP/1.1\r\nHo";
    const char *paths[] = {"/a", "/echo", "/c"};
    size_t off = 0, n = strlen(t);
    for (int i = 0; i < 3; i++) {
        gs_http_parser p;
        assert_int_equal(parse_all(&p, t + off, n - off), GS_HTTP_COMPLETE);
        assert_int_equal(p.req.path_len, strlen(paths[i]));
        assert_memory_equal(p.req.path, paths[i], p.req.path_len);
        if (i == 1) assert_memory_equal(p.req.body, "hello", 5);
        assert_int_equal(p.req.keep_alive, i < 2);
        off += p.req.total_len;
    }
    gs_http_parser p;
    assert_int_equal(parse_all(&p, t + off, n - off), GS_HTTP_NEED_MORE);
    assert_false(p.head_done);
}

static void tables(void **state) {
    (void)state;
    assert_string_equal(gs_http_reason(200), "OK");
    assert_string_equal(gs_http_reason(431), "Request Header Fields Too Large");
    assert_string_equal(gs_http_reason(299), "Unknown");
    assert_string_equal(gs_http_method_name(GS_HTTP_POST), "POST");
    assert_string_equal(gs_http_method_name(GS_HTTP_METHOD_COUNT), "?");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(simple_get),
        cmocka_unit_test(body_by_content_length),
        cmocka_unit_test(keep_alive_rules),
        cmocka_unit_test(lenient_line_ends),
        cmocka_unit_test(every_status),
        cmocka_unit_test(refused_early),
        cmocka_unit_test(limits),
        cmocka_unit_test(expect_continue),
        cmocka_unit_test(split_at_every_byte),
        cmocka_unit_test(pipelining),
        cmocka_unit_test(tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
