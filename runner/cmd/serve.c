#include "cmd.h"

#include <signal.h>
#include <stdio.h>
#include <uv.h>

#include "serve.h"
#include "signals.h"

/* gilscope serve [--port N]: the loopback HTTP service alone (serve.h),
 * until SIGINT, SIGTERM or SIGHUP. It takes its signals itself (its command
 * row does not ask main for the handlers of signals.h, which end runs and
 * exit 128+N): a stop by any of the three is the normal end, exit 0. */

#define GS_SIGNAL_NUM(sig, name) sig,
static const int stop_signals[] = {GS_STOP_SIGNALS(GS_SIGNAL_NUM)};
#undef GS_SIGNAL_NUM
#define NSTOP (sizeof(stop_signals) / sizeof(stop_signals[0]))

typedef struct waiter {
    uv_loop_t loop;
    uv_signal_t handles[NSTOP];
    size_t installed; /* handles initialised, closed by close_handlers */
    int received;     /* the signal that ended the wait */
} waiter;

static void close_handlers(waiter *w) {
    for (size_t i = 0; i < w->installed; i++) uv_close((uv_handle_t *)&w->handles[i], NULL);
    w->installed = 0;
}

/* The first stop signal closes the handlers, which ends the loop. */
static void on_signal(uv_signal_t *h, int signum) {
    waiter *w = h->data;
    if (w->received == 0) w->received = signum;
    close_handlers(w);
}

/* Takes the three signals on w's loop. A signal inherited as ignored (nohup,
 * a `trap '' INT` in a script, a CI runner) is reset to its default first:
 * the handler is installed all the same, so that a stop always works. */
static int install(waiter *w) {
    for (size_t i = 0; i < NSTOP; i++) {
        struct sigaction old;
        if (sigaction(stop_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) signal(stop_signals[i], SIG_DFL);
        int rc = uv_signal_init(&w->loop, &w->handles[i]);
        if (rc != 0) return rc;
        w->handles[i].data = w;
        w->installed = i + 1;
        if ((rc = uv_signal_start(&w->handles[i], on_signal, stop_signals[i])) != 0) return rc;
    }
    return 0;
}

static void print_stats(const gs_http_stats *st, int signum) {
    fprintf(stderr,
            "gilscope: serve: stopped by %s: %llu requests (%llu malformed, %llu timed out), %llu connections "
            "(at most %llu at once, %llu refused over the limit), %llu bytes in, %llu out; "
            "service CPU %.3f s",
            gs_signal_name(signum), (unsigned long long)st->requests,
            (unsigned long long)st->bad_requests, (unsigned long long)st->timeouts,
            (unsigned long long)st->accepted, (unsigned long long)st->peak_open, (unsigned long long)st->refused,
            (unsigned long long)st->bytes_in, (unsigned long long)st->bytes_out, st->cpu_s);
    if (st->requests > 0) fprintf(stderr, " (%.1f us a request)", st->cpu_s * 1e6 / (double)st->requests);
    fputc('\n', stderr);
}

int gs_cmd_serve(gs_options *o, int argc, char **argv) {
    waiter w = {0};
    int rc = uv_loop_init(&w.loop);
    if (rc != 0) {
        fprintf(stderr, "gilscope: serve: %s\n", uv_strerror(rc));
        return 1;
    }
    gs_http_server srv;
    gs_http_config cfg = {.port = o->port};
    int status = 0;
    if ((rc = install(&w)) != 0) {
        fprintf(stderr, "gilscope: serve: cannot install signal handlers: %s\n", uv_strerror(rc));
        status = 1;
    } else if ((rc = gs_http_server_start(&srv, &cfg)) != 0) {
        int taken = rc == UV_EADDRINUSE || rc == UV_EACCES;
        fprintf(stderr, "gilscope: serve: cannot listen on 127.0.0.1:%d: %s%s\n", o->port, uv_strerror(rc),
                taken ? " (choose another --port, or --port 0 for a free one)" : "");
        status = taken ? 2 : 1;
    } else {
        printf("%s\n", gs_http_server_url(&srv));
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "gilscope: serve: cannot write the URL on stdout\n");
            status = 1;
        } else {
            uv_run(&w.loop, UV_RUN_DEFAULT); /* until a stop signal */
        }
        gs_http_server_stop(&srv);
        gs_http_stats st;
        gs_http_server_stats(&srv, &st);
        if (status == 0) print_stats(&st, w.received);
    }
    close_handlers(&w);
    uv_run(&w.loop, UV_RUN_DEFAULT);
    uv_loop_close(&w.loop);
    return status;
}
