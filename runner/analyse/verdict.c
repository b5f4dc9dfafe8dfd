#include "verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jsonnum.h"
#include "report_view.h"
#include "shortfall.h"

#define MATERIAL 0.15      /* a cause worth naming: this share of the lost time or more */
#define MAX_CAUSES 3       /* causes named in one clause */
#define NEAR_POSSIBLE 0.90 /* a speedup this close to the possible needs no excuse */
#define SMALL_TASK 0.5     /* "tasks too small": the per-task overhead is this part of a serial task or more */
#define GIL_LED 0.5        /* threads lose to the GIL: its share of their lost time */
#define DOMINANT_TASK 0.5  /* one task dominates: it takes this part of the cell's wall or more */
#define DOMINANT_RATIO 2.0 /* ... and this many times the median task or more */
#define CAPACITY_LOW 0.8   /* the machine delivered less than this part of its usable cores */
#define NO_CI_WIN 1.05     /* a win without an interval: this speedup or more */

/* A figure the reason cites, as JSON: null when not finite (counted in
 * v->nonfinite, which the report adds to its own count). */
static json_t *figure(gs_verdict *v, double x) { return gs_json_num(x, &v->nonfinite); }

static int cell_ok(const gs_cell *c) {
    return c->wall.n > 0 && c->speedup > 0 && !c->disagree && c->runs_failed == 0;
}

static int is_parallel(const gs_cell *c) { return !gs_strategy_has(c->strategy, GS_SF_BASELINE) && c->workers >= 2; }

static int wins(const gs_cell *c) { return c->speedup_lo > 0 ? c->speedup_lo > 1.0 : c->speedup >= NO_CI_WIN; }

static int overlaps(const gs_cell *a, const gs_cell *b) {
    if (a->speedup_lo > 0 && b->speedup_lo > 0) return a->speedup_hi >= b->speedup_lo && b->speedup_hi >= a->speedup_lo;
    double d = a->speedup > b->speedup ? a->speedup - b->speedup : b->speedup - a->speedup;
    return d <= 0.02 * (a->speedup > b->speedup ? a->speedup : b->speedup);
}

/* Appends a clause to the reason ("; " between clauses). */
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

/* Appends text to the last clause. */
static void more(gs_verdict *v, const char *fmt, ...) {
    size_t used = strlen(v->reason);
    va_list ap;
    va_start(ap, fmt);
    if (used + 1 < sizeof(v->reason)) vsnprintf(v->reason + used, sizeof(v->reason) - used, fmt, ap);
    va_end(ap);
}

static const char *dur(double s, char *buf, size_t cap) {
    gs_view_fmt_time(s, gs_view_time_unit(s), buf, cap);
    return buf;
}

static const char *label(const gs_cell *c, char *buf, size_t cap) { return gs_cell_label(c, buf, cap); }

/* "2×", "1.6×": a possible speedup. */
static const char *times(double x, char *buf, size_t cap) {
    if (x == (double)(long)x) snprintf(buf, cap, "%ld×", (long)x);
    else snprintf(buf, cap, "%.1f×", x);
    return buf;
}

/* The best measured parallel cell of workload w, or -1. */
static int best_parallel(const gs_session *s, size_t w) {
    int best = -1;
    for (size_t i = 0; i < s->ncells; i++) {
        const gs_cell *c = &s->cells[i];
        if (c->workload == w && cell_ok(c) && is_parallel(c) && (best < 0 || c->speedup > s->cells[best].speedup))
            best = (int)i;
    }
    return best;
}

/* The answer among the cells tied with top: the fewest workers, then the
 * fastest. */
static int answer_of(const gs_session *s, size_t w, int top) {
    int a = top;
    for (size_t i = 0; i < s->ncells; i++) {
        const gs_cell *c = &s->cells[i], *b = &s->cells[a];
        if (c->workload != w || !cell_ok(c) || !is_parallel(c) || !wins(c) || !overlaps(c, &s->cells[top])) continue;
        if (c->workers < b->workers || (c->workers == b->workers && c->speedup > b->speedup)) a = (int)i;
    }
    return a;
}

/* One task dominates cell c: its longest task takes half its wall and
 * twice the median task (one task per worker, all alike, is no imbalance). */
static int dominated(const gs_session *s, const gs_cell *c) {
    return c->task_slowest >= 0 && s->opt->tasks >= 2 && c->task_max_s >= DOMINANT_TASK * c->wall.median &&
           c->task_max_s >= DOMINANT_RATIO * c->task_median_s;
}

/* " (1 usable core)", " (the cores delivered 1.1 of 2)": why the possible
 * is below the worker count, when the machine is why. */
