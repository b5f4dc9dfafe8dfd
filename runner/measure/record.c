#include "record.h"

#include "signals.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gs_record_last_line(const char *text, char *buf, size_t cap) {
    buf[0] = '\0';
    if (text == NULL || cap == 0) return;
    const char *end = text + strlen(text);
    while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ')) end--;
    const char *start = end;
    while (start > text && start[-1] != '\n') start--;
    size_t n = (size_t)(end - start);
    if (n >= cap) n = cap - 1;
    memcpy(buf, start, n);
    buf[n] = '\0';
}

/* The length of the longest prefix of s[0, n) that ends on a character
 * boundary (no UTF-8 sequence cut). */
static size_t utf8_floor(const char *s, size_t n) {
    size_t back = 0;
    while (back < 3 && back < n && ((unsigned char)s[n - 1 - back] & 0xC0) == 0x80) back++;
    if (back < n) {
        unsigned char lead = (unsigned char)s[n - 1 - back];
        size_t want = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (back + 1 < want) return n - 1 - back;
    }
    return n;
}

char *gs_record_bound(const char *text, size_t max, int keep_end) {
    if (text == NULL) return NULL;
    size_t n = strlen(text);
    if (n <= max) return strdup(text);
    size_t room = max > 64 ? max - 48 : max / 2;
    char *out = malloc(max + 1);
    if (out == NULL) return NULL;
    if (!keep_end) {
        size_t head = utf8_floor(text, room);
        snprintf(out, max + 1, "%.*s… (%zu bytes cut)", (int)head, text, n - head);
    } else {
        const char *start = text + n - room;
        while (start < text + n && ((unsigned char)*start & 0xC0) == 0x80) start++; /* a character's start */
        snprintf(out, max + 1, "[… %zu bytes cut …]\n%s", (size_t)(start - text), start);
    }
    return out;
}

