/* The CI gate (report/compare.c) on hand-built reports: no change passes,
 * a significant slowdown beyond the threshold fails, an interval that cannot
 * reach its level calls nothing significant, the level is shared by the
 * cells compared, reports that measured different things are refused (or
 * compared anyway, saying so), missing cells are listed, few runs warned
 * about, and the comparison comes out as JSON. Expected intervals were
 * computed by hand (every pairwise ratio, the Mann–Whitney table). */
#include "gs_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "merge.h"

/* Appends a cell (workload w, strategy st × workers) whose measured runs took
 * walls[0..n-1] seconds, with speedup sp [lo, hi], to report r. */
static void add_cell(json_t *r, const char *w, const char *st, int workers, const double *walls, size_t n, double sp,
                     double lo, double hi) {
    for (size_t i = 0; i < n; i++)
        json_array_append_new(json_object_get(r, "runs"),
                              json_pack("{s:s,s:s,s:i,s:s,s:b,s:b,s:f}", "workload", w, "strategy", st, "workers",
                                        workers, "status", "ok", "warmup", 0, "diagnostic", 0, "strategy_wall_s", walls[i]));
    json_t *cell = json_pack("{s:s,s:s,s:i,s:n,s:{s:f,s:f,s:f}}", "workload", w, "strategy", st, "workers", workers,
                             "start_method", "speedup", "value", sp, "ci_low", lo, "ci_high", hi);
    if (!strcmp(st, "processes")) json_object_set_new(cell, "start_method", json_string("fork"));
    json_array_append_new(json_object_get(r, "cells"), cell);
}

/* A report of one cell, with the metadata and workload entry compare checks:
 * CPython 3.11.7, 8 tasks, size 200, a file hash. */
static json_t *report(const char *w, const char *st, int workers, const double *walls, size_t n, double sp, double lo,
                      double hi) {
    json_t *r = json_pack("{s:i,s:{s:{s:s,s:s,s:b},s:i},s:[{s:s,s:i,s:n,s:n,s:s}],s:[],s:[],s:[]}", "schema_version", 2,
                          "metadata", "python", "implementation", "CPython", "version", "3.11.7", "gil_enabled", 1,
                          "tasks", 8, "workloads", "name", w, "size", 200, "calibration", "error", "sha256",
                          "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "runs", "cells",
                          "verdicts");
    add_cell(r, w, st, workers, walls, n, sp, lo, hi);
    return r;
}

static json_t *wl0(json_t *r) { return json_array_get(json_object_get(r, "workloads"), 0); }

typedef struct outcome {
    int rc;
    char out[16384], err[4096], why[512];
    json_t *json;
} outcome;

