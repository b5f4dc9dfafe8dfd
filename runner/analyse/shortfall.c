#include "shortfall.h"

#include "jsonnum.h"

#include <stdlib.h>
#include <string.h>

#include "stats.h"

#define IO_SHARE 0.50 /* the workers' busy time spent sleeping or in I/O that makes a cell I/O-bound */
#define MIN_SAMPLES 20 /* thread samples per run below which the states cannot tell */

static double pos(double x) { return x > 0 ? x : 0; }

static const struct {
    const char *key, *label, *brief, *colour;
} causes[GS_LOSS_COUNT] = {
#define GS_LOSS_ROW(name, key, label, brief, colour) [GS_LOSS_##name] = {key, label, brief, colour},
    GS_LOSS_MAP(GS_LOSS_ROW)
#undef GS_LOSS_ROW
};

const char *gs_loss_key(gs_loss l) { return l < GS_LOSS_COUNT ? causes[l].key : "?"; }
const char *gs_loss_label(gs_loss l) { return l < GS_LOSS_COUNT ? causes[l].label : "?"; }
const char *gs_loss_brief(gs_loss l) { return l < GS_LOSS_COUNT ? causes[l].brief : "?"; }
const char *gs_loss_colour(gs_loss l) { return l < GS_LOSS_COUNT ? causes[l].colour : "#8a8a8a"; }

int gs_loss_from_key(const char *key) {
    for (int l = 0; l < GS_LOSS_COUNT; l++)
        if (key && strcmp(causes[l].key, key) == 0) return l;
    return -1;
}

/* The measured serial cell of c's workload, or NULL. */
static const gs_cell *serial_of(const gs_session *s, const gs_cell *c) {
    for (size_t i = 0; i < s->ncells; i++) {
        const gs_cell *o = &s->cells[i];
        if (o->workload == c->workload && gs_strategy_has(o->strategy, GS_SF_BASELINE) && o->wall.n > 0) return o;
    }
    return NULL;
}

/* The median kernel CPU time of the measured runs of cell ci. */
static double median_sys(const gs_session *s, size_t ci) {
    double *x = calloc(s->nruns ? s->nruns : 1, sizeof(double));
    size_t n = 0;
    for (size_t i = 0; x && i < s->nruns; i++) {
        const gs_run *r = &s->runs[i];
        if (r->cell == ci && r->status == GS_RUN_OK && !r->warmup && !r->diagnostic) x[n++] = r->cpu_sys_s;
    }
    double m = n ? gs_stats_median(x, n) : 0;
    free(x);
    return m;
}

/* Worker time per measured run of cell ci before each worker's first task
 * and after its last, from the harness's task records (pid, tid, start_ns,
 * end_ns) and the window; a worker that ran no task counts the whole
 * window. -1 when the runs have no task records. Exact where the sampler's
 * thread lifetimes are not (a thread is seen only at its samples). */
static double outside_tasks(const gs_session *s, size_t ci, int workers) {
    double sum = 0;
    int runs = 0;
    for (size_t i = 0; i < s->nruns; i++) {
        const gs_run *r = &s->runs[i];
        if (r->cell != ci || r->status != GS_RUN_OK || r->warmup || r->diagnostic || r->window_end_ns <= r->window_start_ns ||
            json_array_size(r->tasks) == 0)
            continue;
        size_t n = json_array_size(r->tasks), nw = 0;
        struct span { json_int_t pid, tid, first, last; } *w = calloc(n, sizeof(*w));
        if (w == NULL) return -1;
        for (size_t k = 0; k < n; k++) {
            json_t *t = json_array_get(r->tasks, k);
            json_int_t pid = json_integer_value(json_object_get(t, "pid")), tid = json_integer_value(json_object_get(t, "tid"));
            json_int_t t0 = json_integer_value(json_object_get(t, "start_ns")), t1 = json_integer_value(json_object_get(t, "end_ns"));
            size_t j = 0;
            while (j < nw && (w[j].pid != pid || w[j].tid != tid)) j++;
            if (j == nw) w[nw++] = (struct span){pid, tid, t0, t1};
            if (t0 < w[j].first) w[j].first = t0;
            if (t1 > w[j].last) w[j].last = t1;
        }
        double window = (double)(r->window_end_ns - r->window_start_ns) / 1e9, out = 0;
        for (size_t j = 0; j < nw; j++) {
            double lead = (double)(w[j].first - (json_int_t)r->window_start_ns) / 1e9;
            double tail = (double)((json_int_t)r->window_end_ns - w[j].last) / 1e9;
            out += pos(lead) + pos(tail);
        }
        if ((int)nw < workers) out += (workers - (int)nw) * window;
        free(w);
        sum += out;
        runs++;
    }
    return runs ? sum / runs : -1;
}

