#include "spawn.h"

#include "linebuf.h"
#include "procfs.h"
#include "sampler.h"
#include "scratch.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAIL_MAX (16 * 1024)
#define LEFTOVER_SETTLE_MS 500
#define RESULT_LINE_MAX (64 * 1024 * 1024)

typedef struct pipe_ctx {
    uv_pipe_t pipe;
    struct run *run;
    int open;          /* not yet closed */
    int is_result;     /* the fd-3 channel */
    char **tail;       /* where to keep the last bytes (stdout/stderr) */
    size_t tail_len;
} pipe_ctx;

typedef struct run {
    uv_process_t proc;
    uv_timer_t timeout;
    uv_timer_t term;     /* after a timeout's SIGTERM: the SIGKILL */
    uv_timer_t grace;
    pipe_ctx pipes[3];   /* stdout, stderr, results */
    int handles;         /* handles not yet closed */
    int finished;        /* finish() ran */
    const gs_spawn_req *req;
    gs_spawn_out *out;
    gs_linebuf lines;
    gs_sampler sampler;
} run;

static run *current; /* the run in progress, for gs_spawn_interrupt */

static void on_close(uv_handle_t *h) {
    run *r = h->data;
    r->handles--;
}

static void on_pipe_close(uv_handle_t *h) {
    pipe_ctx *pc = h->data;
    pc->run->handles--;
}

/* Closes h once; the run's handle count drops in the close callback. */
static void close_handle(run *r, uv_handle_t *h) {
    (void)r;
    if (uv_is_closing(h)) return;
    uv_close(h, h->type == UV_NAMED_PIPE ? on_pipe_close : on_close);
}

/* Sends sig to every process of the run's session (they share its process
 * group unless a workload moved one elsewhere, so both are tried); those
 * that left the session are found after the run (gs_reaper_sweep). */
static void signal_tree(run *r, int sig) {
    if (r->proc.pid > 0) {
        if (!r->out->exited) kill(-r->proc.pid, sig);
        gs_procfs_signal_session(r->proc.pid, sig);
    }
}

static void kill_tree(run *r) { signal_tree(r, SIGKILL); }

/* Marks the result stream broken when bytes after its last newline were
 * never completed. */
static void check_unterminated(run *r) {
    size_t pending = gs_linebuf_pending(&r->lines);
    if (pending > 0) gs_proto_break(&r->out->proto, "the last line has no newline (%zu bytes)", pending);
}

/* Called once the process exited and every pipe ended (or the grace ran out). */
static void finish(run *r) {
    if (r->finished) return;
    r->finished = 1;
    gs_sampler_stop(&r->sampler);
    r->out->peak_rss_bytes = r->sampler.peak_rss_bytes;
    r->out->peak_pss_bytes = r->sampler.peak_pss_bytes;
    r->out->peak_uss_bytes = r->sampler.peak_uss_bytes;
    r->out->peak_proc_uss_bytes = r->sampler.peak_proc_uss_bytes;
    r->out->samples = r->sampler.samples;
    r->out->observer_cpu_s = r->sampler.cpu_s;
    r->out->tracks = gs_sampler_take_tracks(&r->sampler, &r->out->ntracks);
    /* Helpers such as multiprocessing's resource tracker or fork server exit
     * on their own once the harness is gone: give them a moment before
     * counting what is left as leftovers and ending it. Every descendant
     * counts, whatever session it moved to (gilscope is their subreaper);
     * without a subreaper, those still in the run's session. */
    size_t swept = gs_reaper_sweep(LEFTOVER_SETTLE_MS, GS_TERM_GRACE_MS, r->out->leftovers, GS_LEFTOVERS_MAX);
    r->out->nleftovers = swept < GS_LEFTOVERS_MAX ? swept : GS_LEFTOVERS_MAX;
    int in_session = gs_procfs_wait_session_empty(r->proc.pid, swept ? 0 : LEFTOVER_SETTLE_MS);
    r->out->leftover = (int)swept + (in_session ? gs_procfs_kill_session(r->proc.pid, 1000) : 0);
    if (r->pipes[2].open) check_unterminated(r);
    for (int i = 0; i < 3; i++) {
        if (r->pipes[i].open) {
            r->pipes[i].open = 0;
            close_handle(r, (uv_handle_t *)&r->pipes[i].pipe);
        }
    }
    uv_timer_stop(&r->timeout);
    uv_timer_stop(&r->grace);
    uv_timer_stop(&r->term);
    close_handle(r, (uv_handle_t *)&r->timeout);
    close_handle(r, (uv_handle_t *)&r->grace);
    close_handle(r, (uv_handle_t *)&r->term);
    close_handle(r, (uv_handle_t *)&r->proc);
}

static void maybe_finish(run *r) {
    if (!r->out->exited) return;
    for (int i = 0; i < 3; i++)
        if (r->pipes[i].open) return;
    finish(r);
}

