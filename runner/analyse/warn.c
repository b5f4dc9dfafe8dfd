#include "warn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CV_NOISY 0.05
#define SHORT_RUN_S 0.001
#define RUNS_FOR_95 6
#define COLD_RATIO 1.2     /* a worker's first tasks this many times as long as its last: cold code */
#define CAPACITY_LOW 0.8   /* the cores delivered less than this part of the usable cores */
#define CAPACITY_MOVED 0.15 /* the capacity moved by more than this part of its largest value */

/* "threads × 2", "mp_pool × 2 chunk 4": a cell as a warning's message names it. */
static const char *who(const gs_cell *c, char *buf, size_t cap) {
    int n = snprintf(buf, cap, "%s × %d", gs_strategy_name(c->strategy), c->workers);
    if (c->chunksize > 0 && n >= 0 && (size_t)n < cap) snprintf(buf + n, cap - (size_t)n, " chunk %d", c->chunksize);
    return buf;
}
#define WHO(c) who((c), (char[96]){0}, 96)

/* Appends a warning; its cause is its kind until grouped says otherwise.
 * Returns it. */
__attribute__((format(printf, 7, 8))) static json_t *push(json_t *a, const char *scope, const gs_session *s, const gs_cell *c, long w, const char *kind,
                    const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    json_t *o = json_object();
    json_object_set_new(o, "scope", json_string(scope));
    json_object_set_new(o, "workload", w >= 0 ? json_string(s->workloads[w].name) : json_null());
    json_object_set_new(o, "strategy", c ? json_string(gs_strategy_name(c->strategy)) : json_null());
    json_object_set_new(o, "workers", c ? json_integer(c->workers) : json_null());
    if (c && c->chunksize > 0) json_object_set_new(o, "chunksize", json_integer(c->chunksize));
    json_object_set_new(o, "kind", json_string(kind));
    json_object_set_new(o, "cause", json_string(kind));
    json_object_set_new(o, "message", json_string(msg));
    json_array_append_new(a, o);
    return o;
}

/* Makes warning o one of its cause's group: finding and fix are the same for
 * every warning of the cause, detail is this one's figure (NULL: none). */
__attribute__((format(printf, 5, 6))) static void grouped(json_t *o, const char *cause, const char *finding, const char *fix, const char *detail_fmt, ...) {
    char detail[128];
    va_list ap;
    va_start(ap, detail_fmt);
    vsnprintf(detail, sizeof(detail), detail_fmt, ap);
    va_end(ap);
    json_object_set_new(o, "cause", json_string(cause));
    json_object_set_new(o, "finding", json_string(finding));
    json_object_set_new(o, "fix", json_string(fix));
    json_object_set_new(o, "detail", *detail ? json_string(detail) : json_null());
}

static void machine(const gs_session *s, json_t *a) {
    json_t *load = json_object_get(s->metadata, "load_average");
    int cores = (int)json_integer_value(json_object_get(s->metadata, "cores"));
    double l1 = json_number_value(json_array_get(load, 0));
    if (json_is_array(load) && cores > 0 && l1 > cores * 0.5)
        push(a, "machine", s, NULL, -1, "load",
             "load average %.2f at start on %d core%s: other work competes for the cores and adds noise; "
             "run gilscope on a quieter machine",
             l1, cores, cores == 1 ? "" : "s");
    const char *gov = json_string_value(json_object_get(s->metadata, "cpu_governor"));
    if (gov != NULL && strcmp(gov, "performance") != 0)
        push(a, "machine", s, NULL, -1, "governor",
             "CPU frequency governor \"%s\": frequency changes add noise; "
             "set \"performance\" (cpupower frequency-set -g performance)",
             gov);
    const gs_capacity *cap = &s->capacity;
    if (cap->n >= 2 && cap->max > 0 && cap->max - cap->min > CAPACITY_MOVED * cap->max)
        push(a, "machine", s, NULL, -1, "capacity_moved",
             "the cores delivered between %.2f and %.2f during the session (%d measurements, a move of %.0f%%): "
             "the load changed while runs were measured (another program, a host sharing its vCPUs); each "
             "workload is judged by what the cores delivered around its own runs, but rerun on a quieter "
             "machine if it matters",
             cap->min, cap->max, cap->n, 100 * (cap->max - cap->min) / cap->max);
}

