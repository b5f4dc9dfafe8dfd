#include "linebuf.h"

#include <stdlib.h>
#include <string.h>

void gs_linebuf_init(gs_linebuf *lb, size_t max) {
    memset(lb, 0, sizeof(*lb));
    lb->max = max;
}

/* Makes room for need more bytes plus a terminating NUL. */
static int reserve(gs_linebuf *lb, size_t need) {
    size_t want = lb->len + need + 1;
    if (want <= lb->cap) return 0;
    size_t cap = lb->cap ? lb->cap : 256;
    while (cap < want) cap *= 2;
    char *p = realloc(lb->buf, cap);
    if (p == NULL) return GS_LINEBUF_NOMEM;
    lb->buf = p;
    lb->cap = cap;
    return 0;
}

int gs_linebuf_push(gs_linebuf *lb, const char *data, size_t len, gs_line_cb cb, void *ctx) {
    if (lb->len > lb->max) return GS_LINEBUF_TOO_LONG;
    while (len > 0) {
        const char *nl = memchr(data, '\n', len);
        size_t chunk = nl ? (size_t)(nl - data) : len;
        if (lb->len + chunk > lb->max) {
            lb->len = lb->max + 1; /* poisoned: refuse everything after */
            return GS_LINEBUF_TOO_LONG;
        }
        if (reserve(lb, chunk) != 0) return GS_LINEBUF_NOMEM;
        memcpy(lb->buf + lb->len, data, chunk);
        lb->len += chunk;
        lb->buf[lb->len] = '\0';
        if (nl == NULL) break;
        data += chunk + 1;
        len -= chunk + 1;
        size_t line_len = lb->len;
        lb->len = 0;
        int rc = cb(ctx, lb->buf, line_len);
        if (rc != 0) return rc;
    }
    return 0;
}

size_t gs_linebuf_pending(const gs_linebuf *lb) {
    return lb->len > lb->max ? 0 : lb->len;
}

void gs_linebuf_free(gs_linebuf *lb) {
    free(lb->buf);
    memset(lb, 0, sizeof(*lb));
}
