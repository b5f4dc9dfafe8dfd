#ifndef GS_HTTP_H
#define GS_HTTP_H

#include <stddef.h>

/* The HTTP/1.x request parser of the loopback service (serve.h). Pure: no
 * I/O, no allocation, no global state; the fuzz target (tests/fuzz) and the
 * unit tests drive it directly.
 *
 * Incremental: the caller keeps the bytes of the connection in a buffer of
 * its own, appends what each read brings and calls gs_http_parse with the
 * whole buffer each time; the parser remembers how far it has looked and
 * examines each byte once. A malformed request is refused as soon as the
 * byte that makes it malformed arrives, so garbage never waits for a timeout.
 *
 * What it accepts (RFC 9112, the subset a benchmark service needs):
 * - methods GET, HEAD and POST (another well-formed token: 501);
 * - an origin-form target, "/path?query", of visible ASCII without '#'
 *   (anything else: 400; longer than GS_HTTP_MAX_TARGET: 414);
 * - versions HTTP/1.0 and HTTP/1.1 (HTTP/1.2-9 are taken as 1.1; another
 *   major version: 505);
 * - lines ended by CRLF or a bare LF; empty lines before the request line are
 *   skipped; a line folded with leading whitespace, a space before a field's
 *   colon, a control character or a bare CR: 400;
 * - Host: exactly one on HTTP/1.1, at most one on 1.0 (400 otherwise);
 * - a body only by Content-Length (digits; repeated with the same value
 *   only; above GS_HTTP_MAX_BODY: 413). Transfer-Encoding is not supported:
 *   alone it gets 501, with Content-Length 400 (RFC 9112 6.3: a request
 *   smuggling guard). Clients send small bodies with Content-Length anyway;
 * - keep-alive: HTTP/1.1 keeps the connection unless a Connection header
 *   lists "close"; HTTP/1.0 closes it unless one lists "keep-alive";
 * - Expect: 100-continue is reported (request.expect_continue) as soon as
 *   the head is complete, so the server can ask for the body.
 * Head (request line, fields and blank line) larger than GS_HTTP_MAX_HEAD, or
 * more than GS_HTTP_MAX_FIELDS fields: 431.
 *
 * Pipelining: a complete request says how many bytes it took (total_len);
 * the caller drops them from the front of its buffer, calls
 * gs_http_parser_init and parses what follows. */

/* Limits: a head (request line + header fields + the blank line), the
 * request target, the number of header fields and a body. */
#define GS_HTTP_MAX_HEAD 8192
#define GS_HTTP_MAX_TARGET 2048
#define GS_HTTP_MAX_FIELDS 64
#define GS_HTTP_MAX_BODY (1024 * 1024)
/* The longest method token looked at before answering 501. */
#define GS_HTTP_MAX_METHOD 16

/* The statuses the service sends, declared once: code, constant, reason. */
#define GS_HTTP_STATUSES(X)                              \
    X(100, CONTINUE, "Continue")                         \
    X(200, OK, "OK")                                     \
    X(400, BAD_REQUEST, "Bad Request")                   \
    X(404, NOT_FOUND, "Not Found")                       \
    X(405, METHOD_NOT_ALLOWED, "Method Not Allowed")     \
    X(408, REQUEST_TIMEOUT, "Request Timeout")           \
    X(413, CONTENT_TOO_LARGE, "Content Too Large")       \
    X(414, URI_TOO_LONG, "URI Too Long")                 \
    X(431, FIELDS_TOO_LARGE, "Request Header Fields Too Large") \
    X(500, INTERNAL_ERROR, "Internal Server Error")      \
    X(501, NOT_IMPLEMENTED, "Not Implemented")           \
    X(505, VERSION_NOT_SUPPORTED, "HTTP Version Not Supported")

typedef enum gs_http_status {
#define GS_HTTP_STATUS_ENUM(code, name, reason) GS_HTTP_##name = code,
    GS_HTTP_STATUSES(GS_HTTP_STATUS_ENUM)
#undef GS_HTTP_STATUS_ENUM
} gs_http_status;

