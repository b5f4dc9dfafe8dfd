#include "compare.h"

#include "jsonnum.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "report_view.h"
#include "stats.h"
#include "tabwriter.h"

#define MAX_RUNS 4096
#define FEW_RUNS 6          /* fewer measured runs a side are warned about; the speedup gate needs as many */
#define ALPHA 0.05          /* the false-alarm rate of the whole comparison, shared by its cells */
#define EXACT_PAIRS 3600    /* the Mann–Whitney distribution is exact up to this many pairs of runs */

#define str gs_jstr

/* ---- The interval of the wall ratio (docs/statistics.md) ---------------- */

/* The largest k >= 1 with 2 P(U <= k − 1) <= alpha, U the Mann–Whitney count
 * of n1 and n2 runs when nothing changed (every order of the runs equally
 * likely); 0 when even k = 1 misses (too few runs for that level). Exact by
 * the recurrence on the largest run, P_{i,j}(u) = i/(i+j) P_{i−1,j}(u − j) +
 * j/(i+j) P_{i,j−1}(u), up to EXACT_PAIRS pairs; beyond, the normal
 * approximation with continuity correction. */
static long mw_k(size_t n1, size_t n2, double alpha) {
    if (n1 < n2) { size_t t = n1; n1 = n2; n2 = t; } /* U's law is symmetric in the two sides */
    size_t cap = n1 * n2 / 2, w = cap + 1;
    if (n1 * n2 > EXACT_PAIRS) {
        double lo = 0, hi = 40; /* the z whose upper normal tail is alpha / 2, by bisection */
        for (int i = 0; i < 200; i++) {
            double z = (lo + hi) / 2;
            if (0.5 * erfc(z / sqrt(2.0)) > alpha / 2) lo = z;
            else hi = z;
        }
        double k = floor((double)n1 * (double)n2 / 2 + 0.5 - hi * sqrt((double)n1 * n2 * (n1 + n2 + 1) / 12.0));
        return k < 1 ? 0 : (long)k;
    }
    double *prev = calloc((n2 + 1) * w, sizeof(double)), *cur = calloc((n2 + 1) * w, sizeof(double));
    long k = 0;
    if (prev == NULL || cur == NULL) goto out;
    for (size_t j = 0; j <= n2; j++) prev[j * w] = 1; /* no run on one side: U = 0 */
    for (size_t i = 1; i <= n1; i++) {
        memset(cur, 0, (n2 + 1) * w * sizeof(double));
        cur[0] = 1;
        for (size_t j = 1; j <= n2; j++) {
            double px = (double)i / (double)(i + j), py = (double)j / (double)(i + j);
            double *o = cur + j * w, *left = cur + (j - 1) * w, *up = prev + j * w;
            for (size_t u = 0; u <= cap; u++) o[u] = py * left[u] + (u >= j ? px * up[u - j] : 0.0);
        }
        double *t = prev;
        prev = cur;
        cur = t;
    }
    double cdf = 0;
    for (size_t u = 0; u <= cap; u++) {
        cdf += prev[n2 * w + u];
        if (2 * cdf > alpha) break;
        k = (long)u + 1;
    }
out:
    free(prev);
    free(cur);
    return k;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* How many pairs (i, j) have y[j] − x[i] <= d; x and y sorted ascending. */
static double pairs_within(const double *x, size_t nx, const double *y, size_t ny, double d) {
    size_t p = 0;
    double count = 0;
    for (size_t j = 0; j < ny; j++) {
        while (p < nx && x[p] < y[j] - d) p++;
        count += (double)(nx - p);
    }
    return count;
}

/* The k-th smallest (1-based) of the differences y[j] − x[i], by bisection
 * on its value: no array of the nx·ny differences is built. */
static double kth_difference(const double *x, size_t nx, const double *y, size_t ny, double k) {
    double lo = y[0] - x[nx - 1], hi = y[ny - 1] - x[0];
    if (pairs_within(x, nx, y, ny, lo) >= k) return lo;
    for (int it = 0; it < 200 && hi - lo > 1e-14 * (1 + fabs(hi)); it++) {
        double mid = lo + (hi - lo) / 2;
        if (pairs_within(x, nx, y, ny, mid) >= k) hi = mid;
        else lo = mid;
    }
    return hi;
}

/* The interval of new/base walls at two-sided level 1 − alpha: exp of
 * [D(k), D(N + 1 − k)], D the sorted N = na·nb differences log new − log base.
 * Returns 0, or -1 when the runs are too few for that level. Turns both
 * samples into sorted logs. */
static int ratio_interval(double *base, size_t na, double *next, size_t nb, double alpha, double *lo, double *hi) {
    long k = mw_k(na, nb, alpha);
    if (k < 1) return -1;
    for (size_t i = 0; i < na; i++) base[i] = log(base[i]);
    for (size_t i = 0; i < nb; i++) next[i] = log(next[i]);
    qsort(base, na, sizeof(double), cmp_double);
    qsort(next, nb, sizeof(double), cmp_double);
    double n = (double)na * (double)nb;
    *lo = exp(kth_difference(base, na, next, nb, (double)k));
    *hi = exp(kth_difference(base, na, next, nb, n + 1 - (double)k));
    return 0;
}

/* ---- Matching ----------------------------------------------------------- */

/* Whether two entries come from the same source: both from a plain report,
 * or both carrying the same label of a merged one. */
static int same_source(json_t *a, json_t *b) {
    json_t *x = json_object_get(a, "source"), *y = json_object_get(b, "source");
    return x == NULL ? y == NULL : y != NULL && json_equal(x, y);
}

/* The measured strategy walls of the cell c in a report; returns how many. */
static size_t walls(json_t *report, json_t *c, double *out) {
    size_t n = 0, i;
    json_t *r;
    json_array_foreach(json_object_get(report, "runs"), i, r) {
        if (n < MAX_RUNS && !strcmp(str(r, "status"), "ok") && !json_is_true(json_object_get(r, "warmup")) &&
            !json_is_true(json_object_get(r, "diagnostic")) && gs_jnum(r, "strategy_wall_s") > 0 &&
            gs_view_same_cell(r, c) && same_source(r, c))
            out[n++] = json_number_value(json_object_get(r, "strategy_wall_s"));
    }
    return n;
}

static json_t *find_cell(json_t *report, json_t *c) {
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(report, "cells"), i, x) {
        if (gs_view_same_cell(x, c) && same_source(x, c))
            return x;
    }
    return NULL;
}