/* Worker-thread seconds per measured run in state st. */
static double per_run(const gs_cell *c, gs_state st) {
    return c->runs_ok > 0 ? c->states.ns[st] / 1e9 / c->runs_ok : 0;
}


/* Takes up to *want from *from; returns what was taken. */
static double take(double *from, double *want) {
    double t = *from < *want ? *from : *want;
    *from -= t;
    *want -= t;
    return t;
}

/* Whether the cell's workers mostly slept or waited on I/O inside their
 * tasks; with too few samples to tell (tasks of a few milliseconds), whether
 * the workload says it is I/O-bound and the cell used little CPU. */
static int io_bound(const gs_session *s, const gs_cell *c) {
    double busy = c->states.lifetime_ns - c->states.ns[GS_ST_IDLE];
    if (busy > 0 && c->states.samples >= MIN_SAMPLES * (uint64_t)(c->runs_ok > 0 ? c->runs_ok : 1))
        return (c->states.ns[GS_ST_SLEEP] + c->states.ns[GS_ST_IO]) / busy >= IO_SHARE;
    const char *kind = s->workloads[c->workload].kind;
    return kind != NULL && strcmp(kind, "io") == 0 && c->cores_used < 0.5;
}

int gs_shortfall_of(const gs_session *s, size_t ci, gs_shortfall *out) {
    memset(out, 0, sizeof(*out));
    const gs_cell *c = &s->cells[ci];
    const gs_cell *ser = serial_of(s, c);
    if (c->workers < 2 || c->wall.n == 0 || ser == NULL || c == ser || c->runs_ok == 0) return -1;
    int tasks = s->opt ? s->opt->tasks : 1;
    out->io = io_bound(s, c);
    out->possible = out->io ? (c->workers < tasks ? c->workers : tasks)
                    : gs_strategy_has(c->strategy, GS_SF_ONE_THREAD)
                        ? 1 /* one thread runs CPU work one task at a time */
                        : gs_capacity_possible(gs_session_capacity_of(s, c->workload), c->workers, tasks);
    if (!(out->possible > 0)) out->possible = 1;
    out->serial_s = ser->wall.median;
    out->wall_s = c->wall.median;
    out->ideal_s = out->serial_s / out->possible;
    out->lost_s = out->wall_s - out->ideal_s;
    out->serial_task_s = tasks > 0 ? out->serial_s / tasks : 0;
    if (out->lost_s <= 0) return 0;

    double startup = pos(c->pool_startup_s);
    if (startup > out->lost_s) startup = out->lost_s;
    out->part_s[GS_LOSS_STARTUP] = startup;
    double busy_wall = pos(out->wall_s - startup);

    /* Worker seconds per run beyond serial's, state by state. */
    double core = pos(per_run(c, GS_ST_WAIT_CORE) - per_run(ser, GS_ST_WAIT_CORE));
    double gil = pos(per_run(c, GS_ST_GIL) - per_run(ser, GS_ST_GIL));
    double lock = pos(per_run(c, GS_ST_LOCK) - per_run(ser, GS_ST_LOCK));
    double idle = pos(per_run(c, GS_ST_IDLE) - per_run(ser, GS_ST_IDLE));
    double other = pos(per_run(c, GS_ST_IO) + per_run(c, GS_ST_SLEEP) + per_run(c, GS_ST_OTHER) -
                       per_run(ser, GS_ST_IO) - per_run(ser, GS_ST_SLEEP) - per_run(ser, GS_ST_OTHER));
    double cpu = pos(per_run(c, GS_ST_ON_CPU) - per_run(ser, GS_ST_ON_CPU));

    /* Worker time the window held before each worker's first task and after
     * its last (start-up and shutdown); without task records, the time no
     * worker thread was seen alive. */
    double absent = outside_tasks(s, ci, c->workers);
    if (absent >= 0) {
        /* The sampler counts a live worker outside every task as idle: the
         * lead and tail are that idle time already. */
        double seen = absent;
        take(&idle, &seen);
    } else {
        absent = pos(c->workers * out->wall_s - (c->runs_ok ? c->states.lifetime_ns / 1e9 / c->runs_ok : 0));
    }
    /* While the pool starts, every worker is absent, idle or starting:
     * already counted as start-up wall time. */
    double during_startup = c->workers * startup;
    take(&absent, &during_startup);
    take(&idle, &during_startup);
    take(&cpu, &during_startup);
    /* Workers beyond the possible lanes wait anyway: not lost against the
     * ideal, which already counts only the lanes. */
    double lanes = out->possible;
    double expected = pos(c->workers - lanes) * busy_wall;
    take(&core, &expected);
    take(&idle, &expected);
    take(&absent, &expected);
    double waits = gil + lock + other;
    if (expected > 0 && waits > 0) {
        double f = expected < waits ? expected / waits : 1;
        gil -= gil * f, lock -= lock * f, other -= other * f;
    }

    double kernel = pos(median_sys(s, ci) - median_sys(s, (size_t)(ser - s->cells)));
    if (kernel > cpu) kernel = cpu;
    double parts[] = {[GS_LOSS_CORE] = core,   [GS_LOSS_GIL] = gil,
                      [GS_LOSS_LOCK] = lock,   [GS_LOSS_IDLE] = idle,
                      [GS_LOSS_KERNEL] = kernel, [GS_LOSS_DISPATCH] = cpu - kernel,
                      [GS_LOSS_OTHER] = other};
    out->part_s[GS_LOSS_STARTUP] += absent / lanes;
    double explained = out->part_s[GS_LOSS_STARTUP];
    for (int l = GS_LOSS_CORE; l <= GS_LOSS_OTHER; l++) {
        out->part_s[l] = parts[l] / lanes;
        explained += out->part_s[l];
    }
    /* The causes are estimated one by one and may overlap (a worker idle
     * during shutdown is also absent for part of it): when together they
     * exceed the lost time, each is scaled down alike so that the shares add
     * up; the raw sum stays in explained_s. */
    out->explained_s = explained;
    if (explained > out->lost_s)
        for (int l = GS_LOSS_STARTUP; l <= GS_LOSS_OTHER; l++) out->part_s[l] *= out->lost_s / explained;
    out->part_s[GS_LOSS_UNEXPLAINED] = explained > out->lost_s ? 0 : out->lost_s - explained;
    /* What going parallel cost per task beyond the task's own run: a lane's
     * wall time per task less the mean task as the workers timed it (its
     * waits for a core or the GIL included), so start-up, dispatch,
     * transfer and idling between tasks. Without task records, the
     * measured causes of that kind (never the unexplained rest). */
    if (tasks > 0 && c->task_mean_s > 0) {
        out->per_task_overhead_s = pos(out->wall_s * lanes / tasks - c->task_mean_s);
    } else if (tasks > 0) {
        double overhead = out->part_s[GS_LOSS_STARTUP] + out->part_s[GS_LOSS_IDLE] + out->part_s[GS_LOSS_KERNEL] +
                          out->part_s[GS_LOSS_DISPATCH];
        out->per_task_overhead_s = overhead * lanes / tasks;
    }
    return 0;
}

