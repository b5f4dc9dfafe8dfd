/* libFuzzer target: the line buffer (linebuf.h) on arbitrary bytes. The first
 * byte picks a line limit and a seed for the chunk sizes; the rest is fed
 * whole, then again in pieces of those sizes, and both must give the same
 * lines, each without its newline, NUL-terminated, no longer than the limit,
 * and the same pending bytes (or the same too-long verdict). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linebuf.h"

static void check(int ok) {
    if (!ok) abort();
}

typedef struct seen {
    char *text; /* every line, each followed by a 0x01 separator */
    size_t len, max;
} seen;

static int on_line(void *ctx, const char *line, size_t len) {
    seen *s = ctx;
    check(line[len] == '\0');
    check(memchr(line, '\n', len) == NULL);
    check(len <= s->max);
    char *g = realloc(s->text, s->len + len + 1);
    check(g != NULL);
    s->text = g;
    memcpy(s->text + s->len, line, len);
    s->text[s->len + len] = 1;
    s->len += len + 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    size_t max = 1 + (data[0] & 0x3f) * 8; /* 1..505 */
    unsigned seed = data[0];
    data++, size--;
    seen whole = {NULL, 0, max}, parts = {NULL, 0, max};
    gs_linebuf a, b;
    gs_linebuf_init(&a, max);
    gs_linebuf_init(&b, max);
    int ra = gs_linebuf_push(&a, (const char *)data, size, on_line, &whole);
    int rb = 0;
    for (size_t off = 0; off < size && rb == 0;) {
        seed = seed * 1103515245u + 12345u;
        size_t n = 1 + (seed >> 16) % 17;
        if (n > size - off) n = size - off;
        /* An exact-size copy: ASan sees any read past what has arrived. */
        char *piece = malloc(n);
        check(piece != NULL);
        memcpy(piece, data + off, n);
        rb = gs_linebuf_push(&b, piece, n, on_line, &parts);
        free(piece);
        off += n;
    }
    check(ra == rb);
    if (ra == 0) {
        check(whole.len == parts.len && (whole.len == 0 || memcmp(whole.text, parts.text, whole.len) == 0));
        check(gs_linebuf_pending(&a) == gs_linebuf_pending(&b));
    }
    gs_linebuf_free(&a);
    gs_linebuf_free(&b);
    free(whole.text);
    free(parts.text);
    return 0;
}