/* "cpu processes/fork × 2 · py3.12": a cell as the notes name it. */
static void cell_name(json_t *c, char *buf, size_t cap) {
    size_t n = (size_t)snprintf(buf, cap, "%s ", str(c, "workload"));
    if (n < cap) gs_view_cell_label(c, 1, buf + n, cap - n);
}

/* A cell's identity as the comparison's JSON gives it. */
static json_t *cell_id(json_t *c) {
    json_t *o = json_pack("{s:s,s:s,s:O?}", "workload", str(c, "workload"), "strategy", str(c, "strategy"), "workers",
                          json_object_get(c, "workers"));
    if (gs_view_chunksize(c) > 0) json_object_set_new(o, "chunksize", json_integer(gs_view_chunksize(c)));
    if (json_is_string(json_object_get(c, "source"))) json_object_set(o, "source", json_object_get(c, "source"));
    return o;
}

/* ---- Did the two reports measure the same thing? ------------------------ */

static json_t *meta_of(json_t *report, const char *label) {
    if (label == NULL) return json_object_get(report, "metadata");
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(report, "sources"), i, s) {
        if (!strcmp(str(s, "label"), label)) return json_object_get(s, "metadata");
    }
    return NULL;
}

static int in_source(json_t *e, const char *label) {
    const char *s = json_string_value(json_object_get(e, "source"));
    return label == NULL ? s == NULL : s != NULL && !strcmp(s, label);
}

/* "CPython 3.11.7", "CPython 3.13.0 without the GIL"; -1 when not recorded. */
static int interpreter(json_t *meta, char *buf, size_t cap) {
    json_t *py = json_object_get(meta, "python");
    const char *v = json_string_value(json_object_get(py, "version")), *impl = str(py, "implementation");
    if (v == NULL) return -1;
    snprintf(buf, cap, "%s%s%s%s", impl, *impl ? " " : "", v,
             json_is_false(json_object_get(py, "gil_enabled")) ? " without the GIL" : "");
    return 0;
}