static void on_grace(uv_timer_t *t) {
    finish(t->data);
}

static void on_term_grace(uv_timer_t *t) { kill_tree(t->data); }

/* --timeout: asks the run to end (SIGTERM: a workload's handler may clean
 * up), kills it GS_TERM_GRACE_MS later. */
static void on_timeout(uv_timer_t *t) {
    run *r = t->data;
    r->out->timed_out = 1;
    signal_tree(r, SIGTERM);
    uv_timer_start(&r->term, on_term_grace, GS_TERM_GRACE_MS, 0);
}

static void on_process_exit(uv_process_t *p, int64_t status, int term_signal) {
    run *r = p->data;
    r->out->exited = 1;
    r->out->exit_ns = uv_hrtime();
    r->out->exit_status = status;
    r->out->term_signal = term_signal;
    uv_timer_stop(&r->timeout);
    /* A pool worker may hold a pipe open: wait for EOF a bounded time. */
    uint64_t grace_ms = (uint64_t)(r->req->grace_s * 1000.0);
    uv_timer_start(&r->grace, on_grace, grace_ms, 0);
    maybe_finish(r);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
    (void)h;
    static char slab[64 * 1024]; /* one loop thread; reads are consumed at once */
    (void)suggested;
    buf->base = slab;
    buf->len = sizeof(slab);
}

static int on_result_line(void *ctx, const char *line, size_t len) {
    run *r = ctx;
    gs_proto_feed(&r->out->proto, line, len);
    return 0; /* keep draining even after a bad line: the harness must not block */
}

/* Keeps the last TAIL_MAX bytes of a stream. */
static void keep_tail(pipe_ctx *pc, const char *data, size_t n) {
    char *t = *pc->tail;
    if (n >= TAIL_MAX) {
        data += n - TAIL_MAX;
        n = TAIL_MAX;
        pc->tail_len = 0;
    } else if (pc->tail_len + n > TAIL_MAX) {
        size_t drop = pc->tail_len + n - TAIL_MAX;
        memmove(t, t + drop, pc->tail_len - drop);
        pc->tail_len -= drop;
    }
    memcpy(t + pc->tail_len, data, n);
    pc->tail_len += n;
    t[pc->tail_len] = '\0';
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
    pipe_ctx *pc = s->data;
    run *r = pc->run;
    if (nread == 0) return; /* nothing now */
    if (nread < 0) {        /* EOF or an error: this stream is over */
        if (pc->is_result) check_unterminated(r);
        pc->open = 0;
        close_handle(r, (uv_handle_t *)s);
        maybe_finish(r);
        return;
    }
    if (pc->is_result) {
        int rc = gs_linebuf_push(&r->lines, buf->base, (size_t)nread, on_result_line, r);
        if (rc == GS_LINEBUF_TOO_LONG) gs_proto_break(&r->out->proto, "a result line longer than %d bytes", RESULT_LINE_MAX);
        else if (rc != 0) gs_proto_break(&r->out->proto, "out of memory");
    } else if (*pc->tail != NULL) {
        keep_tail(pc, buf->base, (size_t)nread);
    }
}

void gs_spawn_interrupt(int signum) {
    if (current == NULL || current->finished) return;
    /* A run whose interpreter already exited is over: keep its result and
     * only clear away what it left behind. */
    if (!current->out->exited) current->out->interrupted = signum;
    kill_tree(current);
}

static void init_out(gs_spawn_out *out, const gs_spawn_req *req) {
    memset(out, 0, sizeof(*out));
    gs_proto_init(&out->proto, req->mode, req->expected_tasks);
    out->out_tail = calloc(1, TAIL_MAX + 1);
    out->err_tail = calloc(1, TAIL_MAX + 1);
}

