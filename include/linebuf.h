#ifndef GS_LINEBUF_H
#define GS_LINEBUF_H

#include <stddef.h>

/* Splits a byte stream into lines. Reads from a pipe split the stream anywhere,
 * so bytes after the last newline are kept until the rest of the line arrives. */
typedef struct gs_linebuf {
    char *buf;      /* pending bytes of an unfinished line (owned) */
    size_t len;     /* bytes pending */
    size_t cap;     /* allocated size of buf */
    size_t max;     /* longest line accepted, newline excluded */
} gs_linebuf;

/* Called once per complete line, without its '\n' (and NUL-terminated for
 * convenience: line[len] == '\0'). Returns 0 to go on, non-zero to stop. */
typedef int (*gs_line_cb)(void *ctx, const char *line, size_t len);

/* Initialises an empty buffer that accepts lines of at most max bytes. */
void gs_linebuf_init(gs_linebuf *lb, size_t max);

/* Feeds len bytes. Calls cb for every line they complete, in order.
 * Returns 0; GS_LINEBUF_TOO_LONG when a line exceeds max (nothing more is
 * accepted after that); GS_LINEBUF_NOMEM; or the first non-zero value that cb
 * returned (feeding stops there). */
int gs_linebuf_push(gs_linebuf *lb, const char *data, size_t len, gs_line_cb cb, void *ctx);

/* Bytes received after the last newline (an unterminated last line). */
size_t gs_linebuf_pending(const gs_linebuf *lb);

/* Frees the buffer; the struct may be initialised again. */
void gs_linebuf_free(gs_linebuf *lb);

#define GS_LINEBUF_TOO_LONG (-1001)
#define GS_LINEBUF_NOMEM (-1002)

#endif
