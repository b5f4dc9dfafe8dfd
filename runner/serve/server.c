#include "serve.h"

#include <arpa/inet.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "http.h"
#include "routes.h"

#define SLAB_BYTES 65536
#define PATTERN_BYTES 65536 /* a multiple of the pattern's 64 bytes */
#define SMALL_BUFS 8

/* What a connection is doing; the timer means something different in each. */
enum phase {
    P_IDLE,   /* waiting for a request's first byte: the idle timeout */
    P_HEAD,   /* reading a head: the head timeout, counted from its first byte */
    P_BODY,   /* reading a body: the body timeout */
    P_DELAY,  /* a /delay response waits: the timer is the delay */
    P_WRITE,  /* a response is being written: the send timeout */
    P_LINGER  /* final response sent and FIN sent: input is drained until EOF, or this long */
};

/* One accepted connection. Owned by the server's list until closed; freed
 * in the close callback of its last handle. */
typedef struct gs__http_conn {
    uv_tcp_t tcp;
    uv_timer_t timer;
    uv_write_t write;          /* the response */
    uv_write_t cont;           /* an interim "100 Continue" */
    uv_shutdown_t shutdown;    /* the FIN after a final response */
    gs_http_server *server;
    struct gs__http_conn *prev, *next;
    char *buf;                 /* received bytes not yet answered (owned) */
    size_t len, cap;
    gs_http_parser parser;
    gs__http_response resp;    /* the response waiting or being written */
    char *owned;               /* its body when copied out of buf (owned until written) */
    size_t resp_consume;       /* bytes of buf its request took */
    size_t resp_bytes;         /* its bytes on the wire */
    int resp_final;            /* close after it */
    int resp_head_only;        /* a HEAD request: no body */
    int phase;
    int reading, eof, closing, continue_sent;
    int handles;               /* handles still to close before freeing */
    char head[256];            /* the response's head, alive until written */
    char text[192];            /* an error's body */
} conn;

/* ---- statistics (the loop's thread writes, any thread reads) ------------ */

#define COUNT(s, field, n)                   \
    do {                                     \
        uv_mutex_lock(&(s)->lock);           \
        (s)->stats.field += (uint64_t)(n);   \
        uv_mutex_unlock(&(s)->lock);         \
    } while (0)

static void count_open(gs_http_server *s, int delta) {
    uv_mutex_lock(&s->lock);
    if (delta > 0) {
        s->stats.accepted++;
        if (++s->stats.open > s->stats.peak_open) s->stats.peak_open = s->stats.open;
    } else {
        s->stats.open--;
    }
    uv_mutex_unlock(&s->lock);
}

/* ---- connections ---------------------------------------------------------- */

static void process(conn *c);
static void respond(conn *c);

static void on_closed(uv_handle_t *h) {
    conn *c = h->data;
    if (--c->handles > 0) return;
    free(c->buf);
    free(c->owned);
    free(c);
}

/* Closes the connection now: pending writes are cancelled (their callbacks
 * run first), then the memory goes with the last handle. */
static void conn_close(conn *c) {
    if (c->closing) return;
    c->closing = 1;
    gs_http_server *s = c->server;
    if (c->prev) c->prev->next = c->next;
    else s->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    count_open(s, -1);
    uv_close((uv_handle_t *)&c->tcp, on_closed);
    uv_close((uv_handle_t *)&c->timer, on_closed);
}

static void on_timer(uv_timer_t *t);

/* Enters phase p with its timer. The head and body timeouts run from the
 * moment their phase began, so re-entering the same phase keeps the clock. */
static void enter(conn *c, int p, unsigned ms) {
    if (c->phase == p && (p == P_HEAD || p == P_BODY)) return;
    c->phase = p;
    uv_timer_start(&c->timer, on_timer, ms, 0);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b) {
    conn *c = h->data;
    *b = uv_buf_init(c->server->slab, SLAB_BYTES);
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *b);

static void set_reading(conn *c, int on) {
    if (on && !c->reading && !c->eof && !c->closing) {
        if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) == 0) c->reading = 1;
        else conn_close(c);
    } else if (!on && c->reading) {
        uv_read_stop((uv_stream_t *)&c->tcp);
        c->reading = 0;
    }
}

