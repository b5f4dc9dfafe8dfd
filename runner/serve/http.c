#include "http.h"

#include <string.h>
#include <strings.h>

/* Where the scan is. The head is scanned one byte at a time; a line's
 * meaning is judged when its end arrives, from offsets into the buffer. */
enum {
    S_START,       /* before the request line: empty lines are skipped */
    S_START_LF,    /* a CR of an empty line: LF must follow */
    S_METHOD,      /* the method token */
    S_TARGET_1ST,  /* the target's first byte: '/' */
    S_TARGET,      /* the rest of the target */
    S_VERSION,     /* "HTTP/d.d" */
    S_LINE_LF,     /* the request line's CR: LF must follow */
    S_FIELD_START, /* a field's first byte, or the blank line */
    S_NAME,        /* a field's name, up to ':' */
    S_VALUE,       /* a field's value, up to the line's end */
    S_FIELD_LF,    /* a field line's CR: LF must follow */
    S_HEAD_LF,     /* the blank line's CR: LF must follow */
    S_BODY,        /* the head is done; waiting for the body */
    S_DONE,        /* complete */
    S_ERROR        /* refused */
};

static const struct {
    int code;
    const char *reason;
} reasons[] = {
#define GS_HTTP_REASON_ROW(code, name, reason) {code, reason},
    GS_HTTP_STATUSES(GS_HTTP_REASON_ROW)
#undef GS_HTTP_REASON_ROW
};

static const char *const methods[GS_HTTP_METHOD_COUNT] = {
#define GS_HTTP_METHOD_NAME(m) #m,
    GS_HTTP_METHODS(GS_HTTP_METHOD_NAME)
#undef GS_HTTP_METHOD_NAME
};

const char *gs_http_reason(int status) {
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (reasons[i].code == status) return reasons[i].reason;
    return "Unknown";
}

const char *gs_http_method_name(gs_http_method m) {
    return m >= 0 && m < GS_HTTP_METHOD_COUNT ? methods[m] : "?";
}

void gs_http_parser_init(gs_http_parser *p) {
    memset(p, 0, sizeof(*p));
    p->state = S_START;
}

