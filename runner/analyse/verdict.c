#include "verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define GIL_BOUND_SHARE 0.25
#define IO_BOUND_SHARE 0.50
#define SATURATED 0.80
#define STARTUP_DOMINATED 0.30

static int cell_ok(const gs_cell *c) {
    return c->wall.n > 0 && c->speedup > 0 && !c->disagree && c->runs_failed == 0;
}

static double share(const gs_cell *c, gs_state st) {
    return c->states.lifetime_ns > 0 ? c->states.ns[st] / c->states.lifetime_ns : 0.0;
}

static int is_thread_strategy(gs_strategy s) { return gs_strategy_has(s, GS_SF_THREADS); }

/* Whether the best cell's workers mostly waited on sleep or I/O while inside
 * their tasks (idle time between tasks does not count); without thread
 * states, whether the workload says it is I/O-bound and used little CPU. */
static int io_bound(const gs_session *s, const gs_cell *c, double *wait_share) {
    double busy = c->states.lifetime_ns - c->states.ns[GS_ST_IDLE];
    if (busy > 0) {
        *wait_share = (c->states.ns[GS_ST_SLEEP] + c->states.ns[GS_ST_IO]) / busy;
        return *wait_share >= IO_BOUND_SHARE;
    }
    const char *kind = s->workloads[c->workload].kind;
    *wait_share = -1;
    return kind != NULL && strcmp(kind, "io") == 0 && c->cores_used < 0.5;
}

/* Appends a clause to the reason. */
static void add(gs_verdict *v, const char *fmt, ...) {
    size_t used = strlen(v->reason);
    if (used + 3 >= sizeof(v->reason)) return;
    if (used > 0) {
        strcat(v->reason, "; ");
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->reason + used, sizeof(v->reason) - used, fmt, ap);
    va_end(ap);
}


static int overlaps(const gs_cell *a, const gs_cell *b) {
    if (a->speedup_lo > 0 && b->speedup_lo > 0) return a->speedup_hi >= b->speedup_lo && b->speedup_hi >= a->speedup_lo;
    double d = a->speedup > b->speedup ? a->speedup - b->speedup : b->speedup - a->speedup;
    return d <= 0.02 * (a->speedup > b->speedup ? a->speedup : b->speedup);
}

/* The best measured cell of workload w, or -1. */
static int find_best(const gs_session *s, size_t w) {
    int best = -1;
    for (size_t i = 0; i < s->ncells; i++) {
        const gs_cell *c = &s->cells[i];
        if (c->workload != w || !cell_ok(c)) continue;
        if (best < 0 || c->speedup > s->cells[best].speedup) best = (int)i;
    }
    return best;
}

static void clause_gil(const gs_session *s, size_t w, gs_verdict *v) {
    const gs_cell *worst = NULL;
    for (size_t i = 0; i < s->ncells; i++) {
        const gs_cell *c = &s->cells[i];
        if (c->workload != w || !cell_ok(c) || !is_thread_strategy(c->strategy)) continue;
        if (share(c, GS_ST_GIL) >= GIL_BOUND_SHARE && (worst == NULL || share(c, GS_ST_GIL) > share(worst, GS_ST_GIL)))
            worst = c;
    }
    if (worst == NULL) return;
    char b[64];
    add(v, "GIL-bound: %s %.2f× while %.0f%% of worker time waited for the GIL", gs_cell_label(worst, b, sizeof(b)),
        worst->speedup, 100 * share(worst, GS_ST_GIL));
    json_object_set_new(v->figures, "gil_bound_speedup", json_real(worst->speedup));
    json_object_set_new(v->figures, "gil_wait_share", json_real(share(worst, GS_ST_GIL)));
}

static void clause_startup(const gs_session *s, size_t w, gs_verdict *v) {
    for (size_t i = 0; i < s->ncells; i++) {
        const gs_cell *c = &s->cells[i];
        if (c->workload != w || !cell_ok(c) || c->pool_startup_s < 0) continue;
        if (c->pool_startup_s < STARTUP_DOMINATED * c->wall.median) continue;
        char b[64];
        add(v, "start-up dominated: the %s pool took %.1f ms of %.1f ms", gs_cell_label(c, b, sizeof(b)),
            c->pool_startup_s * 1e3, c->wall.median * 1e3);
        json_object_set_new(v->figures, "pool_startup_s", json_real(c->pool_startup_s));
        json_object_set_new(v->figures, "pool_wall_s", json_real(c->wall.median));
        return;
    }
}

