#include "fit.h"

#include "jsonnum.h"

#define MIN_POINTS 3 /* worker counts a fit needs */
#define GOOD_R2 0.8   /* a fit worth showing */
#define SLOWER 0.95   /* "more workers made it slower": the most workers reach less than this part of the fewest */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A fit's "relative_to" when its speedups are against the strategy's own
 * 1-worker run. */
#define RELATIVE_TO_OWN "own 1-worker run"

static double eff(double n, int cores) { return cores > 0 && n > cores ? (double)cores : n; }

static double amdahl(double s, double m) { return 1.0 / (s + (1.0 - s) / m); }

static double usl(double sigma, double kappa, double m) {
    return m / (1.0 + sigma * (m - 1.0) + kappa * m * (m - 1.0));
}

static double r2_of(const double *S, const double *pred, size_t k) {
    double mean = 0, ss_tot = 0, ss_res = 0;
    for (size_t i = 0; i < k; i++) mean += S[i] / (double)k;
    for (size_t i = 0; i < k; i++) {
        ss_tot += (S[i] - mean) * (S[i] - mean);
        ss_res += (S[i] - pred[i]) * (S[i] - pred[i]);
    }
    return ss_tot > 0 ? 1.0 - ss_res / ss_tot : (ss_res < 1e-12 ? 1.0 : 0.0);
}

void gs_fit_curve(const double *n, const double *S, size_t k, int cores, gs_fit *out) {
    memset(out, 0, sizeof(*out));
    out->points = k;
    out->cores_aware = cores > 0;
    double sxx = 0, sxy = 0;
    size_t informative = 0;
    for (size_t i = 0; i < k; i++) {
        double m = eff(n[i], cores), x = 1.0 - 1.0 / m, y = 1.0 / S[i] - 1.0 / m;
        sxx += x * x;
        sxy += x * y;
        if (x > 0) informative++;
    }
    if (k < 2 || informative < 1 || sxx <= 0) return;
    out->ok = 1;
    out->s = sxy / sxx;
    double rss = 0;
    double *pred = malloc(k * sizeof(double));
    if (pred == NULL) return;
    for (size_t i = 0; i < k; i++) {
        double m = eff(n[i], cores), x = 1.0 - 1.0 / m, y = 1.0 / S[i] - 1.0 / m;
        rss += (y - out->s * x) * (y - out->s * x);
        pred[i] = amdahl(out->s, m);
    }
    out->s_se = k > 1 ? sqrt(rss / (double)(k - 1) / sxx) : 0;
    out->r2_amdahl = r2_of(S, pred, k);
    /* USL: two parameters, needs three distinct effective counts. */
    double a11 = 0, a12 = 0, a22 = 0, b1 = 0, b2 = 0;
    double seen[64];
    size_t distinct = 0;
    for (size_t i = 0; i < k; i++) {
        double m = eff(n[i], cores);
        int dup = 0;
        for (size_t j = 0; j < distinct; j++) dup |= seen[j] == m;
        if (!dup && distinct < 64) seen[distinct++] = m;
        double x1 = m - 1.0, x2 = m * (m - 1.0), y = m / S[i] - 1.0;
        a11 += x1 * x1, a12 += x1 * x2, a22 += x2 * x2, b1 += x1 * y, b2 += x2 * y;
    }
    double det = a11 * a22 - a12 * a12;
    if (distinct >= 3 && k >= 3 && fabs(det) > 1e-12) {
        out->usl_ok = 1;
        out->sigma = (a22 * b1 - a12 * b2) / det;
        out->kappa = (a11 * b2 - a12 * b1) / det;
        double rss2 = 0;
        for (size_t i = 0; i < k; i++) {
            double m = eff(n[i], cores), y = m / S[i] - 1.0;
            double e = y - out->sigma * (m - 1.0) - out->kappa * m * (m - 1.0);
            rss2 += e * e;
            pred[i] = usl(out->sigma, out->kappa, m);
        }
        double var = k > 2 ? rss2 / (double)(k - 2) : 0;
        out->sigma_se = sqrt(var * a22 / det);
        out->kappa_se = sqrt(var * a11 / det);
        out->r2_usl = r2_of(S, pred, k);
    }
    free(pred);
}

