#include "lesson.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_view.h"
#include "shortfall.h"

#define GS_LESSON_DECLARE(id, name, title, seconds, plan, text) \
    void plan(gs_lesson_plan *p, int cores);                     \
    int text(json_t *report, json_t *paras);
GS_LESSONS(GS_LESSON_DECLARE)
#undef GS_LESSON_DECLARE

#define GS_LESSON_ROW(id, name, title, seconds, plan, text) [id] = {name, title, seconds, plan, text},
static const gs_lesson_info table[GS_LESSON_COUNT] = {GS_LESSONS(GS_LESSON_ROW)};
#undef GS_LESSON_ROW

const gs_lesson_info *gs_lesson_get(gs_lesson l) { return l >= 0 && l < GS_LESSON_COUNT ? &table[l] : NULL; }

int gs_lesson_find(const char *name) {
    for (int l = 0; name && l < GS_LESSON_COUNT; l++)
        if (strcmp(table[l].name, name) == 0) return l;
    return -1;
}

void gs_lesson_plan_add(gs_lesson_plan *p, const char *arg) {
    if (p->argc < GS_LESSON_ARGS_MAX) p->argv[p->argc++] = arg;
}

void gs_lesson_plan_add_all(gs_lesson_plan *p, const char *const *args, size_t n) {
    for (size_t i = 0; i < n; i++) gs_lesson_plan_add(p, args[i]);
}

void gs_lesson_plan_add_int(gs_lesson_plan *p, long v) {
    if (p->nbuf >= (int)(sizeof(p->buf) / sizeof(p->buf[0]))) return;
    char *b = p->buf[p->nbuf++];
    snprintf(b, sizeof(p->buf[0]), "%ld", v);
    gs_lesson_plan_add(p, b);
}

json_t *gs_lesson_json(gs_lesson l, json_t *report) {
    const gs_lesson_info *i = gs_lesson_get(l);
    if (i == NULL) return NULL;
    json_t *paras = json_array();
    int ok = i->text(report, paras) == 0;
    return json_pack("{s:s,s:s,s:o,s:b}", "name", i->name, "title", i->title, "paragraphs", paras, "complete", ok);
}

void gs_lesson_say(json_t *paras, const char *fmt, ...) {
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    gs_utf8_trim(buf);
    json_array_append_new(paras, json_string(buf));
}

json_t *gs_lesson_cell(json_t *report, const char *workload, const char *strategy) {
    return gs_lesson_chunk_cell(report, workload, strategy, -1);
}

json_t *gs_lesson_chunk_cell(json_t *report, const char *workload, const char *strategy, long chunksize) {
    json_t *best = NULL, *c;
    size_t i;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        if (strcmp(gs_jstr(c, "workload"), workload) != 0 || strcmp(gs_jstr(c, "strategy"), strategy) != 0) continue;
        if (chunksize >= 0 && gs_view_chunksize(c) != chunksize) continue;
        if (!json_is_object(json_object_get(c, "wall_s"))) continue;
        if (best == NULL ||
            json_integer_value(json_object_get(c, "workers")) > json_integer_value(json_object_get(best, "workers")))
            best = c;
    }
    return best;
}

int gs_lesson_race_cells(json_t *report, json_t *paras, const char *workload, json_t **t, json_t **p) {
    *t = gs_lesson_cell(report, workload, "threads");
    *p = gs_lesson_cell(report, workload, "processes");
    if (gs_lesson_cell(report, workload, "serial") != NULL && *t != NULL && *p != NULL) return 0;
    gs_lesson_say(paras, "This run has no measured serial, threads and processes cells of the %s workload, which this "
                         "lesson reads; the table above says why.", workload);
    return -1;
}

double gs_lesson_state(json_t *c, const char *key) {
    json_t *st = json_object_get(c, "states");
    return json_is_object(st) && json_is_number(json_object_get(st, key)) ? gs_jnum(st, key) : -1;
}