/* The start method the source's process pools used, or NULL when none ran. */
static const char *start_method(json_t *report, const char *label) {
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        if (in_source(c, label) && json_is_string(json_object_get(c, "start_method")))
            return json_string_value(json_object_get(c, "start_method"));
    }
    return NULL;
}

static json_t *workload_in(json_t *report, const char *name, const char *label) {
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(report, "workloads"), i, w) {
        if (in_source(w, label) && !strcmp(str(w, "name"), name)) return w;
    }
    return NULL;
}

/* Checks one source (label NULL: plain reports), adding to diffs each way the
 * two differ and to unchecked what they do not record. */
static void check_source(json_t *base, json_t *next, const char *label, const char *bn, const char *nn,
                         json_t *diffs, json_t *unchecked) {
    char pre[160], a[128], b[128];
    snprintf(pre, sizeof(pre), "%s%s", label ? label : "", label ? ": " : "");
    json_t *mb = meta_of(base, label), *mn = meta_of(next, label);
    if (interpreter(mb, a, sizeof(a)) != 0 || interpreter(mn, b, sizeof(b)) != 0)
        json_array_append_new(unchecked, json_sprintf("%sinterpreter version (not recorded)", pre));
    else if (strcmp(a, b))
        json_array_append_new(diffs, json_sprintf("%sinterpreter %s in %s, %s in %s", pre, a, bn, b, nn));
    json_t *tb = json_object_get(mb, "tasks"), *tn = json_object_get(mn, "tasks");
    if (!json_is_integer(tb) || !json_is_integer(tn))
        json_array_append_new(unchecked, json_sprintf("%stask count (not recorded)", pre));
    else if (!json_equal(tb, tn))
        json_array_append_new(diffs, json_sprintf("%stasks %lld in %s, %lld in %s", pre, (long long)json_integer_value(tb),
                                                  bn, (long long)json_integer_value(tn), nn));
    /* --no-gc changes what is timed; a report from before it had the collector on. */
    int gb = json_is_true(json_object_get(mb, "no_gc")), gn = json_is_true(json_object_get(mn, "no_gc"));
    if (gb != gn)
        json_array_append_new(diffs, json_sprintf("%sgarbage collector %s in %s, %s in %s (--no-gc)", pre,
                                                  gb ? "off" : "on", bn, gn ? "off" : "on", nn));
    const char *sb = start_method(base, label), *sn = start_method(next, label);
    if (sb && sn && strcmp(sb, sn))
        json_array_append_new(diffs, json_sprintf("%sstart method %s in %s, %s in %s", pre, sb, bn, sn, nn));
    size_t i;
    json_t *wn;
    json_array_foreach(json_object_get(next, "workloads"), i, wn) {
        json_t *wb = in_source(wn, label) ? workload_in(base, str(wn, "name"), label) : NULL;
        if (wb == NULL || json_is_string(json_object_get(wb, "error")) || json_is_string(json_object_get(wn, "error")))
            continue; /* its cells are listed as missing or not measured */
        const char *name = str(wn, "name");
        json_t *zb = json_object_get(wb, "size"), *zn = json_object_get(wn, "size");
        if (json_is_integer(zb) && json_is_integer(zn) && !json_equal(zb, zn)) {
            int calibrated = json_is_array(json_object_get(wb, "calibration")) || json_is_array(json_object_get(wn, "calibration"));
            json_array_append_new(diffs, json_sprintf("%s%s: size %lld in %s, %lld in %s%s", pre, name,
                                                      (long long)json_integer_value(zb), bn, (long long)json_integer_value(zn),
                                                      nn, calibrated ? " (chosen by --size auto: a gate pins --size)" : ""));
        }
        const char *hb = json_string_value(json_object_get(wb, "sha256"));
        const char *hn = json_string_value(json_object_get(wn, "sha256"));
        if (hb && hn && strcmp(hb, hn))
            json_array_append_new(diffs, json_sprintf("%s%s: workload file sha256 %.12s… in %s, %.12s… in %s", pre, name,
                                                      hb, bn, hn, nn));
        else if (!hb && !hn)
            json_array_append_new(unchecked, json_sprintf("%s%s: workload file hash (neither report records one)", pre, name));
        else if (!hb || !hn)
            json_array_append_new(unchecked, json_sprintf("%s%s: workload file hash (%s records none)", pre, name, hb ? nn : bn));
    }
}