double gs_fit_amdahl_at(const gs_fit *f, double n, int cores, double *lo, double *hi) {
    double m = eff(n, f->cores_aware ? cores : 0);
    double a = amdahl(f->s + f->s_se, m), b = amdahl(f->s - f->s_se, m);
    *lo = a < b ? a : b;
    *hi = a < b ? b : a;
    return amdahl(f->s, m);
}

/* The points (workers, speedup) of strategy st in workload w; returns how
 * many. When the strategy was measured with 1 worker, speedups are taken
 * relative to that point (*relative set), so the pool's own fixed overhead is
 * not mistaken for a serial fraction; else against serial. */
static size_t points(const gs_session *s, size_t w, gs_strategy st, double *n, double *S, int *relative) {
    size_t k = 0;
    double base = 0;
    for (size_t i = 0; i < s->ncells && k < 64; i++) {
        const gs_cell *c = &s->cells[i];
        if (c->workload != w || c->strategy != st || c->speedup <= 0 || c->disagree) continue;
        n[k] = c->workers;
        S[k] = c->speedup;
        if (c->workers == 1) base = c->speedup;
        k++;
    }
    *relative = base > 0;
    for (size_t i = 0; base > 0 && i < k; i++) S[i] /= base;
    return k;
}

static int cores_for(const gs_session *s, size_t w) {
    const char *kind = s->workloads[w].kind;
    int cores = (int)json_integer_value(json_object_get(s->hello, "cores"));
    /* I/O-bound work is not limited by cores; CPU-bound and mixed work is. */
    return kind && strcmp(kind, "io") == 0 ? 0 : cores;
}

static json_t *param(double v, double se, int *nonfinite) {
    return json_pack("{s:o,s:o}", "value", gs_json_num(v, nonfinite), "stderr", gs_json_num(se, nonfinite));
}

json_t *gs_fit_workload(const gs_session *s, size_t w, int *nonfinite) {
    json_t *a = json_array();
    int cores = cores_for(s, w);
    for (gs_strategy st = 0; (size_t)st < gs_strategy_count(); st++) {
        if (gs_strategy_has(st, GS_SF_BASELINE)) continue;
        /* A chunk-size sweep is several series of one strategy: not fitted. */
        if (gs_strategy_has(st, GS_SF_CHUNKS) && s->opt != NULL && s->opt->nchunksizes > 1) continue;
        double n[64], S[64];
        int relative;
        size_t k = points(s, w, (gs_strategy)st, n, S, &relative);
        if (k < MIN_POINTS) continue; /* two points fit any curve exactly */
        gs_fit f;
        gs_fit_curve(n, S, k, cores, &f);
        if (!f.ok) continue;
        double maxn = 0;
        for (size_t i = 0; i < k; i++) maxn = n[i] > maxn ? n[i] : maxn;
        double lo, hi, at = 2 * maxn, pred = gs_fit_amdahl_at(&f, at, cores, &lo, &hi);
        json_t *o = json_pack("{s:s,s:s,s:s,s:b,s:i,s:{s:o},s:o}", "workload", s->workloads[w].name, "strategy",
                              gs_strategy_name((gs_strategy)st), "model", "amdahl", "cores_aware", f.cores_aware,
                              "points", (int)k, "parameters", "serial_fraction", param(f.s, f.s_se, nonfinite), "r2",
                              gs_json_num(f.r2_amdahl, nonfinite));
        json_object_set_new(o, "good", json_boolean(gs_fit_good(f.r2_amdahl, f.s)));
        json_object_set_new(o, "cores", cores > 0 ? json_integer(cores) : json_null());
        json_object_set_new(o, "relative_to", json_string(relative ? RELATIVE_TO_OWN : gs_strategy_name(gs_strategy_baseline())));
        json_object_set_new(o, "prediction", json_pack("{s:o,s:o,s:o,s:o,s:b}", "workers", gs_json_num(at, nonfinite),
                                                       "speedup", gs_json_num(pred, nonfinite), "ci_low",
                                                       gs_json_num(lo, nonfinite), "ci_high",
                                                       gs_json_num(hi, nonfinite), "extrapolated", 1));
        json_array_append_new(a, o);
        if (f.usl_ok) {
            json_t *u = json_pack("{s:s,s:s,s:s,s:b,s:i,s:{s:o,s:o},s:o}", "workload", s->workloads[w].name,
                                  "strategy", gs_strategy_name((gs_strategy)st), "model", "usl", "cores_aware",
                                  f.cores_aware, "points", (int)k, "parameters", "sigma",
                                  param(f.sigma, f.sigma_se, nonfinite), "kappa",
                                  param(f.kappa, f.kappa_se, nonfinite), "r2", gs_json_num(f.r2_usl, nonfinite));
            json_object_set_new(u, "cores", cores > 0 ? json_integer(cores) : json_null());
            json_object_set_new(u, "relative_to", json_string(relative ? RELATIVE_TO_OWN : gs_strategy_name(gs_strategy_baseline())));
            json_array_append_new(a, u);
        }
    }
    return a;
}