/* The cores delivered less than 80% of the usable cores around workload
 * w's runs: its speedups are judged against what they delivered. */
static void capacity(const gs_session *s, size_t w, json_t *a) {
    const gs_capacity *cap = &s->workloads[w].capacity;
    int usable = cap->limits.usable;
    if (cap->n == 0 || usable < 1 || cap->max >= CAPACITY_LOW * usable) return;
    double l1 = json_number_value(json_array_get(json_object_get(s->metadata, "load_average"), 0));
    char causes[160];
    if (l1 > 0.5) snprintf(causes, sizeof(causes), "other programs (load average %.2f at start), a CPU quota or a host sharing its vCPUs", l1);
    else snprintf(causes, sizeof(causes), "other programs, a CPU quota or a host sharing its vCPUs");
    grouped(push(a, "workload", s, NULL, (long)w, "capacity_low",
                 "the cores delivered at most %.2f of %d usable while it ran: likely %s; speedups are judged "
                 "against what they delivered",
                 cap->max, usable, causes),
            "capacity_low", "the cores delivered less than 80% of the usable cores while they ran",
            "likely other programs, a CPU quota or a host sharing its vCPUs; speedups are judged against what "
            "they delivered",
            "%.2f of %d", cap->max, usable);
}

/* A free-threaded interpreter that started without its GIL but ran some
 * runs of workload w with it (the workload imported an extension module
 * without free-threading support, which turns the GIL on, or set
 * PYTHON_GIL): the sampler, told there was no GIL, counted its waits as
 * lock waits. */
static void gil_taken(const gs_session *s, size_t w, json_t *a) {
    if (!json_is_false(json_object_get(json_object_get(s->hello, "python"), "gil_enabled"))) return;
    for (size_t i = 0; i < s->ncells; i++) {
        const gs_cell *c = &s->cells[i];
        int with = 0, of = 0;
        for (size_t k = 0; c->workload == w && k < s->nruns; k++) {
            const gs_run *r = &s->runs[k];
            if (r->cell != i || r->status != GS_RUN_OK || r->gil_enabled < 0) continue;
            of++;
            with += r->gil_enabled;
        }
        if (with == 0) continue;
        grouped(push(a, "cell", s, c, (long)w, "gil_taken",
                     "%s: the GIL was enabled in %d of %d runs on this free-threaded interpreter (an extension "
                     "module without free-threading support turns it on, as does PYTHON_GIL=1): their GIL waits are "
                     "counted as lock waits",
                     WHO(c), with, of),
                "gil_taken", "the GIL was enabled during runs on a free-threaded interpreter (an extension module "
                "without free-threading support turns it on, as does PYTHON_GIL=1)",
                "their GIL waits are counted as lock waits; see which module with python -X gil=0 -W default",
                "%d of %d runs", with, of);
    }
}

/* Runs of workload w that left processes running after they ended: each
 * named with its pids and command lines (gilscope ended them). */
static void leftovers(const gs_session *s, size_t w, json_t *a) {
    for (size_t i = 0; i < s->nruns; i++) {
        const gs_run *r = &s->runs[i];
        const gs_cell *c = &s->cells[r->cell];
        if (c->workload != w || r->leftover <= 0) continue;
        char names[400] = "";
        size_t len = 0, k, named = 0;
        json_t *p;
        json_array_foreach(r->leftovers, k, p) { /* whole entries only: a cut could split a character */
            char one[300];
            snprintf(one, sizeof(one), "%spid %d (%s)", k ? ", " : "", (int)json_integer_value(json_object_get(p, "pid")),
                     json_string_value(json_object_get(p, "command")));
            if (len + strlen(one) + 24 >= sizeof(names)) break;
            memcpy(names + len, one, strlen(one) + 1);
            len += strlen(one);
            named++;
        }
        if ((int)named < r->leftover) snprintf(names + len, sizeof(names) - len, "%sand %d more", named ? " " : "",
                                                r->leftover - (int)named);
        grouped(push(a, "cell", s, c, (long)w, "leftovers",
                     "%s: run %d left %d process%s running after it ended: %s; gilscope ended them",
                     WHO(c), r->repetition, r->leftover, r->leftover == 1 ? "" : "es",
                     names),
                "leftovers", "runs left processes running after they ended",
                "gilscope ended them (SIGTERM, then SIGKILL); a workload should wait for what it starts", "%s", names);
    }
}

