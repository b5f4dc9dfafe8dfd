#ifndef GS_SERVE_H
#define GS_SERVE_H

#include <stdint.h>
#include <uv.h>

/* The loopback HTTP service (docs/http-service.md): HTTP/1.1 on 127.0.0.1,
 * on a libuv loop of its own on a thread of its own, for workloads that
 * measure concurrent I/O against a server whose delays they choose, and for
 * `gilscope serve`. Requests are parsed by http.h.
 *
 * Endpoints (runner/serve/routes.c, the one table of them):
 *   GET  /                 a plain-text list of the endpoints
 *   GET  /echo?TEXT        answers TEXT (the raw query)
 *   POST /echo             answers the request's body
 *   GET  /delay/MS?bytes=N answers after MS milliseconds with N generated
 *                          bytes (byte i is GS_HTTP_BODY_PATTERN[i % 64])
 * HEAD works wherever GET does; another path is 404, another method 405.
 * The service reads no file, and a delay never blocks its loop (one timer
 * per request).
 *
 * Use, from the thread that owns s:
 *     gs_http_server s;
 *     gs_http_config cfg = {0};              // port 0: an ephemeral port
 *     if (gs_http_server_start(&s, &cfg) == 0) {
 *         setenv("GILSCOPE_HTTP_URL", gs_http_server_url(&s), 1);
 *         ... run workloads ...
 *         gs_http_server_stop(&s);           // closes every socket, joins the thread
 *         gs_http_stats st; gs_http_server_stats(&s, &st);
 *     }
 */

/* Limits, timeouts and bounds (besides the parser's, http.h). */
#define GS_HTTP_MAX_CONNECTIONS 4096   /* open at once; over it a connection is accepted and closed */
#define GS_HTTP_FD_RESERVE 64          /* descriptors left to the rest of the process */
#define GS_HTTP_IDLE_TIMEOUT_MS 10000  /* keep-alive: no byte of a next request for this long closes */
#define GS_HTTP_HEAD_TIMEOUT_MS 5000   /* first byte of a request to the end of its head, else 408 */
#define GS_HTTP_BODY_TIMEOUT_MS 10000  /* end of the head to the end of the body, else 408 */
#define GS_HTTP_SEND_TIMEOUT_MS 10000  /* a response not taken by the client within this closes */
#define GS_HTTP_LINGER_MS 1000         /* after a final response, input is drained this long at most */
#define GS_HTTP_MAX_DELAY_MS 60000     /* /delay/MS */
#define GS_HTTP_MAX_BYTES (16u * 1024 * 1024) /* /delay/MS?bytes=N */
#define GS_HTTP_PIPELINE_BYTES 65536   /* received ahead of a pending response before reading pauses */

/* The bytes of generated bodies repeat this 64-byte pattern. */
#define GS_HTTP_BODY_PATTERN "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-\n"

/* What to start. Zero-initialised: an ephemeral port and the defaults. */
typedef struct gs_http_config {
    int port;                   /* 0: an ephemeral port; else 1-65535 */
    int max_connections;        /* 0: GS_HTTP_MAX_CONNECTIONS; lowered to fit RLIMIT_NOFILE */
    unsigned idle_timeout_ms;   /* 0: GS_HTTP_IDLE_TIMEOUT_MS */
    unsigned head_timeout_ms;   /* 0: GS_HTTP_HEAD_TIMEOUT_MS */
    unsigned body_timeout_ms;   /* 0: GS_HTTP_BODY_TIMEOUT_MS */
    unsigned send_timeout_ms;   /* 0: GS_HTTP_SEND_TIMEOUT_MS */
} gs_http_config;

/* What the service did, since it started. */
typedef struct gs_http_stats {
    uint64_t requests;          /* responses to complete requests, any status */
    uint64_t bad_requests;      /* requests refused by the parser (4xx/5xx, then close) */
    uint64_t timeouts;          /* head or body too slow (408) or response not taken in time */
    uint64_t idle_closed;       /* keep-alive connections closed after the idle timeout */
    uint64_t accepted;          /* connections served */
    uint64_t refused;           /* connections closed at once, over max_connections */
    uint64_t open;              /* connections open now */
    uint64_t peak_open;         /* most connections open at once */
    uint64_t bytes_in;          /* bytes received */
    uint64_t bytes_out;         /* bytes of responses written */
    double cpu_s;               /* the service thread's CPU time, user + system, in seconds */
} gs_http_stats;

struct gs__http_conn;

/* A running service. The caller owns the memory; its fields are internal
 * (the loop's thread alone touches the loop and connections; stats is
 * guarded by lock). */
typedef struct gs_http_server {
    uv_loop_t loop;
    uv_tcp_t listener;
    uv_async_t wake;            /* gs_http_server_stop's call to the loop */
    uv_thread_t thread;
    uv_mutex_t lock;            /* guards stats and cpu_final */
    gs_http_config cfg;         /* with the defaults filled in */
    struct gs__http_conn *conns;/* open connections, a doubly-linked list */
    char *slab;                 /* where every read lands (the loop reads one socket at a time) */
    char *pattern;              /* a block of generated body bytes, written by reference */
    int port;                   /* the bound port */
    int running;                /* started and not yet stopped */
    double cpu_final;           /* the thread's CPU time when its loop ended */
    long nofile_before;         /* the soft RLIMIT_NOFILE before the start raised it */
    gs_http_stats stats;
    char url[32];               /* "http://127.0.0.1:PORT" */
} gs_http_server;

/* Raises the soft RLIMIT_NOFILE to the hard limit (each connection takes a
 * descriptor). Returns the soft limit now in force; *before (when not NULL)
 * gets the one in force before the call (LONG_MAX for no limit). */
long gs_http_raise_nofile(long *before);

/* The soft RLIMIT_NOFILE before s started (and raised it): what processes
 * started while it runs should get back, since they inherit the raised one. */
long gs_http_server_nofile_before(const gs_http_server *s);

/* Binds 127.0.0.1:cfg->port (NULL cfg: all defaults), listens, and starts the
 * service's loop on a thread of its own. Raises RLIMIT_NOFILE first
 * (gs_http_raise_nofile). Returns 0: the service runs, gs_http_server_url
 * says where, and gs_http_server_stop must be called. Else a negative uv
 * error (UV_EADDRINUSE: the port is taken; UV_EACCES: a privileged port),
 * with nothing left open. */
int gs_http_server_start(gs_http_server *s, const gs_http_config *cfg);

/* "http://127.0.0.1:PORT", the address to give clients (GILSCOPE_HTTP_URL).
 * Valid until the struct is reused. */
const char *gs_http_server_url(const gs_http_server *s);

/* The bound port (the ephemeral one when cfg.port was 0). */
int gs_http_server_port(const gs_http_server *s);

/* A snapshot of the counters and of the service thread's CPU time; callable
 * from any thread while the service runs and after it stopped (then final). */
void gs_http_server_stats(gs_http_server *s, gs_http_stats *out);

/* Stops the service from another thread than its own: closes the listener
 * and every connection (delayed and unsent responses are dropped), ends the
 * loop and joins its thread. Afterwards nothing listens and the stats are
 * final. A second call does nothing. */
void gs_http_server_stop(gs_http_server *s);

#endif