static void why_possible(const gs_session *s, const gs_cell *c, const gs_shortfall *sf, gs_verdict *v) {
    if (sf->io) return;
    const gs_capacity *cap = gs_session_capacity_of(s, c->workload);
    int usable = cap->limits.usable;
    double delivered = gs_capacity_value(cap);
    if (cap->n > 0 && delivered < CAPACITY_LOW * usable) {
        more(v, " (the cores delivered %.1f of %d)", delivered, usable);
        json_object_set_new(v->figures, "capacity", figure(v, delivered));
    } else if (usable < c->workers) {
        more(v, " (%d usable core%s)", usable, usable == 1 ? "" : "s");
    }
    json_object_set_new(v->figures, "usable_cores", json_integer(usable));
}

/* Why cell c is short of its possible speedup, from its shortfall,
 * continuing the current clause (which already gives c's speedup). */
static void explain(const gs_session *s, const gs_cell *c, const gs_shortfall *sf, gs_verdict *v) {
    char b1[32], b2[64], b3[32];
    json_object_set_new(v->figures, "possible_speedup", figure(v, sf->possible));
    json_object_set_new(v->figures, "lost_s", figure(v, sf->lost_s > 0 ? sf->lost_s : 0));
    more(v, "%sof %s possible", v->reason[0] ? " " : "", times(sf->possible, b1, sizeof(b1)));
    why_possible(s, c, sf, v);
    if (c->speedup >= NEAR_POSSIBLE * sf->possible) return;
    /* Workers idle behind one long task are imbalance, not overhead: the
     * dominant-task clause says so instead. */
    if (!dominated(s, c) && sf->serial_task_s > 0 && sf->per_task_overhead_s >= SMALL_TASK * sf->serial_task_s) {
        add(v, "tasks too small: each costs %s of overhead under %s against %s of work",
            dur(sf->per_task_overhead_s, b1, sizeof(b1)), label(c, b2, sizeof(b2)),
            dur(sf->serial_task_s, b3, sizeof(b3)));
        json_object_set_new(v->figures, "per_task_overhead_s", figure(v, sf->per_task_overhead_s));
        json_object_set_new(v->figures, "serial_task_s", figure(v, sf->serial_task_s));
        return;
    }
    gs_loss order[GS_LOSS_COUNT];
    gs_shortfall_ranked(sf, order);
    int named = 0;
    for (int i = 0; i < GS_LOSS_COUNT && named < MAX_CAUSES; i++) {
        double share = gs_shortfall_share(sf, order[i]);
        if (share < MATERIAL) break;
        if (order[i] == GS_LOSS_UNEXPLAINED) continue;
        more(v, "%s %s %.0f%%", named ? "," : ", lost to", gs_loss_label(order[i]), 100 * share);
        named++;
    }
    double unexplained = gs_shortfall_share(sf, GS_LOSS_UNEXPLAINED);
    if (named > 0 && unexplained >= MATERIAL) more(v, " (%.0f%% unexplained)", 100 * unexplained);
    else if (named == 0 && unexplained >= MATERIAL) more(v, ", the lost time unexplained");
    else if (named == 0) more(v, ", lost to no single cause");
}

/* Threads lose to the GIL: said of the best thread cell that is not the
 * one already explained, when the GIL leads its shortfall. */
static void clause_gil(const gs_session *s, size_t w, int explained, gs_verdict *v) {
    int t = -1;
    for (size_t i = 0; i < s->ncells; i++) {
        const gs_cell *c = &s->cells[i];
        if (c->workload == w && cell_ok(c) && is_parallel(c) && gs_strategy_has(c->strategy, GS_SF_THREADS) &&
            (t < 0 || c->speedup > s->cells[t].speedup))
            t = (int)i;
    }
    gs_shortfall sf;
    if (t < 0 || t == explained || gs_shortfall_of(s, (size_t)t, &sf) != 0 || sf.io) return;
    gs_loss order[GS_LOSS_COUNT];
    gs_shortfall_ranked(&sf, order);
    double share = gs_shortfall_share(&sf, GS_LOSS_GIL);
    if (order[0] != GS_LOSS_GIL || share < GIL_LED) return;
    char b[64];
    add(v, "GIL-bound: %s reached %.2f×, %.0f%% of its lost time waiting for the GIL", label(&s->cells[t], b, sizeof(b)),
        s->cells[t].speedup, 100 * share);
    json_object_set_new(v->figures, "gil_bound_speedup", figure(v, s->cells[t].speedup));
    json_object_set_new(v->figures, "gil_share_of_lost", figure(v, share));
}

static void clause_dominant(const gs_session *s, const gs_cell *c, gs_verdict *v) {
    if (!dominated(s, c)) return;
    char b1[32], b2[32];
    add(v, "one task dominates: task %d takes %s of the %s wall", c->task_slowest, dur(c->task_max_s, b1, sizeof(b1)),
        dur(c->wall.median, b2, sizeof(b2)));
    json_object_set_new(v->figures, "task_max_s", figure(v, c->task_max_s));
}

