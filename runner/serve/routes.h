#ifndef GS_SERVE_ROUTES_H
#define GS_SERVE_ROUTES_H

/* Internal to runner/serve/: the endpoints of the service (serve.h), as a
 * table, and what a request to one of them is answered. Pure: the server
 * (server.c) does the I/O and the waiting. */

#include <stddef.h>

#include "http.h"

/* What to answer a request. Bodies are never copied: body points at static
 * text or into the request's own bytes, which the server keeps until the
 * response is written. */
typedef struct gs__http_response {
    int status;
    char allow[32];      /* 405: the value of the Allow header */
    const char *body;    /* body_len bytes */
    size_t body_len;
    size_t pattern_len;  /* a generated body of this many bytes (GS_HTTP_BODY_PATTERN), after body */
    unsigned delay_ms;   /* answer after this long */
} gs__http_response;

/* Fills *r with the answer to the complete request req (its pointers valid
 * as long as req's buffer is). */
void gs__http_route(const gs_http_request *req, gs__http_response *r);

/* The index of the endpoints, a static text. */
const char *gs__http_index(size_t *len);

#endif
