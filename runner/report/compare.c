#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "report_view.h"
#include "stats.h"
#include "tabwriter.h"

#define MIN_RUNS 3
#define MAX_RUNS 4096

#define str gs_jstr

/* Whether two entries come from the same source: both from a plain report,
 * or both carrying the same label of a merged one. */
static int same_source(json_t *a, json_t *b) {
    json_t *x = json_object_get(a, "source"), *y = json_object_get(b, "source");
    return x == NULL ? y == NULL : y != NULL && json_equal(x, y);
}

/* The measured strategy walls of the cell c in a report; returns how many. */
static size_t walls(json_t *report, json_t *c, double *out) {
    const char *wl = str(c, "workload"), *st = str(c, "strategy");
    json_int_t workers = json_integer_value(json_object_get(c, "workers"));
    size_t n = 0, i;
    json_t *r;
    json_array_foreach(json_object_get(report, "runs"), i, r) {
        if (n == MAX_RUNS || strcmp(str(r, "status"), "ok") != 0 || json_is_true(json_object_get(r, "warmup")) ||
            json_is_true(json_object_get(r, "diagnostic")))
            continue;
        if (strcmp(str(r, "workload"), wl) || strcmp(str(r, "strategy"), st) ||
            json_integer_value(json_object_get(r, "workers")) != workers || !same_source(r, c))
            continue;
        out[n++] = json_number_value(json_object_get(r, "strategy_wall_s"));
    }
    return n;
}

static json_t *find_cell(json_t *report, json_t *c) {
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(report, "cells"), i, x) {
        if (!strcmp(str(x, "workload"), str(c, "workload")) && !strcmp(str(x, "strategy"), str(c, "strategy")) &&
            json_integer_value(json_object_get(x, "workers")) == json_integer_value(json_object_get(c, "workers")) &&
            same_source(x, c))
            return x;
    }
    return NULL;
}

static double speedup_of(json_t *c, const char *k) {
    json_t *s = json_object_get(c, "speedup");
    return json_is_object(s) && json_is_number(json_object_get(s, k)) ? json_number_value(json_object_get(s, k)) : 0.0;
}

int gs_compare(json_t *base, json_t *next, const gs_compare_opts *o, int markdown, FILE *out, FILE *err_out,
               char *why, size_t whylen) {
    double *a = malloc(MAX_RUNS * sizeof(double)), *b = malloc(MAX_RUNS * sizeof(double));
    static const char *head[] = {"workload", "strategy", "workers", "base wall", "new wall", "change [95% CI]",
                                 "significant", "base speedup", "new speedup", "status"};
    static const int right[] = {0, 0, 1, 1, 1, 1, 0, 1, 1, 0};
    gs_tab t;
    if (a == NULL || b == NULL || gs_tab_init(&t, 10, head, right) != 0) {
        free(a), free(b);
        snprintf(why, whylen, "out of memory");
        return 2;
    }
    int matched = 0, regressed = 0, unmatched = 0;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(next, "cells"), i, c) {
        json_t *bc = find_cell(base, c);
        if (bc == NULL) {
            unmatched++;
            continue;
        }
        json_int_t w = json_integer_value(json_object_get(c, "workers"));
        size_t na = walls(base, c, a);
        size_t nb = walls(next, c, b);
        if (na == 0 || nb == 0) continue;
        matched++;
        double ma = gs_stats_median(a, na), mb = gs_stats_median(b, nb), lo = 0, hi = 0;
        int sig = na >= MIN_RUNS && nb >= MIN_RUNS &&
                  gs_stats_ratio_ci(b, nb, a, na, 2000, 0xc0ffeeULL + i, &lo, &hi) == 0 && (lo > 1.0 || hi < 1.0);
        double change = mb / ma - 1.0;
        double sb = speedup_of(bc, "value"), sn = speedup_of(c, "value");
        int wall_reg = sig && change > o->fail_above;
        int sp_reg = sb > 0 && sn > 0 && sn < sb * (1.0 - o->fail_speedup) && speedup_of(c, "ci_high") > 0 &&
                     speedup_of(c, "ci_high") < speedup_of(bc, "ci_low");
        char v[10][96];
        if (json_is_string(json_object_get(c, "source"))) snprintf(v[0], 96, "%s (%s)", str(c, "workload"), str(c, "source"));
        else snprintf(v[0], 96, "%s", str(c, "workload"));
        gs_utf8_trim(v[0]);
        snprintf(v[1], 96, "%s", str(c, "strategy"));
        snprintf(v[2], 96, "%lld", (long long)w);
        snprintf(v[3], 96, "%.4f s", ma);
        snprintf(v[4], 96, "%.4f s", mb);
        if (lo > 0) snprintf(v[5], 96, "%+.1f%% [%+.1f%%, %+.1f%%]", change * 100, (lo - 1) * 100, (hi - 1) * 100);
        else snprintf(v[5], 96, "%+.1f%%", change * 100);
        snprintf(v[6], 96, "%s", sig ? "yes" : na < MIN_RUNS || nb < MIN_RUNS ? "too few runs" : "no");
        if (gs_view_fmt_speedup(bc, 0, v[7], 96) != 0) snprintf(v[7], 96, "—");
        if (gs_view_fmt_speedup(c, 0, v[8], 96) != 0) snprintf(v[8], 96, "—");
        snprintf(v[9], 96, "%s", wall_reg || sp_reg ? "REGRESSED" : sig && change < -o->fail_above ? "faster" : "ok");
        const char *row[10];
        for (int k = 0; k < 10; k++) row[k] = v[k];
        gs_tab_add(&t, row);
        if (wall_reg || sp_reg) {
            regressed++;
            fprintf(err_out, "gilscope: regression: %s %s × %lld: ", v[0], v[1], (long long)w);
            if (wall_reg) fprintf(err_out, "wall %+.1f%% (%s → %s, 95%% CI %s)", change * 100, v[3], v[4], v[5]);
            if (wall_reg && sp_reg) fprintf(err_out, "; ");
            if (sp_reg) fprintf(err_out, "speedup %s → %s", v[7], v[8]);
            fputc('\n', err_out);
        }
    }
    free(a);
    free(b);
    if (matched == 0) {
        gs_tab_free(&t);
        snprintf(why, whylen, "the files measured different things: no cell (workload, strategy, workers%s) is in both",
                 gs_report_is_merged(base) || gs_report_is_merged(next) ? ", source" : "");
        return 2;
    }
    (void)markdown; /* the table is Markdown either way: it reads well in a terminal and in a CI comment */
    gs_tab_write_markdown(&t, out);
    gs_tab_free(&t);
    if (unmatched > 0)
        fprintf(out, "\n%d cell%s of the new file %s not in the base.\n", unmatched, unmatched == 1 ? "" : "s",
                unmatched == 1 ? "is" : "are");
    fprintf(out, "\nthresholds: wall +%.0f%%, speedup −%.0f%%; significant = the 95%% bootstrap interval of the "
                 "wall ratio excludes 1 (needs ≥ %d runs a side)\n",
            o->fail_above * 100, o->fail_speedup * 100, MIN_RUNS);
    return regressed ? 1 : 0;
}