int gs_lesson_interval(json_t *c, double *lo, double *hi) {
    json_t *sp = json_object_get(c, "speedup");
    if (!json_is_number(json_object_get(sp, "ci_low")) || !json_is_number(json_object_get(sp, "ci_high"))) return -1;
    *lo = gs_jnum(sp, "ci_low");
    *hi = gs_jnum(sp, "ci_high");
    return 0;
}

int gs_lesson_has_interval(json_t *c) {
    double lo, hi;
    return gs_lesson_interval(c, &lo, &hi) == 0;
}

const char *gs_lesson_why_neither(json_t *a, json_t *b) {
    return gs_lesson_has_interval(a) && gs_lesson_has_interval(b) ? "their speedup intervals overlap"
                                                                  : "too few runs for a speedup interval";
}

int gs_lesson_faster(json_t *a, json_t *b) {
    double la, ha, lb, hb;
    return gs_lesson_interval(a, &la, &ha) == 0 && gs_lesson_interval(b, &lb, &hb) == 0 && la > hb;
}

int gs_lesson_one_core(json_t *report, json_t *p, json_t *t) {
    json_t *m = json_object_get(json_object_get(report, "metadata"), "machine");
    if (json_integer_value(json_object_get(m, "usable")) == 1) return 1; /* affinity or quota */
    double delivered, lo, hi;
    if (gs_lesson_usable_cores(report, &delivered) >= 2) return 0;
    /* only the capacity measured says one core: unless a speedup shows more */
    json_t *cells[] = {p, t};
    for (size_t i = 0; i < 2; i++)
        if (cells[i] && gs_lesson_interval(cells[i], &lo, &hi) == 0 && lo > 1.0) return 0;
    return 1;
}

int gs_lesson_usable_cores(json_t *report, double *delivered) {
    json_t *m = json_object_get(json_object_get(report, "metadata"), "machine");
    int usable = (int)json_integer_value(json_object_get(m, "usable"));
    if (usable < 1) usable = (int)json_integer_value(json_object_get(json_object_get(report, "metadata"), "cores"));
    if (usable < 1) usable = 1;
    json_t *cap = json_object_get(m, "capacity");
    *delivered = json_is_number(json_object_get(cap, "mean")) ? gs_jnum(cap, "mean") : -1;
    if (*delivered > 0 && *delivered < usable - 0.5) {
        int d = (int)floor(*delivered + 0.25); /* 1.8 cores delivered is two that work */
        usable = d < 1 ? 1 : d;
    }
    return usable;
}

int gs_lesson_gil_enabled(json_t *report) {
    json_t *meta = json_object_get(report, "metadata");
    json_t *g = json_object_get(json_object_get(meta, "python"), "gil_enabled");
    if (!json_is_boolean(g)) g = json_object_get(meta, "gil_enabled");
    return !json_is_false(g);
}

void gs_lesson_fmt_cores(json_t *report, char *buf, size_t cap) {
    json_t *m = json_object_get(json_object_get(report, "metadata"), "machine");
    double delivered;
    int usable = gs_lesson_usable_cores(report, &delivered);
    int cores = (int)json_integer_value(json_object_get(m, "cores"));
    int affinity = (int)json_integer_value(json_object_get(m, "affinity"));
    char n[32];
    if (usable == 1) snprintf(n, sizeof(n), "one usable core");
    else snprintf(n, sizeof(n), "%d usable cores", usable);
    if (usable == 1 && affinity == 1 && cores > 1)
        snprintf(buf, cap, "%s: the process was allowed 1 of the machine's %d cores (CPU affinity)", n, cores);
    else if (delivered > 0 && delivered < (double)json_integer_value(json_object_get(m, "usable")) - 0.5)
        snprintf(buf, cap, "%s: the machine delivered %.2f cores' worth of CPU time while it ran", n, delivered);
    else
        snprintf(buf, cap, "%s", n);
}