static void slurp(FILE *f, char *buf, size_t cap) {
    rewind(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static outcome last;

/* Compares (taking both reports) with the default thresholds. */
static outcome *run_compare(json_t *base, json_t *next, int allow_different) {
    outcome *r = &last;
    json_decref(r->json);
    memset(r, 0, sizeof(*r));
    gs_compare_opts o = {0.10, 0.10, allow_different, "base.json", "new.json"};
    FILE *out = tmpfile(), *err = tmpfile();
    assert_non_null(out);
    assert_non_null(err);
    r->rc = gs_compare(base, next, &o, out, err, &r->json, r->why, sizeof(r->why));
    slurp(out, r->out, sizeof(r->out));
    slurp(err, r->err, sizeof(r->err));
    json_decref(base);
    json_decref(next);
    assert_non_null(r->json);
    return r;
}

static json_t *row(outcome *r, size_t i) { return json_array_get(json_object_get(r->json, "cells"), i); }

static const double steady[] = {1.00, 1.01, 0.99, 1.00, 1.02, 0.98};
static const double slower[] = {1.50, 1.51, 1.49, 1.50, 1.52, 1.48};

static void same_figures_pass(void **state) {
    (void)state;
    outcome *r = run_compare(report("cpu", "threads", 2, steady, 6, 1.9, 1.8, 2.0),
                             report("cpu", "threads", 2, steady, 6, 1.9, 1.8, 2.0), 0);
    assert_int_equal(r->rc, 0);
    assert_string_equal(json_string_value(json_object_get(r->json, "result")), "ok");
    assert_false(json_is_true(json_object_get(row(r, 0), "significant")));
    assert_null(strstr(r->out, "warning"));
    assert_null(strstr(r->out, "not checked"));
}

static void a_significant_slowdown_fails(void **state) {
    (void)state;
    outcome *r = run_compare(report("cpu", "threads", 2, steady, 6, 1.9, 1.8, 2.0),
                             report("cpu", "threads", 2, slower, 6, 1.9, 1.8, 2.0), 0);
    assert_int_equal(r->rc, 1);
    assert_non_null(strstr(r->err, "gilscope: regression: cpu threads × 2: wall +50.0%"));
    assert_string_equal(json_string_value(json_object_get(row(r, 0), "status")), "regressed");
}

/* 6 runs a side, one cell: k = 6 (P(U <= 5) = 0.0206 <= 0.025 < P(U <= 6)),
 * so the interval is [D(6), D(31)] of the 36 pairwise ratios: [1.0196, 1.08]. */
static const double base6[] = {1.00, 1.02, 0.99, 1.01, 1.03, 0.98};
static const double new6[] = {1.05, 1.07, 1.04, 1.06, 1.02, 1.08};

static void the_interval_is_the_mann_whitney_one(void **state) {
    (void)state;
    outcome *r = run_compare(report("cpu", "threads", 2, base6, 6, 1.9, 1.8, 2.0),
                             report("cpu", "threads", 2, new6, 6, 1.9, 1.8, 2.0), 0);
    json_t *iv = json_object_get(row(r, 0), "interval");
    assert_true(fabs(json_real_value(json_array_get(iv, 0)) - 0.0196078431372548) < 1e-9);
    assert_true(fabs(json_real_value(json_array_get(iv, 1)) - 0.08) < 1e-9);
    assert_true(json_is_true(json_object_get(row(r, 0), "significant")));
    /* significant, but +5% is within the 10% threshold: no regression */
    assert_int_equal(r->rc, 0);
    assert_string_equal(json_string_value(json_object_get(row(r, 0), "status")), "ok");
    assert_true(fabs(json_real_value(json_object_get(row(r, 0), "level")) - 0.95) < 1e-12);
}

/* The old gate: a bootstrap interval from 3 runs a side is the range of the
 * pairwise ratios, apart whenever the two ranges are (1 chance in 10 with no
 * change at all), so +15% here failed. 3 runs a side can never reach 95%:
 * the change is unclear, not a regression. */
static void three_runs_a_side_are_never_significant(void **state) {
    (void)state;
    static const double a[] = {1.00, 1.01, 1.02}, b[] = {1.15, 1.16, 1.17};
    outcome *r = run_compare(report("cpu", "threads", 2, a, 3, 1.9, 1.8, 2.0),
                             report("cpu", "threads", 2, b, 3, 1.9, 1.8, 2.0), 0);
    assert_int_equal(r->rc, 0);
    assert_true(json_is_null(json_object_get(row(r, 0), "interval")));
    assert_string_equal(json_string_value(json_object_get(row(r, 0), "status")), "unclear");
    assert_non_null(strstr(r->out, "too few runs"));
    assert_non_null(strstr(r->out, "**warning**: base.json has fewer than 6 measured runs in 1 of the 1 cells"));
    assert_non_null(strstr(r->out, "**warning**: new.json has fewer than 6"));
    assert_int_equal(json_array_size(json_object_get(r->json, "warnings")), 2);
}

/* U = 4 pairs have new < base: significant for one cell (k = 6), not when two
 * cells share the 5% (k = 4 at 2.5%). */
static const double shifted[] = {0.995, 1.04, 1.05, 1.06, 1.07, 1.08};

static void the_level_is_shared_by_the_cells_compared(void **state) {
    (void)state;
    outcome *r = run_compare(report("cpu", "threads", 2, base6, 6, 1.9, 1.8, 2.0),
                             report("cpu", "threads", 2, shifted, 6, 1.9, 1.8, 2.0), 0);
    assert_true(json_is_true(json_object_get(row(r, 0), "significant")));
    json_t *b = report("cpu", "threads", 2, base6, 6, 1.9, 1.8, 2.0), *n = report("cpu", "threads", 2, shifted, 6, 1.9, 1.8, 2.0);
    add_cell(b, "cpu", "serial", 1, steady, 6, 1, 1, 1);
    add_cell(n, "cpu", "serial", 1, steady, 6, 1, 1, 1);
    r = run_compare(b, n, 0);
    assert_false(json_is_true(json_object_get(row(r, 0), "significant")));
    assert_true(fabs(json_real_value(json_object_get(row(r, 0), "level")) - 0.975) < 1e-12);
    assert_non_null(strstr(r->out, "each at 97.5% so that the 2 cells share 95% (Bonferroni)"));
}

/* +15% by the medians but an interval that reaches below +10%: unclear. */
static void a_regression_must_clear_the_threshold(void **state) {
    (void)state;
    static const double b[] = {1.00, 1.01, 0.99, 1.00, 1.02, 0.98, 1.00, 1.01, 0.99, 1.00};
    static const double n[] = {1.15, 1.30, 1.02, 1.14, 1.16, 1.05, 1.17, 1.25, 1.12, 1.08};
    outcome *r = run_compare(report("cpu", "threads", 2, b, 10, 1.9, 1.8, 2.0), report("cpu", "threads", 2, n, 10, 1.9, 1.8, 2.0), 0);
    assert_int_equal(r->rc, 0);
    assert_true(json_is_true(json_object_get(row(r, 0), "significant")));
    assert_string_equal(json_string_value(json_object_get(row(r, 0), "status")), "unclear");
    assert_non_null(strstr(r->out, "unclear: 1 cell changed by more than +10%"));
}

static void a_speedup_drop_beyond_the_intervals_fails(void **state) {
    (void)state;
    outcome *r = run_compare(report("cpu", "threads", 2, steady, 6, 1.9, 1.85, 1.95),
                             report("cpu", "threads", 2, steady, 6, 1.5, 1.45, 1.55), 0);
    assert_int_equal(r->rc, 1);
    assert_true(json_is_true(json_object_get(row(r, 0), "speedup_regressed")));
    /* 1.7 [1.65, 1.75] is below 1.85 but not below 1.85 less 10%: no failure */
    r = run_compare(report("cpu", "threads", 2, steady, 6, 1.9, 1.85, 1.95),
                    report("cpu", "threads", 2, steady, 6, 1.7, 1.65, 1.75), 0);
    assert_int_equal(r->rc, 0);
}

static void nothing_in_common_cannot_be_compared(void **state) {
    (void)state;
    outcome *r = run_compare(report("cpu", "threads", 2, steady, 6, 1.9, 1.8, 2.0),
                             report("sleep", "threads", 2, steady, 6, 1.9, 1.8, 2.0), 0);
    assert_int_equal(r->rc, 2);
    assert_non_null(strstr(r->why, "measured different things"));
    assert_string_equal(json_string_value(json_object_get(r->json, "result")), "refused");
}

static void different_settings_are_refused_and_named(void **state) {
    (void)state;
    json_t *b = report("cpu", "processes", 2, steady, 6, 1.9, 1.8, 2.0), *n = json_deep_copy(b);
    json_object_set_new(wl0(n), "size", json_integer(400));
    json_object_set_new(json_object_get(n, "metadata"), "tasks", json_integer(16));
    json_object_set_new(json_object_get(json_object_get(n, "metadata"), "python"), "version", json_string("3.12.1"));
    json_object_set_new(json_array_get(json_object_get(n, "cells"), 0), "start_method", json_string("spawn"));
    json_object_set_new(wl0(n), "sha256", json_string("fedcba9876543210"));
    outcome *r = run_compare(json_incref(b), json_incref(n), 0);
    assert_int_equal(r->rc, 2);
    assert_non_null(strstr(r->err, "gilscope: compare: cpu: size 200 in base.json, 400 in new.json\n"));
    assert_non_null(strstr(r->err, "gilscope: compare: tasks 8 in base.json, 16 in new.json\n"));
    assert_non_null(strstr(r->err, "interpreter CPython 3.11.7 in base.json, CPython 3.12.1 in new.json\n"));
    assert_non_null(strstr(r->err, "start method fork in base.json, spawn in new.json\n"));
    assert_non_null(strstr(r->err, "cpu: workload file sha256 0123456789ab… in base.json, fedcba987654… in new.json\n"));
    assert_non_null(strstr(r->why, "5 differences above"));
    assert_int_equal(json_array_size(json_object_get(r->json, "differences")), 5);
    assert_string_equal(r->out, "");
    r = run_compare(b, n, 1);
    assert_int_equal(r->rc, 0);
    assert_non_null(strstr(r->out, "\n**compared anyway** (--allow-different), although they differ: interpreter "));
    assert_non_null(strstr(r->out, "; cpu: size 200 in base.json, 400 in new.json; "));
    assert_true(json_is_true(json_object_get(r->json, "allow_different")));
}

static void a_size_from_auto_says_to_pin_it(void **state) {
    (void)state;
    json_t *b = report("cpu", "threads", 2, steady, 6, 1.9, 1.8, 2.0), *n = json_deep_copy(b);
    json_object_set_new(wl0(n), "size", json_integer(230));
    json_object_set_new(wl0(n), "calibration", json_pack("[{s:i,s:f}]", "size", 50, "wall_s", 0.05));
    outcome *r = run_compare(b, n, 0);
    assert_int_equal(r->rc, 2);
    assert_non_null(strstr(r->err, "cpu: size 200 in base.json, 230 in new.json (chosen by --size auto: a gate pins --size)"));
}

static void what_a_report_does_not_record_is_not_checked(void **state) {
    (void)state;
    json_t *b = report("cpu", "threads", 2, steady, 6, 1.9, 1.8, 2.0), *n = json_deep_copy(b);
    json_object_del(wl0(b), "sha256"); /* a report from before the hash */
    outcome *r = run_compare(b, n, 0);
    assert_int_equal(r->rc, 0);
    assert_non_null(strstr(r->out, "not checked: cpu: workload file hash (base.json records none)"));
    assert_int_equal(json_array_size(json_object_get(r->json, "unchecked")), 1);
}

static void missing_cells_are_listed(void **state) {
    (void)state;
    json_t *b = report("cpu", "threads", 2, steady, 6, 1.9, 1.8, 2.0), *n = json_deep_copy(b);
    add_cell(b, "cpu", "processes", 2, steady, 6, 1.9, 1.8, 2.0);
    add_cell(n, "cpu", "to_thread", 2, steady, 6, 1.9, 1.8, 2.0);
    add_cell(b, "cpu", "threads", 4, steady, 6, 1.9, 1.8, 2.0);
    add_cell(n, "cpu", "threads", 4, steady, 0, 1.9, 1.8, 2.0);
    outcome *r = run_compare(b, n, 0);
    assert_int_equal(r->rc, 0);
    assert_non_null(strstr(r->out, "\nonly in base.json (not compared): cpu processes/fork × 2\n"));
    assert_non_null(strstr(r->out, "\nonly in new.json (not compared): cpu to_thread × 2\n"));
    assert_non_null(strstr(r->out, "\nnot measured on both sides (not compared): cpu threads × 4 (new.json: "));
    assert_int_equal(json_array_size(json_object_get(r->json, "only_in_base")), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r->json, "only_in_new"), 0),
                                                          "strategy")),
                        "to_thread");
    assert_int_equal(json_array_size(json_object_get(r->json, "not_measured")), 1);
    assert_int_equal(json_array_size(json_object_get(r->json, "cells")), 1);
}

