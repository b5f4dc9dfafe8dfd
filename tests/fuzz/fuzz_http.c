/* libFuzzer target: the request parser (http.h) and the endpoint table
 * (routes.h) on arbitrary bytes. tests/fuzz/run.sh builds it with clang
 * (ASan + UBSan) and runs it for a fixed time; `make test` runs it through
 * ctest, `make fuzz` for longer.
 *
 * Each input is parsed as a connection would parse it: whole, and again fed
 * in growing prefixes, each in a buffer of exactly its size (so ASan sees a
 * read past what has arrived), and both must agree. A complete request is
 * checked against the parser's contract and routed; its bytes are dropped and
 * the rest parsed (pipelining). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "routes.h"
#include "serve.h"

static void check(int ok) {
    if (!ok) abort();
}

/* What the contract says of a complete request within buf[0, n). */
static void check_request(const gs_http_request *r, const char *buf, size_t n) {
    check(r->method >= 0 && r->method < GS_HTTP_METHOD_COUNT);
    check(r->version_minor == 0 || r->version_minor == 1);
    check(r->keep_alive == 0 || r->keep_alive == 1);
    check(r->head_len > 0 && r->head_len <= GS_HTTP_MAX_HEAD);
    check(r->content_length <= GS_HTTP_MAX_BODY);
    check(r->total_len == r->head_len + r->content_length && r->total_len <= n);
    check(r->path >= buf && r->path + r->path_len <= buf + r->head_len);
    check(r->path_len >= 1 && r->path[0] == '/');
    check(r->path_len + (r->query ? r->query_len + 1 : 0) <= GS_HTTP_MAX_TARGET);
    for (size_t i = 0; i < r->path_len; i++) check(r->path[i] > 0x20 && r->path[i] < 0x7f && r->path[i] != '?');
    if (r->query) check(r->query == r->path + r->path_len + 1);
    check(r->body == buf + r->head_len);
    gs__http_response resp;
    gs__http_route(r, &resp);
    check(strcmp(gs_http_reason(resp.status), "Unknown") != 0);
    check(resp.delay_ms <= GS_HTTP_MAX_DELAY_MS && resp.pattern_len <= GS_HTTP_MAX_BYTES);
    if (resp.body_len > 0) {
        volatile char first = resp.body[0], last = resp.body[resp.body_len - 1]; /* readable */
        (void)first, (void)last;
    }
}

static void check_error(const gs_http_parser *p) {
    static const int statuses[] = {400, 413, 414, 431, 501, 505};
    int known = 0;
    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) known |= p->status == statuses[i];
    check(known && p->why != NULL);
}

/* Feeds b[0, n) in up to 16 growing prefixes cut where the data says. */
static gs_http_result feed_in_pieces(gs_http_parser *p, const char *b, size_t n) {
    gs_http_parser_init(p);
    gs_http_result r = GS_HTTP_NEED_MORE;
    size_t k = 0;
    for (int piece = 0; r == GS_HTTP_NEED_MORE && k < n; piece++) {
        size_t step = piece == 15 ? n - k : 1 + (unsigned char)b[k] % (n / 8 + 1);
        k = k + step > n ? n : k + step;
        char *copy = malloc(k ? k : 1);
        memcpy(copy, b, k);
        r = gs_http_parse(p, copy, k);
        if (r == GS_HTTP_COMPLETE) check(p->req.total_len <= k);
        free(copy);
    }
    return n == 0 ? gs_http_parse(p, b, 0) : r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *buf = (const char *)data;
    size_t off = 0;
    for (int round = 0; round < 64; round++) {
        const char *b = buf + off;
        size_t n = size - off;
        gs_http_parser whole, pieces;
        gs_http_parser_init(&whole);
        gs_http_result r = gs_http_parse(&whole, b, n);
        check(feed_in_pieces(&pieces, b, n) == r);
        if (r == GS_HTTP_ERROR) {
            check_error(&whole);
            check(pieces.status == whole.status);
            return 0;
        }
        if (r == GS_HTTP_NEED_MORE) {
            check(whole.head_done ? whole.req.total_len > n : whole.pos == n && n < GS_HTTP_MAX_HEAD);
            return 0;
        }
        check_request(&whole.req, b, n);
        check(pieces.req.total_len == whole.req.total_len && pieces.req.keep_alive == whole.req.keep_alive);
        off += whole.req.total_len;
    }
    return 0;
}