void gs_lesson_say_one_core(json_t *paras, json_t *report, json_t *p, json_t *t) {
    char cores[200], ps[64], ts[64];
    gs_lesson_fmt_cores(report, cores, sizeof(cores));
    gs_view_fmt_speedup(p, 1, ps, sizeof(ps));
    gs_view_fmt_speedup(t, 1, ts, sizeof(ts));
    gs_lesson_say(paras, "This run had %s. One core cannot show a parallel speedup: %lld processes ran at %s and "
                         "%lld threads at %s, and neither can beat 1× when only one of them runs at a time. Run the "
                         "lesson where two or more cores are free to see what parallel work buys.",
                  cores, (long long)json_integer_value(json_object_get(p, "workers")), ps,
                  (long long)json_integer_value(json_object_get(t, "workers")), ts);
}

int gs_lesson_workers(int cores) { return cores < 2 ? 2 : cores > 4 ? 4 : cores; }

void gs_lesson_plan_parallel(gs_lesson_plan *p, const char *workload, const char *strategies, int cores) {
    int w = gs_lesson_workers(cores);
    const char *fixed[] = {"-W", workload, "--strategies", strategies, "--runs", "6", "--warmup", "1",
                           "--tasks", "8", "--size", "auto", "--target-time", "0.4", "--workers"};
    GS_LESSON_PLAN_ADD_ALL(p, fixed);
    gs_lesson_plan_add_int(p, w);
}

/* The largest cause of a cell's lost time ("pool start-up and shutdown"),
 * with its share, into buf; -1 when the cell lost nothing. */
int gs_lesson_fmt_largest_loss(json_t *c, char *buf, size_t cap) {
    json_t *sf = json_object_get(c, "shortfall");
    json_t *first = json_array_get(json_object_get(sf, "parts"), 0);
    if (first == NULL || gs_jnum(sf, "lost_s") <= 0 || gs_jnum(first, "share") <= 0) return -1;
    int l = gs_loss_from_key(gs_jstr(first, "cause"));
    char share[16];
    gs_view_fmt_share(gs_jnum(first, "share"), share, sizeof(share));
    snprintf(buf, cap, "%s (%s of it)", l >= 0 ? gs_loss_label((gs_loss)l) : gs_jstr(first, "cause"), share);
    return 0;
}

/* The column of key among the workload's measures, or -1. */
static int measure_column(json_t *report, const char *workload, const char *key) {
    json_t *m;
    size_t i;
    json_array_foreach(json_object_get(gs_view_workload(report, workload), "measures"), i, m) {
        if (strcmp(gs_jstr(m, "key"), key) == 0) return (int)i;
    }
    return -1;
}

/* The first row of the measured run whose measure key satisfies match(v, arg). */
static json_t *row_where(json_t *report, const char *workload, const char *key, int (*match)(json_t *, const void *),
                         const void *arg) {
    json_t *c = gs_lesson_cell(report, workload, "serial"), *row;
    int col = measure_column(report, workload, key);
    size_t i;
    if (col < 0) return NULL;
    json_array_foreach(json_object_get(json_object_get(c, "measured"), "values"), i, row) {
        if (match(json_array_get(row, (size_t)col), arg)) return row;
    }
    return NULL;
}

static int is_name(json_t *v, const void *name) {
    return json_is_string(v) && strcmp(json_string_value(v), (const char *)name) == 0;
}

static int is_number(json_t *v, const void *value) {
    return json_is_number(v) && json_number_value(v) == *(const double *)value;
}

json_t *gs_lesson_row(json_t *report, const char *workload, const char *name_key, const char *name) {
    return row_where(report, workload, name_key, is_name, name);
}

json_t *gs_lesson_row_num(json_t *report, const char *workload, const char *key, double value) {
    return row_where(report, workload, key, is_number, &value);
}

double gs_lesson_figure(json_t *report, const char *workload, json_t *row, const char *key) {
    int col = measure_column(report, workload, key);
    json_t *v = col >= 0 ? json_array_get(row, (size_t)col) : NULL;
    return json_is_number(v) ? json_number_value(v) : NAN;
}