/* RFC 9110 5.6.2: the characters of a token (methods, field names). */
static int is_tchar(unsigned char c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return 1;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* A field value's characters: visible ASCII, space, tab, and obs-text. */
static int is_value_char(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

static int fail(gs_http_parser *p, int status, const char *why) {
    p->state = S_ERROR;
    p->status = status;
    p->why = why;
    return -1;
}

/* Whether s[0, n) equals word, ignoring case. */
static int same(const char *s, size_t n, const char *word) {
    return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

/* Trims spaces and tabs from both ends of s[0, *n). */
static const char *trim(const char *s, size_t *n) {
    while (*n > 0 && (*s == ' ' || *s == '\t')) s++, (*n)--;
    while (*n > 0 && (s[*n - 1] == ' ' || s[*n - 1] == '\t')) (*n)--;
    return s;
}

/* Connection: a comma-separated list of tokens. */
static void connection_tokens(gs_http_parser *p, const char *v, size_t n) {
    while (n > 0) {
        const char *comma = memchr(v, ',', n);
        size_t len = comma ? (size_t)(comma - v) : n;
        size_t tn = len;
        const char *t = trim(v, &tn);
        if (same(t, tn, "close")) p->conn_close = 1;
        if (same(t, tn, "keep-alive")) p->conn_keep_alive = 1;
        v += len + (comma != NULL);
        n -= len + (comma != NULL);
    }
}

static int content_length(gs_http_parser *p, const char *v, size_t n) {
    if (n == 0) return fail(p, GS_HTTP_BAD_REQUEST, "empty Content-Length");
    size_t value = 0;
    int big = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9') return fail(p, GS_HTTP_BAD_REQUEST, "Content-Length is not a number");
        if (!big) value = value * 10 + (size_t)(v[i] - '0');
        if (value > GS_HTTP_MAX_BODY) big = 1;
    }
    if (p->has_length && (big || value != p->req.content_length))
        return fail(p, GS_HTTP_BAD_REQUEST, "two different Content-Length fields");
    if (big) return fail(p, GS_HTTP_CONTENT_TOO_LARGE, "body larger than the limit");
    p->has_length = 1;
    p->req.content_length = value;
    return 0;
}

/* Judges the field line that just ended: name before the colon, value after. */
static int field(gs_http_parser *p, const char *buf) {
    const char *name = buf + p->mark;
    size_t nlen = p->colon - p->mark;
    size_t vlen = p->value_end - p->colon - 1;
    const char *v = trim(buf + p->colon + 1, &vlen);
    if (same(name, nlen, "Host")) p->hosts++;
    else if (same(name, nlen, "Content-Length")) return content_length(p, v, vlen);
    else if (same(name, nlen, "Transfer-Encoding")) p->chunked = 1;
    else if (same(name, nlen, "Connection")) connection_tokens(p, v, vlen);
    else if (same(name, nlen, "Expect") && same(v, vlen, "100-continue") && p->req.version_minor >= 1)
        p->req.expect_continue = 1;
    return 0;
}

/* The blank line arrived at pos: the head is complete. */
static int head_end(gs_http_parser *p) {
    if (p->hosts > 1 || (p->req.version_minor >= 1 && p->hosts == 0))
        return fail(p, GS_HTTP_BAD_REQUEST, p->hosts ? "more than one Host field" : "HTTP/1.1 without Host");
    if (p->chunked && p->has_length)
        return fail(p, GS_HTTP_BAD_REQUEST, "both Transfer-Encoding and Content-Length");
    if (p->chunked) return fail(p, GS_HTTP_NOT_IMPLEMENTED, "Transfer-Encoding is not supported (send Content-Length)");
    p->req.keep_alive = p->req.version_minor >= 1 ? !p->conn_close : p->conn_keep_alive && !p->conn_close;
    p->req.head_len = p->pos + 1;
    p->req.total_len = p->req.head_len + p->req.content_length;
    p->head_done = 1;
    p->state = S_BODY;
    return 0;
}

static int method_end(gs_http_parser *p, const char *buf) {
    for (int m = 0; m < GS_HTTP_METHOD_COUNT; m++)
        if (strlen(methods[m]) == p->pos - p->mark && memcmp(methods[m], buf + p->mark, p->pos - p->mark) == 0) {
            p->req.method = (gs_http_method)m;
            return 0;
        }
    return fail(p, GS_HTTP_NOT_IMPLEMENTED, "method not implemented (GET, HEAD and POST are)");
}

/* The byte at the version's index i must match "HTTP/d.d". */
static int version_byte(gs_http_parser *p, size_t i, unsigned char c) {
    static const char tpl[] = "HTTP/d.d";
    int ok = tpl[i] == 'd' ? (c >= '0' && c <= '9') : c == (unsigned char)tpl[i];
    if (!ok) return fail(p, GS_HTTP_BAD_REQUEST, "malformed HTTP version");
    if (i == 5 && c != '1') return fail(p, GS_HTTP_VERSION_NOT_SUPPORTED, "only HTTP/1.x is served");
    if (i == 7) p->req.version_minor = c == '0' ? 0 : 1;
    return 0;
}

/* Whether c ends a line: LF, or CR (then LF must follow: state lf). */
static int line_end(gs_http_parser *p, unsigned char c, int lf) {
    if (c == '\r') p->state = lf;
    return c == '\r' || c == '\n';
}

/* Advances the head's scan by the byte c at p->pos. Returns 0, or -1 after
 * fail(). */
static int step(gs_http_parser *p, const char *buf, unsigned char c) {
    switch (p->state) {
    case S_START:
        if (c == '\r') p->state = S_START_LF;
        else if (c == '\n') break;
        else if (is_tchar(c)) p->mark = p->pos, p->state = S_METHOD;
        else return fail(p, GS_HTTP_BAD_REQUEST, "not an HTTP request line");
        break;
    case S_START_LF:
        if (c != '\n') return fail(p, GS_HTTP_BAD_REQUEST, "CR without LF");
        p->state = S_START;
        break;
    case S_METHOD:
        if (c == ' ') {
            if (method_end(p, buf)) return -1;
            p->state = S_TARGET_1ST;
        } else if (!is_tchar(c)) {
            return fail(p, GS_HTTP_BAD_REQUEST, "malformed method");
        } else if (p->pos - p->mark >= GS_HTTP_MAX_METHOD) {
            return fail(p, GS_HTTP_NOT_IMPLEMENTED, "method not implemented (GET, HEAD and POST are)");
        }
        break;
    case S_TARGET_1ST:
        if (c != '/') return fail(p, GS_HTTP_BAD_REQUEST, "the target must start with /");
        p->target_start = p->pos;
        p->state = S_TARGET;
        break;
    case S_TARGET:
        if (c == ' ') {
            p->target_len = p->pos - p->target_start;
            p->mark = p->pos + 1;
            p->state = S_VERSION;
        } else if (c < 0x21 || c > 0x7e || c == '#') {
            return fail(p, GS_HTTP_BAD_REQUEST, "malformed target (or no HTTP version)");
        } else if (p->pos - p->target_start >= GS_HTTP_MAX_TARGET) {
            return fail(p, GS_HTTP_URI_TOO_LONG, "target longer than the limit");
        } else if (c == '?' && p->query_at == 0) {
            p->query_at = p->pos;
        }
        break;
    case S_VERSION:
        if (p->pos - p->mark < 8) return version_byte(p, p->pos - p->mark, c);
        if (!line_end(p, c, S_LINE_LF)) return fail(p, GS_HTTP_BAD_REQUEST, "malformed HTTP version");
        if (c == '\n') p->state = S_FIELD_START;
        break;
    case S_LINE_LF:
    case S_FIELD_LF:
    case S_HEAD_LF:
        if (c != '\n') return fail(p, GS_HTTP_BAD_REQUEST, "CR without LF");
        if (p->state == S_HEAD_LF) return head_end(p);
        if (p->state == S_FIELD_LF && field(p, buf)) return -1;
        p->state = S_FIELD_START;
        break;
    case S_FIELD_START:
        if (line_end(p, c, S_HEAD_LF)) return c == '\n' ? head_end(p) : 0;
        if (!is_tchar(c)) return fail(p, GS_HTTP_BAD_REQUEST, "malformed field line (folded or no name)");
        if (p->fields == GS_HTTP_MAX_FIELDS) return fail(p, GS_HTTP_FIELDS_TOO_LARGE, "too many header fields");
        p->fields++;
        p->mark = p->pos;
        p->state = S_NAME;
        break;
    case S_NAME:
        if (c == ':') p->colon = p->pos, p->state = S_VALUE;
        else if (!is_tchar(c)) return fail(p, GS_HTTP_BAD_REQUEST, "malformed field name");
        break;
    case S_VALUE:
        if (line_end(p, c, S_FIELD_LF)) {
            p->value_end = p->pos;
            if (c == '\n') {
                if (field(p, buf)) return -1;
                p->state = S_FIELD_START;
            }
        } else if (!is_value_char(c)) {
            return fail(p, GS_HTTP_BAD_REQUEST, "control character in a field value");
        }
        break;
    default: break;
    }
    return 0;
}

/* Points the request's fields into buf (which may have moved since the head
 * was scanned). */
static void point(gs_http_parser *p, const char *buf) {
    gs_http_request *r = &p->req;
    size_t end = p->target_start + p->target_len;
    r->path = buf + p->target_start;
    r->path_len = (p->query_at ? p->query_at : end) - p->target_start;
    r->query = p->query_at ? buf + p->query_at + 1 : NULL;
    r->query_len = p->query_at ? end - p->query_at - 1 : 0;
    r->body = buf + r->head_len;
}

gs_http_result gs_http_parse(gs_http_parser *p, const char *buf, size_t len) {
    if (p->state == S_ERROR) return GS_HTTP_ERROR;
    while (!p->head_done && p->pos < len) {
        if (p->pos >= GS_HTTP_MAX_HEAD) {
            fail(p, GS_HTTP_FIELDS_TOO_LARGE, "request head larger than the limit");
            return GS_HTTP_ERROR;
        }
        if (step(p, buf, (unsigned char)buf[p->pos])) return GS_HTTP_ERROR;
        p->pos++;
    }
    if (!p->head_done) {
        if (p->pos >= GS_HTTP_MAX_HEAD) {
            fail(p, GS_HTTP_FIELDS_TOO_LARGE, "request head larger than the limit");
            return GS_HTTP_ERROR;
        }
        return GS_HTTP_NEED_MORE;
    }
    point(p, buf);
    if (len < p->req.total_len) return GS_HTTP_NEED_MORE;
    p->state = S_DONE;
    return GS_HTTP_COMPLETE;
}
