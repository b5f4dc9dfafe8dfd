/* The loopback HTTP service (serve.h), over real TCP from plain sockets:
 * round trips, keep-alive, pipelining, delays, the limits and timeouts, and
 * a stop that leaves nothing listening. Times are asserted only as generous
 * physical relations. */
#include "gs_test.h"

#include <sys/resource.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "serve.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A connected socket to 127.0.0.1:port, reads timing out after 10 s; -1 when refused. */
static int dial(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void send_str(int fd, const char *s) {
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t k = send(fd, s, n, MSG_NOSIGNAL);
        assert_true(k > 0);
        s += k, n -= (size_t)k;
    }
}

/* One response read from fd. */
typedef struct response {
    int status;
    int closes;      /* Connection: close */
    char head[1024];
    char *body;      /* owned, NUL-terminated */
    size_t body_len;
} response;

/* Reads one byte at a time up to the blank line (simple and exact), then
 * Content-Length bytes (none when head_only). Returns 0, or -1 on EOF or
 * timeout before a whole response. */
static int read_response(int fd, response *r, int head_only) {
    memset(r, 0, sizeof(*r));
    size_t n = 0;
    while (n < 4 || memcmp(r->head + n - 4, "\r\n\r\n", 4) != 0) {
        if (n + 1 >= sizeof(r->head) || recv(fd, r->head + n, 1, 0) != 1) return -1;
        n++;
    }
    r->head[n] = '\0';
    if (sscanf(r->head, "HTTP/1.1 %d", &r->status) != 1) return -1;
    r->closes = strstr(r->head, "Connection: close\r\n") != NULL;
    const char *cl = strstr(r->head, "Content-Length: ");
    if (cl == NULL) return -1;
    r->body_len = head_only ? 0 : strtoul(cl + 16, NULL, 10);
    r->body = malloc(r->body_len + 1);
    for (size_t got = 0; got < r->body_len;) {
        ssize_t k = recv(fd, r->body + got, r->body_len - got, 0);
        if (k <= 0) return -1;
        got += (size_t)k;
    }
    r->body[r->body_len] = '\0';
    return 0;
}

/* Whether the server closed fd: EOF (or a reset) within 10 s. */
static int closed_by_peer(int fd) {
    char c;
    ssize_t k = recv(fd, &c, 1, 0);
    return k == 0 || (k < 0 && errno == ECONNRESET);
}

static void get(int fd, const char *path, response *r) {
    char req[512];
    snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: t\r\n\r\n", path);
    send_str(fd, req);
    assert_int_equal(read_response(fd, r, 0), 0);
}

static gs_http_server *start(const gs_http_config *cfg) {
    gs_http_server *s = malloc(sizeof(*s));
    assert_int_equal(gs_http_server_start(s, cfg), 0);
    return s;
}

static void stop(gs_http_server *s) {
    int port = gs_http_server_port(s);
    gs_http_server_stop(s);
    /* Nothing listens any more. */
    assert_int_equal(dial(port), -1);
    free(s);
}