static void fail(gs_run *r, const char *detail, const char *fmt, ...) {
    char msg[2 * GS_RECORD_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    msg[utf8_floor(msg, strlen(msg))] = '\0'; /* a message longer than msg: cut on a character */
    r->status = GS_RUN_FAILED;
    free(r->error);
    r->error = gs_record_bound(msg, GS_RECORD_TEXT_MAX, 0);
    free(r->detail);
    r->detail = detail && *detail ? gs_record_bound(detail, GS_RECORD_TEXT_MAX, 1) : NULL;
}

static double ns_to_s(json_t *v) { return (double)json_integer_value(v) / 1e9; }

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The GIL latency probe's lateness percentiles (nearest rank), in ms. */
static void record_probe(gs_run *r, json_t *probe) {
    r->probe_tid = (pid_t)json_integer_value(json_object_get(probe, "tid"));
    json_t *late = json_object_get(probe, "lateness_ns");
    size_t n = json_array_size(late);
    r->probe_n = 0;
    if (n == 0) return;
    int64_t *v = malloc(n * sizeof(*v));
    if (v == NULL) return;
    for (size_t i = 0; i < n; i++) v[i] = (int64_t)json_integer_value(json_array_get(late, i));
    qsort(v, n, sizeof(*v), cmp_i64);
    size_t i50 = (n * 50 + 99) / 100, i99 = (n * 99 + 99) / 100;
    r->probe_p50_ms = (double)v[i50 ? i50 - 1 : 0] / 1e6;
    r->probe_p99_ms = (double)v[i99 ? i99 - 1 : 0] / 1e6;
    r->probe_max_ms = (double)v[n - 1] / 1e6;
    r->probe_n = (int)n;
    free(v);
}

static void record_ok(gs_run *r, const gs_spawn_out *out) {
    json_t *res = out->proto.result;
    r->status = GS_RUN_OK;
    r->strategy_wall_s = ns_to_s(json_object_get(res, "strategy_wall_ns"));
    json_t *pool = json_object_get(res, "pool_startup_ns");
    r->pool_startup_s = json_is_integer(pool) ? ns_to_s(pool) : -1.0;
    r->cpu_user_s = json_number_value(json_object_get(res, "cpu_user_s"));
    r->cpu_sys_s = json_number_value(json_object_get(res, "cpu_sys_s"));
    int64_t hwm = (int64_t)json_integer_value(json_object_get(res, "max_rss_bytes"));
    r->peak_rss_bytes = out->peak_rss_bytes > hwm ? out->peak_rss_bytes : hwm;
    r->peak_pss_bytes = out->peak_pss_bytes;
    r->peak_uss_bytes = out->peak_uss_bytes;
    r->peak_proc_uss_bytes = out->peak_proc_uss_bytes;
    snprintf(r->checksum, sizeof(r->checksum), "%s",
             json_string_value(json_object_get(res, "checksum")));
    json_t *gil = json_object_get(res, "gil_enabled");
    r->gil_enabled = json_is_boolean(gil) ? json_is_true(gil) : -1;
    r->tasks = json_incref(json_object_get(res, "tasks"));
    r->workers_seen = json_incref(json_object_get(res, "workers_seen"));
    r->window_start_ns = (uint64_t)json_integer_value(json_object_get(res, "window_start_ns"));
    r->window_end_ns = (uint64_t)json_integer_value(json_object_get(res, "window_end_ns"));
    json_t *probe = json_object_get(res, "probe");
    if (json_is_object(probe)) record_probe(r, probe);
    json_t *values = json_object_get(res, "values");
    if (json_is_array(values)) r->values = json_incref(values);
    json_t *profile = json_object_get(res, "profile");
    if (json_is_object(profile)) r->profile = json_incref(profile);
    json_t *transfer = json_object_get(res, "transfer");
    if (json_is_object(transfer)) r->transfer = json_incref(transfer);
    const char *ex = json_string_value(json_object_get(res, "explanation"));
    if (ex) r->explanation = strdup(ex);
    json_t *sm = json_object_get(out->proto.start, "start_method");
    if (json_is_string(sm)) r->start_method = strdup(json_string_value(sm));
}

void gs_record_run(gs_run *r, const gs_spawn_out *out, double timeout_s) {
    char last[300];
    gs_record_last_line(out->err_tail, last, sizeof(last));
    r->exit_status = out->exited && out->term_signal == 0 ? out->exit_status : -1;
    r->term_signal = out->term_signal;
    r->process_wall_s = out->exited ? (double)(out->exit_ns - out->start_ns) / 1e9 : 0.0;
    r->observer_cpu_s = out->observer_cpu_s;
    r->leftover = out->leftover;
    json_decref(r->leftovers);
    r->leftovers = out->nleftovers ? json_array() : NULL;
    for (size_t i = 0; r->leftovers && i < out->nleftovers; i++)
        json_array_append_new(r->leftovers, json_pack("{s:i,s:s}", "pid", (int)out->leftovers[i].pid, "command",
                                                      out->leftovers[i].command));
    const gs_proto *p = &out->proto;
    if (out->scratch_failed) {
        fail(r, NULL, "cannot create the run's scratch directory in %s: %s", out->scratch, uv_strerror(out->spawn_error));
    } else if (out->spawn_error != 0) {
        fail(r, NULL, "cannot start the interpreter: %s", uv_strerror(out->spawn_error));
    } else if (out->interrupted) {
        r->status = GS_RUN_INTERRUPTED;
        free(r->error);
        char why[48];
        snprintf(why, sizeof(why), "interrupted by %s", gs_signal_name(out->interrupted));
        r->error = strdup(why);
    } else if (out->timed_out) {
        fail(r, out->err_tail, "timed out after %g s (--timeout); the run and its processes were killed",
             timeout_s);
    } else if (p->unavailable != NULL && out->term_signal == 0 && out->exit_status == 0 && out->proto_ok) {
        r->status = GS_RUN_UNAVAILABLE;
        free(r->error);
        r->error = strdup(json_string_value(json_object_get(p->unavailable, "reason")));
    } else if (p->error != NULL) {
        const char *stage = json_string_value(json_object_get(p->error, "stage"));
        const char *msg = json_string_value(json_object_get(p->error, "message"));
        const char *tb = json_string_value(json_object_get(p->error, "traceback"));
        json_t *task = json_object_get(p->error, "task");
        if (json_is_integer(task))
            fail(r, tb, "task %lld raised %s", (long long)json_integer_value(task), msg);
        else if (strcmp(stage, "load") == 0)
            fail(r, tb, "cannot load the workload: %s", msg);
        else
            fail(r, tb, "%s failed: %s", stage, msg);
    } else if (out->term_signal != 0) {
        fail(r, out->err_tail, "the interpreter was killed by signal %d (%s)%s%s", out->term_signal,
             strsignal(out->term_signal), last[0] ? ": " : "", last);
    } else if (!out->proto_ok) {
        if (out->exit_status != 0)
            fail(r, out->err_tail, "the interpreter exited with status %lld before reporting a result%s%s",
                 (long long)out->exit_status, last[0] ? ": " : "", last);
        else if (strncmp(p->problem, "ended ", 6) == 0) /* the stream was fine, only cut short */
            fail(r, out->err_tail, "the interpreter exited with status 0 before reporting a result: the stream %s%s%s",
                 p->problem, last[0] ? ": " : "", last);
        else
            fail(r, out->err_tail, "protocol error on fd 3: %s", p->problem);
    } else if (out->exit_status != 0) {
        fail(r, out->err_tail, "the interpreter exited with status %lld after its result%s%s",
             (long long)out->exit_status, last[0] ? ": " : "", last);
    } else {
        record_ok(r, out);
    }
}

/* The task intervals of thread (pid, tid) from the run's task records. */
static size_t thread_tasks(json_t *tasks, json_int_t pid, json_int_t tid, gs_interval *out) {
    size_t n = 0, i;
    json_t *t;
    json_array_foreach(tasks, i, t) {
        if (json_integer_value(json_object_get(t, "pid")) != pid ||
            json_integer_value(json_object_get(t, "tid")) != tid)
            continue;
        out[n].t0_ns = (uint64_t)json_integer_value(json_object_get(t, "start_ns"));
        out[n].t1_ns = (uint64_t)json_integer_value(json_object_get(t, "end_ns"));
        n++;
    }
    return n;
}

/* The probe thread's mean run-queue delay per time it was put on a CPU
 * inside the window: the part of its lateness that waited for a core. */
static void probe_core_wait(gs_run *r, const gs_track *t) {
    const gs_tsample *a = NULL, *b = NULL;
    for (size_t i = 0; i < t->n; i++) {
        if (t->s[i].t_ns < r->window_start_ns || t->s[i].t_ns > r->window_end_ns) continue;
        if (a == NULL) a = &t->s[i];
        b = &t->s[i];
    }
    if (a == NULL || b == a || b->slices == a->slices) return;
    r->probe_core_wait_ms = (double)(b->wait_ns - a->wait_ns) / (double)(b->slices - a->slices) / 1e6;
}

void gs_record_states(gs_run *r, const gs_track *tracks, size_t ntracks, int keep_lanes) {
    memset(&r->states, 0, sizeof(r->states));
    if (r->status != GS_RUN_OK || r->tasks == NULL) return;
    size_t ntasks = json_array_size(r->tasks);
    gs_interval *iv = calloc(ntasks ? ntasks : 1, sizeof(*iv));
    if (iv == NULL) return;
    for (size_t k = 0; k < ntracks; k++) {
        const gs_track *t = &tracks[k];
        if (r->probe_n > 0 && t->tid == r->probe_tid) probe_core_wait(r, t);
        size_t n = thread_tasks(r->tasks, t->pid, t->tid, iv);
        if (n == 0) continue; /* not a worker: it ran no task */
        gs_account_thread(t, r->window_start_ns, r->window_end_ns, iv, n, &r->states);
        if (!keep_lanes) continue;
        gs_lane *l = realloc(r->lanes, (r->nlanes + 1) * sizeof(*l));
        if (l == NULL) break;
        r->lanes = l;
        l = &r->lanes[r->nlanes];
        l->pid = t->pid;
        l->tid = t->tid;
        l->segs = calloc(t->n ? t->n : 1, sizeof(gs_segment));
        l->nsegs = l->segs ? gs_track_segments(t, r->window_start_ns, r->window_end_ns, iv, n, l->segs, t->n) : 0;
        r->nlanes++;
    }
    free(iv);
}