static void check_same(json_t *base, json_t *next, const char *bn, const char *nn, json_t *diffs, json_t *unchecked) {
    int mb = gs_report_is_merged(base), mn = gs_report_is_merged(next);
    if (!mb && !mn) check_source(base, next, NULL, bn, nn, diffs, unchecked);
    if (!mb || !mn) return; /* a plain report against a merged one shares no cell */
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(next, "sources"), i, s) {
        const char *label = str(s, "label");
        if (meta_of(base, label) != NULL) check_source(base, next, label, bn, nn, diffs, unchecked);
    }
}

/* ---- The comparison ------------------------------------------------------ */

/* Lists the cells of `of` that `other` lacks: one line to out, their ids into ids. */
static void only_in(FILE *out, json_t *of, const char *name, json_t *other, json_t *ids) {
    char line[4096] = "";
    size_t i, len = 0;
    json_t *c;
    json_array_foreach(json_object_get(of, "cells"), i, c) {
        if (find_cell(other, c) != NULL) continue;
        char cn[192];
        cell_name(c, cn, sizeof(cn));
        if (len < sizeof(line)) len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s", len ? ", " : "", cn);
        json_array_append_new(ids, cell_id(c));
    }
    gs_utf8_trim(line);
    if (len) fprintf(out, "\nonly in %s (not compared): %s\n", name, line);
}

static void join_notes(FILE *out, const char *head, json_t *list) {
    if (json_array_size(list) == 0) return;
    fprintf(out, "\n%s: ", head);
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) fprintf(out, "%s%s", i ? "; " : "", json_string_value(x));
    fputc('\n', out);
}

typedef struct side { size_t few, least; } side; /* cells with fewer than FEW_RUNS runs, the fewest */

static void few_runs(FILE *out, json_t *warnings, const side *s, const char *name, int m) {
    if (s->few == 0) return;
    json_t *w = json_sprintf("%s has fewer than %d measured runs in %zu of the %d cells compared (%zu at least): too "
                             "few for a gate; measure both sides with --runs 10 or more",
                             name, FEW_RUNS, s->few, m, s->least);
    if (w == NULL) return;
    fprintf(out, "\n**warning**: %s\n", json_string_value(w));
    json_array_append_new(warnings, w);
}