double gs_shortfall_share(const gs_shortfall *sf, gs_loss l) {
    return sf->lost_s > 0 && l < GS_LOSS_COUNT ? sf->part_s[l] / sf->lost_s : 0;
}

void gs_shortfall_ranked(const gs_shortfall *sf, gs_loss order[GS_LOSS_COUNT]) {
    for (int i = 0; i < GS_LOSS_COUNT; i++) order[i] = (gs_loss)i;
    for (int i = 1; i < GS_LOSS_COUNT; i++) /* insertion sort, stable: the table's order breaks ties */
        for (int j = i; j > 0 && sf->part_s[order[j]] > sf->part_s[order[j - 1]]; j--) {
            gs_loss t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
}

json_t *gs_shortfall_json(const gs_shortfall *sf, int *nonfinite) {
    json_t *parts = json_array();
    gs_loss order[GS_LOSS_COUNT];
    gs_shortfall_ranked(sf, order);
    for (int i = 0; sf->lost_s > 0 && i < GS_LOSS_COUNT; i++) {
        gs_loss l = order[i];
        if (l >= GS_LOSS_COUNT) continue;
        json_array_append_new(parts, json_pack("{s:s,s:o,s:o}", "cause", gs_loss_key(l), "s",
                                               gs_json_num(sf->part_s[l], nonfinite), "share",
                                               gs_json_num(gs_shortfall_share(sf, l), nonfinite)));
    }
    json_t *o = json_pack("{s:o,s:b,s:o,s:o,s:o,s:o}", "possible", gs_json_num(sf->possible, nonfinite), "io", sf->io,
                          "serial_s", gs_json_num(sf->serial_s, nonfinite), "wall_s", gs_json_num(sf->wall_s, nonfinite),
                          "ideal_s", gs_json_num(sf->ideal_s, nonfinite), "lost_s",
                          gs_json_num(sf->lost_s > 0 ? sf->lost_s : 0.0, nonfinite));
    json_object_set_new(o, "explained_s", gs_json_num(sf->explained_s, nonfinite));
    json_object_set_new(o, "per_task_overhead_s", gs_json_num(sf->per_task_overhead_s, nonfinite));
    json_object_set_new(o, "serial_task_s", gs_json_num(sf->serial_task_s, nonfinite));
    json_object_set_new(o, "parts", parts);
    return o;
}