/* The reason phrase of a status of the table; "Unknown" for any other. */
const char *gs_http_reason(int status);

/* The methods the parser accepts, declared once. */
#define GS_HTTP_METHODS(X) X(GET) X(HEAD) X(POST)

typedef enum gs_http_method {
#define GS_HTTP_METHOD_ENUM(m) GS_HTTP_##m,
    GS_HTTP_METHODS(GS_HTTP_METHOD_ENUM)
#undef GS_HTTP_METHOD_ENUM
    GS_HTTP_METHOD_COUNT
} gs_http_method;

/* The method's name: "GET". */
const char *gs_http_method_name(gs_http_method m);

/* What gs_http_parse says. */
typedef enum gs_http_result {
    GS_HTTP_ERROR = -1,    /* refused: parser.status is the status to answer */
    GS_HTTP_NEED_MORE = 0, /* every byte given is fine so far; call again with more */
    GS_HTTP_COMPLETE = 1   /* one whole request, in parser.req */
} gs_http_result;

/* A parsed request. The pointers point into the buffer passed to the call
 * that filled them: valid while that buffer is unchanged. */
typedef struct gs_http_request {
    gs_http_method method;
    const char *path;      /* from '/' up to '?' or the end of the target, not decoded */
    size_t path_len;
    const char *query;     /* after '?', not decoded; NULL when the target has no '?' */
    size_t query_len;
    int version_minor;     /* 0 for HTTP/1.0, 1 for HTTP/1.1 (and 1.2-1.9) */
    int keep_alive;        /* the connection stays open after the response */
    int expect_continue;   /* Expect: 100-continue was sent (HTTP/1.1 only) */
    size_t content_length; /* body bytes; 0 without Content-Length */
    const char *body;      /* content_length bytes (set on GS_HTTP_COMPLETE) */
    size_t head_len;       /* bytes of the head, blank line included */
    size_t total_len;      /* head_len + content_length: what to drop from the buffer */
} gs_http_request;

/* The parser's state between calls. Owns nothing: gs_http_parser_init
 * (re)starts it, and nothing needs freeing. */
typedef struct gs_http_parser {
    int state;             /* where the scan is (internal) */
    size_t pos;            /* bytes of the buffer examined so far */
    size_t mark;           /* start of the current token or line */
    size_t colon;          /* offset of the current field's colon */
    size_t value_end;      /* end of the current field's value */
    size_t target_start;   /* the request target: offset and length */
    size_t target_len;
    size_t query_at;       /* offset of '?' in the buffer, 0 when none */
    int fields;            /* header fields seen */
    int hosts;             /* Host fields seen */
    int has_length;        /* a Content-Length field was seen */
    int chunked;           /* a Transfer-Encoding field was seen */
    int conn_close;        /* Connection lists "close" */
    int conn_keep_alive;   /* Connection lists "keep-alive" */
    int head_done;         /* the head is complete: req's head fields are set */
    int status;            /* GS_HTTP_ERROR: the status to answer */
    const char *why;       /* GS_HTTP_ERROR: what was wrong, a static phrase */
    gs_http_request req;
} gs_http_parser;

/* Starts a parser on a new request. */
void gs_http_parser_init(gs_http_parser *p);

/* Parses buf[0, len): the bytes of the request so far (and of any pipelined
 * requests after it), the same bytes as the previous call plus new ones at
 * the end. Returns GS_HTTP_NEED_MORE, GS_HTTP_COMPLETE (p->req is the
 * request: its bytes are buf[0, req.total_len); bytes after it belong to the
 * next request), or GS_HTTP_ERROR (p->status and p->why say why; it stays so
 * until gs_http_parser_init). After NEED_MORE, p->head_done says whether the
 * head is complete (p->req's head fields are then set, pointers into buf). */
gs_http_result gs_http_parse(gs_http_parser *p, const char *buf, size_t len);

#endif