static int append(conn *c, const char *p, size_t n) {
    if (c->len + n > c->cap) {
        size_t cap = c->cap ? c->cap : 4096;
        while (cap < c->len + n) cap *= 2;
        char *nb = realloc(c->buf, cap);
        if (nb == NULL) return -1;
        c->buf = nb;
        c->cap = cap;
    }
    memcpy(c->buf + c->len, p, n);
    c->len += n;
    return 0;
}

/* Drops the first n bytes received (an answered request). */
static void consume(conn *c, size_t n) {
    if (n == 0) return;
    memmove(c->buf, c->buf + n, c->len - n);
    c->len -= n;
    if (c->len == 0 && c->cap > SLAB_BYTES) {
        free(c->buf);
        c->buf = NULL;
        c->cap = 0;
    }
}

/* Answers status with a one-line text body and closes after it: a refused
 * request or a timeout. Everything received is dropped. */
static void fail(conn *c, int status, const char *why) {
    memset(&c->resp, 0, sizeof(c->resp));
    c->resp.status = status;
    int n = snprintf(c->text, sizeof(c->text), "%d %s: %s\n", status, gs_http_reason(status), why);
    c->resp.body = c->text;
    c->resp.body_len = n < (int)sizeof(c->text) ? (size_t)n : sizeof(c->text) - 1;
    c->resp_consume = c->len;
    c->resp_final = 1;
    c->resp_head_only = 0;
    respond(c);
}

/* Sends FIN and drains what the client still sends, so that closing with
 * unread input (which makes the kernel send RST) cannot destroy the final
 * response before the client read it. */
static void on_shutdown(uv_shutdown_t *req, int status) {
    conn *c = req->data;
    if (status < 0 && !c->closing) conn_close(c);
}

static void finish(conn *c) {
    if (c->eof || uv_shutdown(&c->shutdown, (uv_stream_t *)&c->tcp, on_shutdown) != 0) {
        conn_close(c);
        return;
    }
    enter(c, P_LINGER, GS_HTTP_LINGER_MS);
    set_reading(c, 1);
}

static void on_written(uv_write_t *req, int status) {
    conn *c = req->data;
    free(c->owned);
    c->owned = NULL;
    if (status < 0) {
        if (!c->closing) conn_close(c);
        return;
    }
    COUNT(c->server, bytes_out, c->resp_bytes);
    if (c->closing) return;
    consume(c, c->resp_consume);
    if (c->resp_final) {
        finish(c);
        return;
    }
    gs_http_parser_init(&c->parser);
    c->continue_sent = 0;
    c->phase = P_IDLE;
    process(c);
}

/* Writes c->resp: the head from c->head, then its body by reference (static
 * text, c->text, c->owned or the server's pattern block, all alive until
 * on_written). */
static void respond(conn *c) {
    gs_http_server *s = c->server;
    gs__http_response *r = &c->resp;
    size_t body = r->body_len + r->pattern_len;
    int n = snprintf(c->head, sizeof(c->head),
                     "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\nConnection: %s\r\n%s%s%s\r\n",
                     r->status, gs_http_reason(r->status), body, c->resp_final ? "close" : "keep-alive",
                     r->allow[0] ? "Allow: " : "", r->allow, r->allow[0] ? "\r\n" : "");
    size_t chunks = c->resp_head_only ? 0 : (r->pattern_len + PATTERN_BYTES - 1) / PATTERN_BYTES;
    size_t nbufs = 2 + chunks, k = 0;
    uv_buf_t small[SMALL_BUFS], *bufs = nbufs <= SMALL_BUFS ? small : malloc(nbufs * sizeof(*bufs));
    if (bufs == NULL) {
        conn_close(c);
        return;
    }
    bufs[k++] = uv_buf_init(c->head, (unsigned)n);
    if (!c->resp_head_only && r->body_len > 0) bufs[k++] = uv_buf_init((char *)r->body, (unsigned)r->body_len);
    for (size_t i = 0; i < chunks; i++) {
        size_t left = r->pattern_len - i * PATTERN_BYTES;
        bufs[k++] = uv_buf_init(s->pattern, (unsigned)(left < PATTERN_BYTES ? left : PATTERN_BYTES));
    }
    c->resp_bytes = (size_t)n + (c->resp_head_only ? 0 : body);
    int rc = uv_write(&c->write, (uv_stream_t *)&c->tcp, bufs, (unsigned)k, on_written);
    if (bufs != small) free(bufs); /* uv_write copied the array */
    if (rc != 0) {
        conn_close(c);
        return;
    }
    enter(c, P_WRITE, s->cfg.send_timeout_ms);
}