/* The number at o.k1.k2 (k2 may be NULL), or 0. */
static double num_at(json_t *o, const char *k1, const char *k2) {
    json_t *x = json_object_get(o, k1);
    return json_number_value(k2 ? json_object_get(x, k2) : x);
}

static const char *str_at(json_t *o, const char *k) {
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* Whether two report entries come from the same source (both plain, or the
 * same label of a merged report). */
static int same_source(json_t *a, json_t *b) {
    json_t *x = json_object_get(a, "source"), *y = json_object_get(b, "source");
    return x == NULL ? y == NULL : y != NULL && json_equal(x, y);
}

/* points() over a report's cells: those of fit's workload, strategy and
 * source with a speedup whose results agreed. */
static size_t report_points(json_t *report, json_t *fit, double *n, double *S) {
    size_t k = 0, i;
    double base = 0;
    json_t *c;
    json_array_foreach(json_object_get(report, "cells"), i, c) {
        if (k == 64) break;
        if (strcmp(str_at(c, "workload"), str_at(fit, "workload")) != 0 ||
            strcmp(str_at(c, "strategy"), str_at(fit, "strategy")) != 0 || !same_source(c, fit) ||
            !json_is_number(json_object_get(json_object_get(c, "speedup"), "value")) ||
            json_is_false(json_object_get(c, "results_agree")))
            continue;
        n[k] = (double)json_integer_value(json_object_get(c, "workers"));
        S[k] = num_at(c, "speedup", "value");
        if (n[k] == 1) base = S[k];
        k++;
    }
    for (size_t j = 0; base > 0 && j < k; j++) S[j] /= base;
    return k;
}

/* The USL fit that goes with an Amdahl one, or NULL. */
static json_t *usl_of(json_t *report, json_t *amdahl) {
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(report, "fits"), i, u) {
        if (strcmp(str_at(u, "model"), "usl") == 0 && strcmp(str_at(u, "workload"), str_at(amdahl, "workload")) == 0 &&
            strcmp(str_at(u, "strategy"), str_at(amdahl, "strategy")) == 0 && same_source(u, amdahl))
            return u;
    }
    return NULL;
}

int gs_fit_good(double r2, double s) { return r2 >= GOOD_R2 && s >= 0 && s <= 1; }

/* One line for a fit that does not hold: more workers made it slower, or
 * no model fits the points. */