int gs_verdict_decide(const gs_session *s, size_t w, gs_verdict *v) {
    memset(v, 0, sizeof(*v));
    v->workload = w;
    v->figures = json_object();
    v->best = -1;
    /* An experiment (MEASURES) answers with its figures and its sentence, not
     * with a best strategy. */
    if (s->workloads[w].measures != NULL) return -1;
    int serial = -1;
    for (size_t i = 0; i < s->ncells; i++)
        if (s->cells[i].workload == w && cell_ok(&s->cells[i]) && gs_strategy_has(s->cells[i].strategy, GS_SF_BASELINE))
            serial = (int)i;
    int top = best_parallel(s, w);
    char b[64];
    gs_shortfall sf;
    int explained = -1;
    if (top >= 0 && wins(&s->cells[top])) {
        v->best = answer_of(s, w, top);
        for (size_t i = 0; i < s->ncells && v->ntie < (int)(sizeof(v->tie) / sizeof(v->tie[0])); i++) {
            const gs_cell *c = &s->cells[i];
            if ((int)i != v->best && c->workload == w && cell_ok(c) && is_parallel(c) && wins(c) &&
                overlaps(c, &s->cells[top]))
                v->tie[v->ntie++] = (int)i;
        }
        explained = v->best;
        if (gs_shortfall_of(s, (size_t)v->best, &sf) == 0) explain(s, &s->cells[v->best], &sf, v);
    } else if (top >= 0) {
        v->best = serial >= 0 ? serial : top;
        const gs_cell *c = &s->cells[top];
        if (c->speedup < 0.01) {
            add(v, "nothing beats serial: the best parallel cell, %s, reached <0.01×", label(c, b, sizeof(b)));
        } else {
            add(v, "nothing beats serial: the best parallel cell, %s, reached %.2f×", label(c, b, sizeof(b)), c->speedup);
            if (c->speedup_lo > 0) more(v, " [%.2f, %.2f]", c->speedup_lo, c->speedup_hi);
        }
        explained = top;
        if (gs_shortfall_of(s, (size_t)top, &sf) == 0) explain(s, c, &sf, v);
    } else if (serial >= 0) {
        v->best = serial;
        int others = 0;
        for (size_t i = 0; i < s->ncells; i++)
            others += s->cells[i].workload == w && (int)i != serial && cell_ok(&s->cells[i]);
        add(v, others ? "no parallel cell (two or more workers) was measured" : "only serial was measured");
    } else {
        for (size_t i = 0; i < s->ncells; i++)
            if (s->cells[i].workload == w && cell_ok(&s->cells[i]) &&
                (v->best < 0 || s->cells[i].speedup > s->cells[v->best].speedup))
                v->best = (int)i;
        if (v->best < 0) {
            snprintf(v->reason, sizeof(v->reason), "no strategy was measured");
            return -1;
        }
        add(v, "serial was not measured: no speedup to judge");
    }
    json_object_set_new(v->figures, "best_speedup", figure(v, s->cells[v->best].speedup));
    if (explained >= 0) clause_dominant(s, &s->cells[explained], v);
    clause_gil(s, w, explained, v);
    return 0;
}

static json_t *cell_ref(const gs_session *s, int i, int *nonfinite) {
    const gs_cell *c = &s->cells[i];
    json_t *o = json_pack("{s:s,s:i,s:o}", "strategy", gs_strategy_name(c->strategy), "workers", c->workers,
                          "speedup", gs_json_num(c->speedup, nonfinite));
    json_object_set_new(o, "start_method", c->start_method ? json_string(c->start_method) : json_null());
    json_object_set_new(o, "chunksize", c->chunksize > 0 ? json_integer(c->chunksize) : json_null());
    json_object_set_new(o, "ci_low", c->speedup_lo > 0 ? gs_json_num(c->speedup_lo, nonfinite) : json_null());
    json_object_set_new(o, "ci_high", c->speedup_lo > 0 ? gs_json_num(c->speedup_hi, nonfinite) : json_null());
    return o;
}

json_t *gs_verdict_json(const gs_session *s, const gs_verdict *v, int *nonfinite) {
    if (nonfinite) *nonfinite += v->nonfinite; /* those among the figures */
    json_t *o = json_object();
    json_object_set_new(o, "workload", json_string(s->workloads[v->workload].name));
    json_object_set_new(o, "best", v->best >= 0 ? cell_ref(s, v->best, nonfinite) : json_null());
    json_t *tie = json_array();
    for (int i = 0; i < v->ntie; i++) json_array_append_new(tie, cell_ref(s, v->tie[i], nonfinite));
    json_object_set_new(o, "tie", tie);
    json_object_set_new(o, "reason", json_string(v->reason));
    json_object_set_new(o, "figures", json_incref(v->figures));
    return o;
}

void gs_verdict_free(gs_verdict *v) {
    json_decref(v->figures);
    v->figures = NULL;
}