static void on_continue_written(uv_write_t *req, int status) {
    conn *c = req->data;
    if (status < 0 && !c->closing) conn_close(c);
}

/* The head asked for "Expect: 100-continue": ask for the body, once. */
static void send_continue(conn *c) {
    static char text[] = "HTTP/1.1 100 Continue\r\n\r\n";
    if (c->continue_sent || !c->parser.req.expect_continue || c->parser.req.content_length == 0) return;
    c->continue_sent = 1;
    uv_buf_t b = uv_buf_init(text, sizeof(text) - 1);
    if (uv_write(&c->cont, (uv_stream_t *)&c->tcp, &b, 1, on_continue_written) != 0) conn_close(c);
}

/* Parses what was received: answers a complete request (at once or after
 * its delay), refuses a malformed one, or waits for more under the phase's
 * timeout (after the client's EOF, requests it pipelined before are still
 * answered, and then the connection closes). Called when nothing is pending. */
static void process(conn *c) {
    gs_http_server *s = c->server;
    gs_http_request *req = &c->parser.req;
    switch (gs_http_parse(&c->parser, c->buf, c->len)) {
    case GS_HTTP_NEED_MORE:
        if (c->eof) {
            conn_close(c);
        } else if (c->len == 0) {
            enter(c, P_IDLE, s->cfg.idle_timeout_ms);
        } else if (c->parser.head_done) {
            enter(c, P_BODY, s->cfg.body_timeout_ms);
            send_continue(c);
        } else {
            enter(c, P_HEAD, s->cfg.head_timeout_ms);
        }
        set_reading(c, 1);
        return;
    case GS_HTTP_ERROR:
        COUNT(s, bad_requests, 1);
        fail(c, c->parser.status, c->parser.why);
        return;
    case GS_HTTP_COMPLETE: break;
    }
    COUNT(s, requests, 1);
    gs__http_route(req, &c->resp);
    c->resp_consume = req->total_len;
    c->resp_final = !req->keep_alive;
    c->resp_head_only = req->method == GS_HTTP_HEAD;
    const char *b = c->resp.body;
    if (b != NULL && c->resp.body_len > 0 && b >= c->buf && b < c->buf + c->len) {
        /* Echoed bytes: copied, since reads go on into buf while the response is written. */
        if ((c->owned = malloc(c->resp.body_len)) == NULL) {
            fail(c, GS_HTTP_INTERNAL_ERROR, "out of memory");
            return;
        }
        memcpy(c->owned, b, c->resp.body_len);
        c->resp.body = c->owned;
    }
    if (c->resp.delay_ms > 0) {
        c->phase = P_DELAY;
        uv_timer_start(&c->timer, on_timer, c->resp.delay_ms, 0);
    } else {
        respond(c);
    }
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *b) {
    conn *c = st->data;
    if (nread == 0 || c->closing) return;
    if (nread < 0) {
        /* EOF with a response pending: answer it and what was pipelined before, then close (process). */
        int pending = c->phase == P_DELAY || c->phase == P_WRITE;
        c->reading = 0;
        c->eof = 1;
        if (nread != UV_EOF || !pending) conn_close(c);
        else uv_read_stop(st);
        return;
    }
    COUNT(c->server, bytes_in, nread);
    if (c->phase == P_LINGER) return;
    if (append(c, b->base, (size_t)nread) != 0) {
        conn_close(c);
        return;
    }
    if (c->phase == P_DELAY || c->phase == P_WRITE) {
        /* Pipelined ahead of the pending response: keep a bounded amount. */
        if (c->len >= GS_HTTP_PIPELINE_BYTES) set_reading(c, 0);
        return;
    }
    process(c);
}