static void round_trips_and_keep_alive(void **state) {
    (void)state;
    gs_http_server *s = start(NULL);
    int port = gs_http_server_port(s);
    assert_true(port > 0);
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    assert_string_equal(gs_http_server_url(s), url);
    int fd = dial(port);
    response r;
    get(fd, "/", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "/delay/MS?bytes=N"));
    assert_false(r.closes);
    free(r.body);
    /* The same connection answers request after request. */
    for (int i = 0; i < 50; i++) {
        char path[64], want[32];
        snprintf(path, sizeof(path), "/echo?n=%d", i);
        snprintf(want, sizeof(want), "n=%d", i);
        get(fd, path, &r);
        assert_int_equal(r.status, 200);
        assert_string_equal(r.body, want);
        free(r.body);
    }
    send_str(fd, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello world");
    assert_int_equal(read_response(fd, &r, 0), 0);
    assert_string_equal(r.body, "hello world");
    free(r.body);
    /* HEAD: the head GET would get, no body. */
    send_str(fd, "HEAD /delay/0?bytes=100 HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(read_response(fd, &r, 1), 0);
    assert_non_null(strstr(r.head, "Content-Length: 100\r\n"));
    free(r.body);
    get(fd, "/nowhere", &r);
    assert_int_equal(r.status, 404);
    free(r.body);
    send_str(fd, "POST /delay/5 HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
    assert_int_equal(read_response(fd, &r, 0), 0);
    assert_int_equal(r.status, 405);
    assert_non_null(strstr(r.head, "Allow: GET, HEAD\r\n"));
    free(r.body);
    get(fd, "/delay/60001", &r);
    assert_int_equal(r.status, 400);
    free(r.body);
    /* Connection: close is honoured: the answer says so, then the server closes. */
    send_str(fd, "GET /echo?bye HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    assert_int_equal(read_response(fd, &r, 0), 0);
    assert_true(r.closes);
    free(r.body);
    assert_true(closed_by_peer(fd));
    close(fd);
    gs_http_stats st;
    gs_http_server_stats(s, &st);
    assert_int_equal(st.accepted, 1);
    assert_int_equal(st.requests, 57);
    assert_int_equal(st.bad_requests, 0);
    assert_true(st.bytes_in > 57 * 20);
    assert_true(st.bytes_out > 57 * 60);
    assert_true(st.cpu_s > 0);
    gs_http_server_stop(s);
    assert_int_equal(dial(port), -1);
    /* The final stats stay readable. */
    gs_http_stats after;
    gs_http_server_stats(s, &after);
    assert_int_equal(after.requests, 57);
    assert_true(after.cpu_s >= st.cpu_s);
    assert_int_equal(after.open, 0);
    gs_http_server_stop(s); /* a second stop does nothing */
    free(s);
}

/* Generated bodies follow the pattern, up to megabytes. */
static void generated_bodies(void **state) {
    (void)state;
    gs_http_server *s = start(NULL);
    int fd = dial(gs_http_server_port(s));
    static const size_t sizes[] = {0, 1, 63, 64, 65, 65536, 65537, 3000001};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        char path[64];
        snprintf(path, sizeof(path), "/delay/0?x=1&bytes=%zu", sizes[i]);
        response r;
        get(fd, path, &r);
        assert_int_equal(r.status, 200);
        assert_int_equal(r.body_len, sizes[i]);
        for (size_t k = 0; k < r.body_len; k++)
            if (r.body[k] != GS_HTTP_BODY_PATTERN[k % 64]) fail_msg("byte %zu of %zu", k, sizes[i]);
        free(r.body);
    }
    close(fd);
    stop(s);
}

/* Pipelined requests are answered in order, a delayed one first included. */
static void pipelining_keeps_order(void **state) {
    (void)state;
    gs_http_server *s = start(NULL);
    int fd = dial(gs_http_server_port(s));
    send_str(fd, "GET /delay/100?bytes=3 HTTP/1.1\r\nHost: t\r\n\r\n"
                 "GET /echo?second HTTP/1.1\r\nHost: t\r\n\r\n"
                 "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nthird"
                 "GET /echo?fourth HTTP/1.0\r\n\r\n");
    const char *want[] = {"012", "second", "third", "fourth"};
    for (int i = 0; i < 4; i++) {
        response r;
        assert_int_equal(read_response(fd, &r, 0), 0);
        assert_string_equal(r.body, want[i]);
        assert_int_equal(r.closes, i == 3);
        free(r.body);
    }
    assert_true(closed_by_peer(fd));
    close(fd);
    stop(s);
}

/* A client that sends its requests and then shuts down its side still gets
 * every answer, then the server closes. */
static void half_close_after_requests(void **state) {
    (void)state;
    gs_http_server *s = start(NULL);
    int fd = dial(gs_http_server_port(s));
    send_str(fd, "GET /delay/50?bytes=2 HTTP/1.1\r\nHost: t\r\n\r\nGET /echo?two HTTP/1.1\r\nHost: t\r\n\r\n");
    shutdown(fd, SHUT_WR);
    response r;
    assert_int_equal(read_response(fd, &r, 0), 0);
    assert_string_equal(r.body, "01");
    free(r.body);
    assert_int_equal(read_response(fd, &r, 0), 0);
    assert_string_equal(r.body, "two");
    free(r.body);
    assert_true(closed_by_peer(fd));
    close(fd);
    stop(s);
}

/* A delay holds its own response only: it lasts at least its time, and
 * delays on separate connections overlap instead of adding up. */
static void delays_overlap(void **state) {
    (void)state;
    gs_http_server *s = start(NULL);
    int port = gs_http_server_port(s);
    enum { N = 10, MS = 300 };
    int fds[N];
    for (int i = 0; i < N; i++) fds[i] = dial(port);
    double t0 = now_s();
    for (int i = 0; i < N; i++) send_str(fds[i], "GET /delay/300 HTTP/1.1\r\nHost: t\r\n\r\n");
    /* Meanwhile an undelayed request is answered at once. */
    int quick = dial(port);
    response r;
    get(quick, "/echo?now", &r);
    double t_quick = now_s() - t0;
    free(r.body);
    for (int i = 0; i < N; i++) {
        assert_int_equal(read_response(fds[i], &r, 0), 0);
        assert_int_equal(r.status, 200);
        free(r.body);
        close(fds[i]);
    }
    double t_all = now_s() - t0;
    assert_true(t_all >= (MS - 10) / 1000.0);
    assert_true(t_quick < t_all);
    assert_true(t_all < N * MS / 1000.0 / 2);
    close(quick);
    stop(s);
}

/* Malformed input gets 400 and a close for that connection alone. */
static void malformed_closes_only_its_connection(void **state) {
    (void)state;
    gs_http_server *s = start(NULL);
    int port = gs_http_server_port(s);
    int good = dial(port);
    response r;
    get(good, "/echo?before", &r);
    free(r.body);
    int bad = dial(port);
    send_str(bad, "\x16\x03\x01\x02\x00garbage that is not HTTP\r\n\r\n");
    assert_int_equal(read_response(bad, &r, 0), 0);
    assert_int_equal(r.status, 400);
    assert_true(r.closes);
    free(r.body);
    assert_true(closed_by_peer(bad));
    close(bad);
    /* 64 KiB of header: 431, even while the client is still sending. */
    int big = dial(port);
    size_t n = 64 * 1024;
    char *req = malloc(n + 64);
    int k = snprintf(req, n + 64, "GET / HTTP/1.1\r\nHost: t\r\nX-Big: ");
    memset(req + k, 'b', n);
    strcpy(req + k + n, "\r\n\r\n");
    send(big, req, strlen(req), MSG_NOSIGNAL); /* may be cut short by the close */
    free(req);
    assert_int_equal(read_response(big, &r, 0), 0);
    assert_int_equal(r.status, 431);
    free(r.body);
    close(big);
    /* The others are still served. */
    get(good, "/echo?after", &r);
    assert_string_equal(r.body, "after");
    free(r.body);
    int fresh = dial(port);
    get(fresh, "/echo?fresh", &r);
    assert_int_equal(r.status, 200);
    free(r.body);
    close(fresh);
    close(good);
    gs_http_stats st;
    gs_http_server_stats(s, &st);
    assert_int_equal(st.bad_requests, 2);
    stop(s);
}

/* A head that trickles in gets 408 after the head timeout, counted from its
 * first byte; others are served meanwhile. An idle connection is closed. */
static void timeouts(void **state) {
    (void)state;
    gs_http_config cfg = {.head_timeout_ms = 300, .idle_timeout_ms = 400};
    gs_http_server *s = start(&cfg);
    int port = gs_http_server_port(s);
    int slow = dial(port), idle = dial(port);
    double t0 = now_s();
    const char *head = "GET / HTTP/1.1\r\nHost: t\r\n";
    int got408 = 0;
    for (const char *p = head; *p && !got408; p++) {
        send(slow, p, 1, MSG_NOSIGNAL);
        struct pollfd pf = {slow, POLLIN, 0};
        got408 = poll(&pf, 1, 100) == 1;
        int other = dial(port);
        response r;
        get(other, "/echo?meanwhile", &r);
        assert_int_equal(r.status, 200);
        free(r.body);
        close(other);
    }
    response r;
    assert_int_equal(read_response(slow, &r, 0), 0);
    assert_int_equal(r.status, 408);
    double t408 = now_s() - t0;
    assert_true(t408 >= 0.29 && t408 < 5.0);
    free(r.body);
    close(slow);
    assert_true(closed_by_peer(idle));
    assert_true(now_s() - t0 >= 0.39);
    close(idle);
    gs_http_stats st;
    gs_http_server_stats(s, &st);
    assert_int_equal(st.timeouts, 1);
    assert_true(st.idle_closed >= 1);
    stop(s);
}

/* Over the connection limit, a connection is accepted and closed at once;
 * those within it go on. */
static void connection_limit(void **state) {
    (void)state;
    gs_http_config cfg = {.max_connections = 2};
    gs_http_server *s = start(&cfg);
    int port = gs_http_server_port(s);
    int a = dial(port), b = dial(port);
    response r;
    get(a, "/echo?a", &r);
    free(r.body);
    get(b, "/echo?b", &r);
    free(r.body);
    int c = dial(port);
    assert_true(c >= 0);
    assert_true(closed_by_peer(c));
    close(c);
    get(a, "/echo?a2", &r);
    assert_string_equal(r.body, "a2");
    free(r.body);
    gs_http_stats st;
    gs_http_server_stats(s, &st);
    assert_int_equal(st.refused, 1);
    assert_int_equal(st.open, 2);
    assert_int_equal(st.peak_open, 2);
    close(a);
    close(b);
    stop(s);
}

/* Expect: 100-continue gets the interim answer before the body is sent. */
static void expect_continue(void **state) {
    (void)state;
    gs_http_server *s = start(NULL);
    int fd = dial(gs_http_server_port(s));
    send_str(fd, "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    char buf[64] = {0};
    const char *want = "HTTP/1.1 100 Continue\r\n\r\n";
    for (size_t n = 0; n < strlen(want);) {
        ssize_t k = recv(fd, buf + n, strlen(want) - n, 0);
        assert_true(k > 0);
        n += (size_t)k;
    }
    assert_string_equal(buf, want);
    send_str(fd, "body");
    response r;
    assert_int_equal(read_response(fd, &r, 0), 0);
    assert_string_equal(r.body, "body");
    free(r.body);
    close(fd);
    stop(s);
}

/* Stop closes the connections, a delayed response's included, promptly. */
static void stop_closes_everything(void **state) {
    (void)state;
    gs_http_server *s = start(NULL);
    int port = gs_http_server_port(s);
    int waiting = dial(port), idle = dial(port);
    send_str(waiting, "GET /delay/60000 HTTP/1.1\r\nHost: t\r\n\r\n");
    response r;
    get(idle, "/echo?x", &r);
    free(r.body);
    double t0 = now_s();
    stop(s);
    assert_true(now_s() - t0 < 5.0);
    assert_true(closed_by_peer(waiting));
    assert_true(closed_by_peer(idle));
    close(waiting);
    close(idle);
}

/* A port in use is refused with UV_EADDRINUSE, leaving nothing open; an
 * explicit free port is taken. */
static void port_in_use(void **state) {
    (void)state;
    gs_http_server *s = start(NULL);
    gs_http_server other;
    gs_http_config cfg = {.port = gs_http_server_port(s)};
    assert_int_equal(gs_http_server_start(&other, &cfg), UV_EADDRINUSE);
    cfg.port = -1;
    assert_int_equal(gs_http_server_start(&other, &cfg), UV_EINVAL);
    int port = gs_http_server_port(s);
    stop(s);
    cfg.port = port; /* just freed: taken again at once */
    s = start(&cfg);
    assert_int_equal(gs_http_server_port(s), port);
    stop(s);
}

static void nofile_raised(void **state) {
    (void)state;
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    rlim_t saved = rl.rlim_cur;
    if (rl.rlim_max > 256) { /* a soft limit below the hard one, to be raised */
        rl.rlim_cur = 256;
        assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
    }
    long before = 0, n = gs_http_raise_nofile(&before);
    assert_true(n >= 64);
    if (rl.rlim_max > 256) assert_int_equal(before, 256);
    assert_int_equal(gs_http_raise_nofile(&before), n);
    assert_int_equal(before, n); /* raised already */
    /* A service records the limit it found, for the processes started while it runs. */
    if (rl.rlim_max > 256) {
        rl.rlim_cur = 256;
        assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
    }
    gs_http_server *s = start(NULL);
    if (rl.rlim_max > 256) assert_int_equal(gs_http_server_nofile_before(s), 256);
    stop(s);
    rl.rlim_cur = saved > rl.rlim_cur ? saved : rl.rlim_cur;
    setrlimit(RLIMIT_NOFILE, &rl);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trips_and_keep_alive),
        cmocka_unit_test(generated_bodies),
        cmocka_unit_test(pipelining_keeps_order),
        cmocka_unit_test(half_close_after_requests),
        cmocka_unit_test(delays_overlap),
        cmocka_unit_test(malformed_closes_only_its_connection),
        cmocka_unit_test(timeouts),
        cmocka_unit_test(connection_limit),
        cmocka_unit_test(expect_continue),
        cmocka_unit_test(stop_closes_everything),
        cmocka_unit_test(port_in_use),
        cmocka_unit_test(nofile_raised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