static void cells(const gs_session *s, size_t w, json_t *a) {
    int few = 0;
    /* An experiment's wall time is not its measurement (convoy runs for a
     * fixed time): its spread, outliers and run count say nothing of its
     * figures. */
    if (s->workloads[w].measures != NULL) {
        gil_taken(s, w, a);
        return;
    }
    for (size_t i = 0; i < s->ncells; i++) {
        const gs_cell *c = &s->cells[i];
        if (c->workload != w || c->wall.n == 0) continue;
        if (c->wall.n < RUNS_FOR_95) few = (int)c->wall.n;
        double cv = c->wall.mean > 0 ? c->wall.stddev / c->wall.mean : 0;
        if (cv > CV_NOISY)
            grouped(push(a, "cell", s, c, (long)w, "noisy",
                         "%s: runs vary by %.1f%% (coefficient of variation): close other programs, or "
                         "raise --runs",
                         WHO(c), cv * 100),
                    "noisy", "runs vary by more than 5% (coefficient of variation)",
                    "close other programs, or raise --runs", "%.1f%%", cv * 100);
        /* Below 6 runs a modified z-score calls ordinary spread an outlier. */
        if (c->outliers > 0 && c->wall.n >= RUNS_FOR_95)
            grouped(push(a, "cell", s, c, (long)w, "outliers",
                         "%s: %zu outlier run%s (modified z-score above 3.5): something else ran "
                         "meanwhile; the median resists it, but rerun if it matters",
                         WHO(c), c->outliers, c->outliers == 1 ? "" : "s"),
                    "outliers", "outlier runs (modified z-score above 3.5)",
                    "something else ran meanwhile; the median resists it, but rerun if it matters",
                    "%zu of %zu runs", c->outliers, c->wall.n);
        if (c->cold_ratio >= COLD_RATIO)
            grouped(push(a, "cell", s, c, (long)w, "cold_code",
                         "%s: each worker's first tasks took %.2f× as long as its last ones: cold code (the "
                         "fresh interpreter specialising and caching as it goes) weighs on this cell; raise --tasks so "
                         "that warm tasks dominate",
                         WHO(c), c->cold_ratio),
                    "cold_code", "each worker's first tasks ran markedly slower than its last ones (cold code)",
                    "raise --tasks so that warm tasks dominate, or speedups compare cold code with warm",
                    "%.2f×", c->cold_ratio);
        if (c->wall.median < SHORT_RUN_S) {
            int fixed = s->workloads[w].size_ignored;
            grouped(push(a, "cell", s, c, (long)w, "short", "%s: runs of %.0f µs are too short to time well: raise %s",
                         WHO(c), c->wall.median * 1e6,
                         fixed ? "--tasks (the size does not change this workload)" : "--size or --tasks"),
                    fixed ? "short_size_free" : "short", "runs too short to time well (median under 1 ms)",
                    fixed ? "raise --tasks (the size does not change these workloads)" : "raise --size or --tasks",
                    "%.0f µs", c->wall.median * 1e6);
        }
    }
    gil_taken(s, w, a);
    if (few > 0) {
        double covers = (few > 1 ? 1.0 - 2.0 * gs_stats_binom_half_cdf((size_t)few, 0) : 0.0) * 100;
        grouped(push(a, "workload", s, NULL, (long)w, "few_runs",
                     "%d measured runs per cell: the median's interval covers only %.1f%% (not 95%%); use --runs %d "
                     "or more",
                     few, covers, RUNS_FOR_95),
                "few_runs", "too few runs per cell for a 95% interval of the median", "use --runs 6 or more",
                "%d runs: %.1f%%", few, covers);
    }
}

json_t *gs_warnings(const gs_session *s, size_t w) {
    json_t *a = json_array();
    machine(s, a);
    for (size_t k = 0; k < s->nworkloads; k++)
        if (w == (size_t)-1 || w == k) {
            capacity(s, k, a);
            cells(s, k, a);
            leftovers(s, k, a);
        }
    return a;
}