int gs_compare(json_t *base, json_t *next, const gs_compare_opts *o, FILE *out, FILE *err_out, json_t **result,
               char *why, size_t whylen) {
    const char *bn = o->base_name ? o->base_name : "BASE", *nn = o->new_name ? o->new_name : "NEW";
    json_t *res = json_pack("{s:i,s:s,s:s,s:b,s:{s:f,s:f},s:f,s:[],s:[],s:[],s:[],s:[],s:[],s:[]}", "compare_version", 1,
                            "base", bn, "new", nn, "allow_different", o->allow_different, "thresholds", "fail_above",
                            o->fail_above, "fail_speedup_below", o->fail_speedup, "alpha", ALPHA, "differences",
                            "unchecked", "cells", "only_in_base", "only_in_new", "not_measured", "warnings");
    double *a = malloc(MAX_RUNS * sizeof(double)), *b = malloc(MAX_RUNS * sizeof(double));
    static const char *head[] = {"workload", "strategy", "workers", "base wall", "new wall", "change [interval]",
                                 "significant", "base speedup", "new speedup", "status"};
    static const int right[] = {0, 0, 1, 1, 1, 1, 0, 1, 1, 0};
    gs_tab t;
    int rc = 0, tab = 0, m = 0, regressed = 0, unclear = 0; /* m: the cells measured on both sides */
    size_t i;
    json_t *c;
    json_t *diffs = json_object_get(res, "differences"), *unchecked = json_object_get(res, "unchecked");
    json_t *rows = json_object_get(res, "cells"), *notm = json_object_get(res, "not_measured");
    if (res == NULL || a == NULL || b == NULL || gs_tab_init(&t, 10, head, right) != 0) {
        snprintf(why, whylen, "out of memory");
        rc = 2;
        goto out;
    }
    tab = 1;
    check_same(base, next, bn, nn, diffs, unchecked);
    if (json_array_size(diffs) > 0 && !o->allow_different) {
        json_array_foreach(diffs, i, c) fprintf(err_out, "gilscope: compare: %s\n", json_string_value(c));
        snprintf(why, whylen, "the reports measured different things (%zu difference%s above); --allow-different "
                 "compares them anyway", json_array_size(diffs), json_array_size(diffs) == 1 ? "" : "s");
        rc = 2;
        goto out;
    }
    char notmeasured[4096] = "";
    size_t nmlen = 0;
    json_array_foreach(json_object_get(next, "cells"), i, c) {
        json_t *bc = find_cell(base, c);
        if (bc == NULL) continue;
        size_t na = walls(base, c, a), nb = walls(next, c, b);
        if (na > 0 && nb > 0) {
            m++;
            continue;
        }
        char name[192];
        cell_name(c, name, sizeof(name));
        if (nmlen < sizeof(notmeasured))
            nmlen += (size_t)snprintf(notmeasured + nmlen, sizeof(notmeasured) - nmlen, "%s%s (%s: %s)", nmlen ? ", " : "",
                                      name, na == 0 ? bn : nn, gs_view_why_unmeasured(na == 0 ? bc : c));
        json_array_append_new(notm, cell_id(c));
    }
    gs_utf8_trim(notmeasured);
    if (m == 0) {
        snprintf(why, whylen, "the files measured different things: no cell (workload, strategy, workers%s) is measured in both",
                 gs_report_is_merged(base) || gs_report_is_merged(next) ? ", source" : "");
        rc = 2;
        goto out;
    }
    double alpha = ALPHA / m; /* the m cells share ALPHA (Bonferroni) */
    side sa = {0, MAX_RUNS}, sb = {0, MAX_RUNS};
    json_array_foreach(json_object_get(next, "cells"), i, c) {
        json_t *bc = find_cell(base, c);
        size_t na = bc ? walls(base, c, a) : 0, nb = bc ? walls(next, c, b) : 0;
        if (na == 0 || nb == 0) continue;
        if (na < FEW_RUNS) sa.few++, sa.least = na < sa.least ? na : sa.least;
        if (nb < FEW_RUNS) sb.few++, sb.least = nb < sb.least ? nb : sb.least;
        double ma = gs_stats_median(a, na), mb = gs_stats_median(b, nb), lo = 0, hi = 0;
        int has_ci = ratio_interval(a, na, b, nb, alpha, &lo, &hi) == 0;
        double change = mb / ma - 1.0;
        int sig = has_ci && (lo > 1.0 || hi < 1.0);
        int wall_reg = has_ci && lo > 1.0 + o->fail_above;
        json_t *sp_b = json_object_get(bc, "speedup"), *sp_n = json_object_get(c, "speedup");
        int sp_reg = na >= FEW_RUNS && nb >= FEW_RUNS && gs_jhas(sp_b, "ci_low") && gs_jhas(sp_n, "ci_high") &&
                     gs_jnum(sp_n, "ci_high") < gs_jnum(sp_b, "ci_low") * (1.0 - o->fail_speedup);
        const char *status = wall_reg || sp_reg ? "regressed"
                             : has_ci && hi < 1.0 - o->fail_above ? "faster"
                             : change > o->fail_above             ? "unclear"
                                                                  : "ok";
        unclear += !strcmp(status, "unclear");
        char v[10][96];
        if (json_is_string(json_object_get(c, "source"))) snprintf(v[0], 96, "%s (%s)", str(c, "workload"), str(c, "source"));
        else snprintf(v[0], 96, "%s", str(c, "workload"));
        gs_utf8_trim(v[0]);
        gs_view_strategy_label(c, v[1], 96);
        snprintf(v[2], 96, "%lld", (long long)json_integer_value(json_object_get(c, "workers")));
        snprintf(v[3], 96, "%.4f s", ma);
        snprintf(v[4], 96, "%.4f s", mb);
        if (has_ci) snprintf(v[5], 96, "%+.1f%% [%+.1f%%, %+.1f%%]", change * 100, (lo - 1) * 100, (hi - 1) * 100);
        else snprintf(v[5], 96, "%+.1f%%", change * 100);
        snprintf(v[6], 96, "%s", !has_ci ? "too few runs" : sig ? "yes" : "no");
        if (gs_view_fmt_speedup(bc, 0, v[7], 96) != 0) snprintf(v[7], 96, "—");
        if (gs_view_fmt_speedup(c, 0, v[8], 96) != 0) snprintf(v[8], 96, "—");
        snprintf(v[9], 96, "%s", !strcmp(status, "regressed") ? "REGRESSED" : status);
        const char *row[10];
        for (int k = 0; k < 10; k++) row[k] = v[k];
        gs_tab_add(&t, row);
        json_t *r = cell_id(c);
        json_object_update_new(r, json_pack("{s:{s:I,s:o,s:O?},s:{s:I,s:o,s:O?},s:o,s:o,s:f,s:b,s:b,s:b,s:s}", "base",
                                            "runs", (json_int_t)na, "wall_median", gs_json_num(ma, NULL), "speedup",
                                            sp_b, "new", "runs", (json_int_t)nb, "wall_median", gs_json_num(mb, NULL),
                                            "speedup", sp_n, "change", gs_json_num(change, NULL), "interval",
                                            has_ci ? json_pack("[o,o]", gs_json_num(lo - 1, NULL), gs_json_num(hi - 1, NULL))
                                                   : json_null(),
                                            "level", 1 - alpha, "significant", sig, "wall_regressed", wall_reg,
                                            "speedup_regressed", sp_reg, "status", status));
        json_array_append_new(rows, r);
        if (wall_reg || sp_reg) {
            regressed++;
            char name[160];
            cell_name(c, name, sizeof(name)); /* "cpu processes/fork × 2 chunk 4 · py3.12" */
            fprintf(err_out, "gilscope: regression: %s: ", name);
            if (wall_reg) fprintf(err_out, "wall %+.1f%% (%s → %s, interval %s)", change * 100, v[3], v[4], v[5]);
            if (wall_reg && sp_reg) fprintf(err_out, "; ");
            if (sp_reg) fprintf(err_out, "speedup %s → %s", v[7], v[8]);
            fputc('\n', err_out);
        }
    }
    gs_tab_write_markdown(&t, out);
    only_in(out, base, bn, next, json_object_get(res, "only_in_base"));
    only_in(out, next, nn, base, json_object_get(res, "only_in_new"));
    if (*notmeasured) fprintf(out, "\nnot measured on both sides (not compared): %s\n", notmeasured);
    join_notes(out, "**compared anyway** (--allow-different), although they differ", diffs);
    join_notes(out, "not checked", unchecked);
    few_runs(out, json_object_get(res, "warnings"), &sa, bn, m);
    few_runs(out, json_object_get(res, "warnings"), &sb, nn, m);
    if (unclear)
        fprintf(out, "\nunclear: %d cell%s changed by more than +%.0f%% without an interval that shows it: more runs on "
                     "both sides would decide\n", unclear, unclear == 1 ? "" : "s", o->fail_above * 100);
    char share[96] = "";
    if (m > 1) snprintf(share, sizeof(share), " so that the %d cells share 95%% (Bonferroni)", m);
    fprintf(out, "\nrule: REGRESSED when a cell's wall-time interval lies wholly above +%.0f%%, or its new speedup "
                 "interval wholly below the base's less %.0f%%; intervals are distribution-free (Mann–Whitney on the "
                 "raw runs), each at %.3g%%%s; docs/statistics.md\n",
            o->fail_above * 100, o->fail_speedup * 100, 100 * (1 - alpha), share);
    rc = regressed ? 1 : 0;
out:
    if (res != NULL) {
        json_object_set_new(res, "result", json_string(rc == 2 ? "refused" : rc == 1 ? "regressed" : "ok"));
        json_object_set_new(res, "exit_status", json_integer(rc));
        json_object_set_new(res, "error", rc == 2 ? json_string(why) : json_null());
    }
    if (result != NULL) *result = res;
    else json_decref(res);
    if (tab) gs_tab_free(&t);
    free(a);
    free(b);
    return rc;
}