static void on_timer(uv_timer_t *t) {
    conn *c = t->data;
    gs_http_server *s = c->server;
    switch (c->phase) {
    case P_IDLE:
        COUNT(s, idle_closed, 1);
        conn_close(c);
        break;
    case P_HEAD:
    case P_BODY:
        COUNT(s, timeouts, 1);
        fail(c, GS_HTTP_REQUEST_TIMEOUT,
             c->phase == P_HEAD ? "the request head did not arrive in time" : "the request body did not arrive in time");
        break;
    case P_DELAY: respond(c); break;
    case P_WRITE:
        COUNT(s, timeouts, 1);
        conn_close(c);
        break;
    default: conn_close(c); break;
    }
}

/* ---- the listener ------------------------------------------------------------ */

static void free_handle(uv_handle_t *h) { free(h); }

/* Over the limit: accepted (so it leaves the backlog) and closed at once. */
static void refuse(gs_http_server *s) {
    uv_tcp_t *t = malloc(sizeof(*t));
    if (t == NULL) return;
    uv_tcp_init(&s->loop, t);
    uv_accept((uv_stream_t *)&s->listener, (uv_stream_t *)t);
    uv_close((uv_handle_t *)t, free_handle);
    COUNT(s, refused, 1);
}

static void on_connection(uv_stream_t *listener, int status) {
    gs_http_server *s = listener->data;
    if (status < 0) return;
    uv_mutex_lock(&s->lock);
    int full = s->stats.open >= (uint64_t)s->cfg.max_connections;
    uv_mutex_unlock(&s->lock);
    conn *c = full ? NULL : calloc(1, sizeof(*c));
    if (c == NULL) {
        refuse(s);
        return;
    }
    c->server = s;
    c->tcp.data = c->timer.data = c->write.data = c->cont.data = c->shutdown.data = c;
    uv_tcp_init(&s->loop, &c->tcp);
    uv_timer_init(&s->loop, &c->timer);
    c->handles = 2;
    c->next = s->conns;
    if (s->conns) s->conns->prev = c;
    s->conns = c;
    count_open(s, +1);
    gs_http_parser_init(&c->parser);
    c->phase = -1;
    if (uv_accept(listener, (uv_stream_t *)&c->tcp) != 0) {
        conn_close(c);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    process(c);
}

/* gs_http_server_stop's wake-up, on the loop's thread: closes everything, so
 * the loop ends. */
static void on_wake(uv_async_t *a) {
    gs_http_server *s = a->data;
    while (s->conns) conn_close(s->conns);
    uv_close((uv_handle_t *)&s->listener, NULL);
    uv_close((uv_handle_t *)&s->wake, NULL);
}

static void loop_main(void *arg) {
    gs_http_server *s = arg;
    uv_run(&s->loop, UV_RUN_DEFAULT);
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    uv_mutex_lock(&s->lock);
    s->cpu_final = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    uv_mutex_unlock(&s->lock);
}

/* ---- the API ------------------------------------------------------------------ */

static long rlim_long(rlim_t v) { return v == RLIM_INFINITY || v > (rlim_t)LONG_MAX ? LONG_MAX : (long)v; }

long gs_http_raise_nofile(long *before) {
    struct rlimit rl;
    if (before) *before = -1;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return -1;
    if (before) *before = rlim_long(rl.rlim_cur);
    if (rl.rlim_cur < rl.rlim_max) {
        struct rlimit want = {rl.rlim_max, rl.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &want) == 0) rl.rlim_cur = rl.rlim_max;
    }
    return rlim_long(rl.rlim_cur);
}

long gs_http_server_nofile_before(const gs_http_server *s) { return s->nofile_before; }

static void defaults(gs_http_config *c, long *nofile_before) {
    if (c->max_connections <= 0) c->max_connections = GS_HTTP_MAX_CONNECTIONS;
    if (c->idle_timeout_ms == 0) c->idle_timeout_ms = GS_HTTP_IDLE_TIMEOUT_MS;
    if (c->head_timeout_ms == 0) c->head_timeout_ms = GS_HTTP_HEAD_TIMEOUT_MS;
    if (c->body_timeout_ms == 0) c->body_timeout_ms = GS_HTTP_BODY_TIMEOUT_MS;
    if (c->send_timeout_ms == 0) c->send_timeout_ms = GS_HTTP_SEND_TIMEOUT_MS;
    long nofile = gs_http_raise_nofile(nofile_before);
    if (nofile > 0 && nofile - GS_HTTP_FD_RESERVE < c->max_connections)
        c->max_connections = nofile > 2 * GS_HTTP_FD_RESERVE ? (int)(nofile - GS_HTTP_FD_RESERVE) : (int)(nofile / 2);
}