/* Starts the process with env and waits for the end of the run. */
static int spawn_and_wait(uv_loop_t *loop, const gs_spawn_req *req, char **env, gs_spawn_out *out) {
    run r;
    memset(&r, 0, sizeof(r));
    r.req = req;
    r.out = out;
    gs_linebuf_init(&r.lines, RESULT_LINE_MAX);

    uv_stdio_container_t stdio[4];
    memset(stdio, 0, sizeof(stdio));
    stdio[0].flags = UV_IGNORE;
    char **tails[2] = {&out->out_tail, &out->err_tail};
    for (int i = 0; i < 3; i++) {
        pipe_ctx *pc = &r.pipes[i];
        uv_pipe_init(loop, &pc->pipe, 0);
        pc->pipe.data = pc;
        pc->run = &r;
        pc->open = 1;
        pc->is_result = (i == 2);
        pc->tail = i < 2 ? tails[i] : NULL;
        r.handles++;
        stdio[i + 1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
        stdio[i + 1].data.stream = (uv_stream_t *)&pc->pipe;
    }
    uv_timer_init(loop, &r.timeout);
    uv_timer_init(loop, &r.grace);
    uv_timer_init(loop, &r.term);
    r.timeout.data = r.grace.data = r.term.data = &r;
    r.handles += 3;

    uv_process_options_t opt;
    memset(&opt, 0, sizeof(opt));
    opt.file = req->argv[0];
    opt.args = req->argv;
    opt.env = env;
    opt.exit_cb = on_process_exit;
    opt.flags = UV_PROCESS_DETACHED;
    opt.stdio_count = 4;
    opt.stdio = stdio;
    r.proc.data = &r;

    out->start_ns = uv_hrtime();
    int rc = uv_spawn(loop, &r.proc, &opt);
    r.handles++;
    if (rc != 0) {
        /* The process handle is closed even though the spawn failed. */
        out->spawn_error = rc;
        r.finished = 1;
        for (int i = 0; i < 3; i++) close_handle(&r, (uv_handle_t *)&r.pipes[i].pipe);
        close_handle(&r, (uv_handle_t *)&r.timeout);
        close_handle(&r, (uv_handle_t *)&r.grace);
        close_handle(&r, (uv_handle_t *)&r.term);
        close_handle(&r, (uv_handle_t *)&r.proc);
        while (r.handles > 0) uv_run(loop, UV_RUN_ONCE);
        gs_linebuf_free(&r.lines);
        return rc;
    }
    current = &r;
    if (req->sample_us > 0) gs_sampler_start(&r.sampler, r.proc.pid, req->sample_us, req->no_gil);
    for (int i = 0; i < 3; i++)
        uv_read_start((uv_stream_t *)&r.pipes[i].pipe, on_alloc, on_read);
    if (req->timeout_s > 0)
        uv_timer_start(&r.timeout, on_timeout, (uint64_t)(req->timeout_s * 1000.0), 0);
    while (r.handles > 0) uv_run(loop, UV_RUN_ONCE);
    current = NULL;
    gs_linebuf_free(&r.lines);
    if (out->proto.state != GS_PROTO_BROKEN) out->proto_ok = gs_proto_finish(&out->proto) == 0;
    return 0;
}

extern char **environ;

/* env (NULL: ours) with GILSCOPE_SCRATCH and TMPDIR set to dir: a new array
 * of the same strings but those (entries[0..1], to free with the array);
 * NULL when out of memory. TMPDIR too, so that what the run's processes make
 * in the temporary directory (multiprocessing's pymp-* directories, a
 * workload's tempfile files) goes with the scratch directory. */
static char **env_with_scratch(char **env, const char *dir, char *entries[2]) {
    static const char *const names[2] = {GS_SCRATCH_ENV, "TMPDIR"};
    size_t n = 0, k = 0;
    env = env ? env : environ;
    while (env[n]) n++;
    char **v = calloc(n + 3, sizeof(*v));
    for (int j = 0; j < 2; j++)
        if ((entries[j] = malloc(strlen(names[j]) + strlen(dir) + 2)) != NULL) sprintf(entries[j], "%s=%s", names[j], dir);
    if (v == NULL || entries[0] == NULL || entries[1] == NULL) {
        free(v), free(entries[0]), free(entries[1]);
        entries[0] = entries[1] = NULL;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        int replaced = 0;
        for (int j = 0; j < 2; j++) {
            size_t len = strlen(names[j]);
            replaced |= strncmp(env[i], names[j], len) == 0 && env[i][len] == '=';
        }
        if (!replaced) v[k++] = env[i];
    }
    v[k++] = entries[0];
    v[k++] = entries[1];
    v[k] = NULL;
    return v;
}

int gs_spawn_run(uv_loop_t *loop, const gs_spawn_req *req, gs_spawn_out *out) {
    init_out(out, req);
    if (!req->scratch) return spawn_and_wait(loop, req, req->env, out);
    int rc = gs_scratch_make(out->scratch, sizeof(out->scratch));
    char *entries[2] = {NULL, NULL}, **env = NULL;
    if (rc == 0 && (env = env_with_scratch(req->env, out->scratch, entries)) == NULL) {
        gs_scratch_remove(out->scratch);
        rc = UV_ENOMEM;
    }
    if (rc != 0) {
        out->spawn_error = rc;
        out->scratch_failed = 1;
        return rc;
    }
    rc = spawn_and_wait(loop, req, env, out);
    free(env);
    free(entries[0]);
    free(entries[1]);
    out->scratch_remove_error = gs_scratch_remove(out->scratch);
    return rc;
}

void gs_spawn_out_free(gs_spawn_out *out) {
    gs_proto_free(&out->proto);
    gs_sampler_free_tracks(out->tracks, out->ntracks);
    out->tracks = NULL;
    out->ntracks = 0;
    free(out->out_tail);
    free(out->err_tail);
    out->out_tail = out->err_tail = NULL;
}