static void describe_misfit(FILE *f, json_t *report, json_t *a) {
    double n[64], S[64];
    size_t k = report_points(report, a, n, S), lo = 0, hi = 0;
    for (size_t i = 1; i < k; i++) {
        if (n[i] < n[lo]) lo = i;
        if (n[i] > n[hi]) hi = i;
    }
    if (k >= 2 && S[hi] < SLOWER * S[lo])
        fprintf(f, "    %-10s more workers made it slower: %.2f× with %.0f, %.2f× with %.0f\n", str_at(a, "strategy"),
                S[lo], n[lo], S[hi], n[hi]);
    else
        fprintf(f, "    %-10s no scaling model fits these %d points (Amdahl r² %.2f)\n", str_at(a, "strategy"),
                (int)json_integer_value(json_object_get(a, "points")), num_at(a, "r2", NULL));
}

/* The lines of one Amdahl fit (and its USL fit) of a report: none below
 * three worker counts, one line when the fit does not hold. */
static void describe_fit(FILE *f, json_t *report, json_t *a) {
    if (json_integer_value(json_object_get(a, "points")) < MIN_POINTS) return;
    if (!gs_fit_good(num_at(a, "r2", NULL), num_at(json_object_get(a, "parameters"), "serial_fraction", "value"))) {
        describe_misfit(f, report, a);
        return;
    }
    int cores = (int)json_integer_value(json_object_get(a, "cores"));
    int relative = strcmp(str_at(a, "relative_to"), RELATIVE_TO_OWN) == 0;
    double s = num_at(json_object_get(a, "parameters"), "serial_fraction", "value");
    double s_se = num_at(json_object_get(a, "parameters"), "serial_fraction", "stderr");
    json_t *pred = json_object_get(a, "prediction"), *u = usl_of(report, a);
    double at = num_at(pred, "workers", NULL), maxn = at / 2;
    fprintf(f, "    %-10s Amdahl%s, relative to %s: serial fraction %.3f ± %.3f (r² %.3f)", str_at(a, "strategy"),
            cores > 0 ? " on min(workers, cores)" : "",
            relative ? "its 1-worker run" : gs_strategy_name(gs_strategy_baseline()), s, s_se, num_at(a, "r2", NULL));
    if (u != NULL) {
        json_t *p = json_object_get(u, "parameters");
        fprintf(f, "; USL σ %.3f ± %.3f, κ %.4f ± %.4f (r² %.3f)", num_at(p, "sigma", "value"),
                num_at(p, "sigma", "stderr"), num_at(p, "kappa", "value"), num_at(p, "kappa", "stderr"),
                num_at(u, "r2", NULL));
    }
    fprintf(f, "\n      ");
    if (cores > 0 && maxn > cores) {
        double n[64], S[64];
        gs_fit naive;
        size_t k = report_points(report, a, n, S);
        gs_fit_curve(n, S, k, 0, &naive);
        if (s < 0.2 && naive.ok && naive.s > 2 * s + 0.05)
            fprintf(f, "flat past %d workers because the %d cores run out, not from a serial fraction "
                       "(ignoring the cores it would read %.3f); ", cores, cores, naive.s);
    }
    if (s >= 0.5)
        fprintf(f, "mostly serial: the workers barely overlap; ");
    else if (s < 0.05 && cores == 0)
        fprintf(f, "near-linear; ");
    fprintf(f, "predicted %.2f× [%.2f, %.2f]%s at %.0f workers (extrapolated)\n", num_at(pred, "speedup", NULL),
            num_at(pred, "ci_low", NULL), num_at(pred, "ci_high", NULL), relative ? " of its 1-worker speed" : "", at);
}

char *gs_fit_describe_report(json_t *report, const char *workload) {
    char *out = NULL;
    size_t len = 0, i;
    int any = 0;
    json_t *a;
    FILE *f = open_memstream(&out, &len);
    if (f == NULL) return NULL;
    json_array_foreach(json_object_get(report, "fits"), i, a) {
        if (strcmp(str_at(a, "workload"), workload) != 0 || strcmp(str_at(a, "model"), "amdahl") != 0 ||
            json_integer_value(json_object_get(a, "points")) < MIN_POINTS)
            continue;
        describe_fit(f, report, a);
        any = 1;
    }
    fclose(f);
    if (!any) {
        free(out);
        return NULL;
    }
    return out;
}