/* Binds and listens on the loop (not yet running); fills s->port. */
static int listen_loopback(gs_http_server *s) {
    struct sockaddr_in addr;
    struct sockaddr_storage bound;
    int len = sizeof(bound);
    int rc = uv_ip4_addr("127.0.0.1", s->cfg.port, &addr);
    if (rc == 0) rc = uv_tcp_bind(&s->listener, (const struct sockaddr *)&addr, 0);
    if (rc == 0) rc = uv_listen((uv_stream_t *)&s->listener, s->cfg.max_connections, on_connection);
    if (rc == 0) rc = uv_tcp_getsockname(&s->listener, (struct sockaddr *)&bound, &len);
    if (rc == 0) s->port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
    return rc;
}

/* Starts the loop's thread with every asynchronous signal blocked, so that
 * signals go to the process's other threads (the caller's handlers) and a
 * write to a closed socket gives EPIPE instead of SIGPIPE. */
static int start_thread(gs_http_server *s) {
    sigset_t all, old;
    sigfillset(&all);
    static const int synchronous[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT};
    for (size_t i = 0; i < sizeof(synchronous) / sizeof(synchronous[0]); i++) sigdelset(&all, synchronous[i]);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = uv_thread_create(&s->thread, loop_main, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int gs_http_server_start(gs_http_server *s, const gs_http_config *cfg) {
    memset(s, 0, sizeof(*s));
    if (cfg) s->cfg = *cfg;
    if (s->cfg.port < 0 || s->cfg.port > 65535) return UV_EINVAL;
    defaults(&s->cfg, &s->nofile_before);
    s->slab = malloc(SLAB_BYTES);
    s->pattern = malloc(PATTERN_BYTES);
    int rc = s->slab && s->pattern ? uv_loop_init(&s->loop) : UV_ENOMEM;
    if (rc != 0) {
        free(s->slab);
        free(s->pattern);
        return rc;
    }
    for (size_t i = 0; i < PATTERN_BYTES; i++) s->pattern[i] = GS_HTTP_BODY_PATTERN[i % 64];
    uv_mutex_init(&s->lock);
    uv_tcp_init(&s->loop, &s->listener);
    uv_async_init(&s->loop, &s->wake, on_wake);
    s->listener.data = s->wake.data = s;
    rc = listen_loopback(s);
    if (rc == 0) rc = start_thread(s);
    if (rc != 0) {
        uv_close((uv_handle_t *)&s->listener, NULL);
        uv_close((uv_handle_t *)&s->wake, NULL);
        uv_run(&s->loop, UV_RUN_DEFAULT);
        uv_loop_close(&s->loop);
        uv_mutex_destroy(&s->lock);
        free(s->slab);
        free(s->pattern);
        s->slab = s->pattern = NULL;
        return rc;
    }
    snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%d", s->port);
    s->running = 1;
    return 0;
}

const char *gs_http_server_url(const gs_http_server *s) { return s->url; }

int gs_http_server_port(const gs_http_server *s) { return s->port; }

void gs_http_server_stats(gs_http_server *s, gs_http_stats *out) {
    if (!s->running) {
        *out = s->stats;
        return;
    }
    uv_mutex_lock(&s->lock);
    *out = s->stats;
    double final = s->cpu_final;
    uv_mutex_unlock(&s->lock);
    clockid_t cid;
    struct timespec ts;
    if (final == 0 && pthread_getcpuclockid(s->thread, &cid) == 0 && clock_gettime(cid, &ts) == 0)
        out->cpu_s = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    else
        out->cpu_s = final;
}

void gs_http_server_stop(gs_http_server *s) {
    if (!s->running) return;
    uv_async_send(&s->wake);
    uv_thread_join(&s->thread);
    int rc = uv_loop_close(&s->loop);
    if (rc != 0) fprintf(stderr, "gilscope: http service: loop not closed cleanly: %s\n", uv_strerror(rc));
    uv_mutex_destroy(&s->lock);
    s->stats.cpu_s = s->cpu_final;
    s->stats.open = 0;
    free(s->slab);
    free(s->pattern);
    s->slab = s->pattern = NULL;
    s->running = 0;
}