/* Merged reports compare source by source; a difference names its source. */
static void merged_reports_compare_per_source(void **state) {
    (void)state;
    json_t *a = report("cpu", "threads", 2, steady, 6, 1.9, 1.8, 2.0), *c = json_deep_copy(a);
    json_object_set_new(json_object_get(json_object_get(c, "metadata"), "python"), "version", json_string("3.12.1"));
    const char *files[] = {"py311.json", "py312.json"};
    json_t *in[] = {a, c};
    char err[256];
    json_t *base = gs_merge(in, files, 2, NULL, err, sizeof(err)), *next = gs_merge(in, files, 2, NULL, err, sizeof(err));
    assert_non_null(base);
    outcome *r = run_compare(json_incref(base), next, 0);
    assert_int_equal(r->rc, 0);
    assert_int_equal(json_array_size(json_object_get(r->json, "cells")), 2);
    assert_non_null(strstr(r->out, "| cpu (py312) | threads | 2 |"));
    json_t *w = json_array_get(json_object_get(base, "workloads"), 1);
    json_object_set_new(w, "size", json_integer(400));
    next = gs_merge(in, files, 2, NULL, err, sizeof(err));
    r = run_compare(next, base, 0);
    assert_int_equal(r->rc, 2);
    assert_non_null(strstr(r->err, "gilscope: compare: py312: cpu: size 200 in base.json, 400 in new.json\n"));
    json_decref(a);
    json_decref(c);
}

static int teardown(void **state) {
    (void)state;
    json_decref(last.json);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_figures_pass),
        cmocka_unit_test(a_significant_slowdown_fails),
        cmocka_unit_test(the_interval_is_the_mann_whitney_one),
        cmocka_unit_test(three_runs_a_side_are_never_significant),
        cmocka_unit_test(the_level_is_shared_by_the_cells_compared),
        cmocka_unit_test(a_regression_must_clear_the_threshold),
        cmocka_unit_test(a_speedup_drop_beyond_the_intervals_fails),
        cmocka_unit_test(nothing_in_common_cannot_be_compared),
        cmocka_unit_test(different_settings_are_refused_and_named),
        cmocka_unit_test(a_size_from_auto_says_to_pin_it),
        cmocka_unit_test(what_a_report_does_not_record_is_not_checked),
        cmocka_unit_test(missing_cells_are_listed),
        cmocka_unit_test(merged_reports_compare_per_source),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