int gs_verdict_decide(const gs_session *s, size_t w, gs_verdict *v) {
    memset(v, 0, sizeof(*v));
    v->workload = w;
    v->figures = json_object();
    v->best = find_best(s, w);
    if (v->best < 0) {
        snprintf(v->reason, sizeof(v->reason), "no strategy was measured");
        return -1;
    }
    const gs_cell *best = &s->cells[v->best];
    for (size_t i = 0; i < s->ncells && v->ntie < 32; i++) {
        const gs_cell *c = &s->cells[i];
        if ((int)i != v->best && c->workload == w && cell_ok(c) && overlaps(c, best)) v->tie[v->ntie++] = (int)i;
    }
    int cores = (int)json_integer_value(json_object_get(s->hello, "cores"));
    int possible_cpu = best->workers < cores ? best->workers : cores;
    int possible_io = best->workers < s->opt->tasks ? best->workers : s->opt->tasks;
    double wait_share = 0;
    const char *kind = s->workloads[w].kind;
    int io_kind = kind != NULL && strcmp(kind, "io") == 0;
    json_object_set_new(v->figures, "best_speedup", json_real(best->speedup));
    json_object_set_new(v->figures, "cores", json_integer(cores));
    char b[64];
    int parallel_wins = !gs_strategy_has(best->strategy, GS_SF_BASELINE) && (best->speedup_lo <= 0 || best->speedup_lo > 1.0);
    if (!parallel_wins) {
        int alt = -1; /* the best parallel cell */
        for (size_t i = 0; i < s->ncells; i++) {
            const gs_cell *c = &s->cells[i];
            if (c->workload == w && cell_ok(c) && !gs_strategy_has(c->strategy, GS_SF_BASELINE) &&
                (alt < 0 || c->speedup > s->cells[alt].speedup))
                alt = (int)i;
        }
        if (alt >= 0) {
            const gs_cell *a = &s->cells[alt];
            add(v, "nothing beats serial: the best parallel strategy, %s, reached %.2f×", gs_cell_label(a, b, sizeof(b)),
                a->speedup);
            /* Per task once the pool is up, against serial's whole task. */
            const gs_cell *ser = NULL;
            for (size_t i = 0; i < s->ncells; i++)
                if (s->cells[i].workload == w && gs_strategy_has(s->cells[i].strategy, GS_SF_BASELINE) && cell_ok(&s->cells[i])) ser = &s->cells[i];
            double tasks = (double)s->opt->tasks;
            double par = (a->wall.median - (a->pool_startup_s > 0 ? a->pool_startup_s : 0)) / tasks;
            if (ser != NULL && ser->wall.median / tasks < par) {
                add(v, "tasks too small to parallelise: one takes %.1f µs serially, one costs %.1f µs under %s",
                    ser->wall.median / tasks * 1e6, par * 1e6, gs_cell_label(a, b, sizeof(b)));
                json_object_set_new(v->figures, "serial_per_task_s", json_real(ser->wall.median / tasks));
                json_object_set_new(v->figures, "parallel_per_task_s", json_real(par));
            }
        } else
            add(v, "only serial was measured");
    } else if (io_bound(s, best, &wait_share)) {
        add(v, "I/O-bound: %s reached %.1f× of %d× possible", gs_cell_label(best, b, sizeof(b)), best->speedup, possible_io);
        json_object_set_new(v->figures, "possible_speedup", json_integer(possible_io));
        json_object_set_new(v->figures, "wait_share", wait_share >= 0 ? json_real(wait_share) : json_null());
    } else if (best->speedup >= SATURATED * possible_cpu && best->cores_used >= SATURATED * possible_cpu) {
        add(v, "cores saturated: %.2f× on %d core%s (%.2f cores used)", best->speedup, cores, cores == 1 ? "" : "s",
            best->cores_used);
        json_object_set_new(v->figures, "cores_used", json_real(best->cores_used));
    } else {
        add(v, "%s reached %.2f× of %d× possible with %.2f cores used", gs_cell_label(best, b, sizeof(b)), best->speedup,
            io_kind ? possible_io : possible_cpu, best->cores_used);
        json_object_set_new(v->figures, "cores_used", json_real(best->cores_used));
    }
    clause_gil(s, w, v);
    clause_startup(s, w, v);
    return 0;
}

static json_t *cell_ref(const gs_session *s, int i) {
    const gs_cell *c = &s->cells[i];
    json_t *o = json_pack("{s:s,s:i,s:f}", "strategy", gs_strategy_name(c->strategy), "workers", c->workers,
                          "speedup", c->speedup);
    json_object_set_new(o, "start_method", c->start_method ? json_string(c->start_method) : json_null());
    json_object_set_new(o, "ci_low", c->speedup_lo > 0 ? json_real(c->speedup_lo) : json_null());
    json_object_set_new(o, "ci_high", c->speedup_lo > 0 ? json_real(c->speedup_hi) : json_null());
    return o;
}

json_t *gs_verdict_json(const gs_session *s, const gs_verdict *v) {
    json_t *o = json_object();
    json_object_set_new(o, "workload", json_string(s->workloads[v->workload].name));
    json_object_set_new(o, "best", v->best >= 0 ? cell_ref(s, v->best) : json_null());
    json_t *tie = json_array();
    for (int i = 0; i < v->ntie; i++) json_array_append_new(tie, cell_ref(s, v->tie[i]));
    json_object_set_new(o, "tie", tie);
    json_object_set_new(o, "reason", json_string(v->reason));
    json_object_set_new(o, "figures", json_incref(v->figures));
    return o;
}

void gs_verdict_free(gs_verdict *v) {
    json_decref(v->figures);
    v->figures = NULL;
}
