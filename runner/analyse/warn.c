#include "warn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CV_NOISY 0.05
#define SHORT_RUN_S 0.001
#define RUNS_FOR_95 6

static void push(json_t *a, const char *scope, const gs_session *s, const gs_cell *c, long w, const char *kind,
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
    json_object_set_new(o, "kind", json_string(kind));
    json_object_set_new(o, "message", json_string(msg));
    json_array_append_new(a, o);
}

static void machine(const gs_session *s, json_t *a) {
    json_t *load = json_object_get(s->metadata, "load_average");
    int cores = (int)json_integer_value(json_object_get(s->metadata, "cores"));
    double l1 = json_number_value(json_array_get(load, 0));
    if (json_is_array(load) && cores > 0 && l1 > cores * 0.5)
        push(a, "machine", s, NULL, -1, "load",
             "load average %.2f at start on %d cores: other work competes for the cores and adds noise; "
             "run gilscope on a quieter machine",
             l1, cores);
    const char *gov = json_string_value(json_object_get(s->metadata, "cpu_governor"));
    if (gov != NULL && strcmp(gov, "performance") != 0)
        push(a, "machine", s, NULL, -1, "governor",
             "CPU frequency governor \"%s\": frequency changes add noise; "
             "set \"performance\" (cpupower frequency-set -g performance)",
             gov);
}

static void cells(const gs_session *s, size_t w, json_t *a) {
    int few = 0;
    for (size_t i = 0; i < s->ncells; i++) {
        const gs_cell *c = &s->cells[i];
        if (c->workload != w || c->wall.n == 0) continue;
        if (c->wall.n < RUNS_FOR_95) few = (int)c->wall.n;
        double cv = c->wall.mean > 0 ? c->wall.stddev / c->wall.mean : 0;
        if (cv > CV_NOISY)
            push(a, "cell", s, c, (long)w, "noisy",
                 "%s × %d: runs vary by %.1f%% (coefficient of variation): close other programs, or raise "
                 "--runs",
                 gs_strategy_name(c->strategy), c->workers, cv * 100);
        if (c->outliers > 0)
            push(a, "cell", s, c, (long)w, "outliers",
                 "%s × %d: %zu outlier run%s (modified z-score above 3.5): something else ran meanwhile; "
                 "the median resists it, but rerun if it matters",
                 gs_strategy_name(c->strategy), c->workers, c->outliers, c->outliers == 1 ? "" : "s");
        if (c->wall.median < SHORT_RUN_S)
            push(a, "cell", s, c, (long)w, "short",
                 "%s × %d: runs of %.0f µs are too short to time well: raise %s",
                 gs_strategy_name(c->strategy), c->workers, c->wall.median * 1e6,
                 s->workloads[w].size_ignored ? "--tasks (the size does not change this workload)" : "--size or --tasks");
    }
    if (few > 0)
        push(a, "workload", s, NULL, (long)w, "few_runs",
             "%d measured runs per cell: the median's interval covers only %.1f%% (not 95%%); use --runs %d or more",
             few, (few > 1 ? 1.0 - 2.0 * gs_stats_binom_half_cdf((size_t)few, 0) : 0.0) * 100, RUNS_FOR_95);
}

json_t *gs_warnings(const gs_session *s, size_t w) {
    json_t *a = json_array();
    machine(s, a);
    for (size_t k = 0; k < s->nworkloads; k++)
        if (w == (size_t)-1 || w == k) cells(s, k, a);
    return a;
}
