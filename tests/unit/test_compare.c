/* The CI gate (report/compare.c) on hand-built reports: no change passes,
 * a significant slowdown beyond the threshold fails, reports that measured
 * different things cannot be compared. */
#include "gs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

/* A report with one cell (workload w, strategy st × workers) whose measured
 * runs took walls[0..n-1] seconds, with speedup sp [lo, hi]. */
static json_t *report(const char *w, const char *st, int workers, const double *walls, size_t n, double sp,
                      double lo, double hi) {
    json_t *runs = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(runs, json_pack("{s:s,s:s,s:i,s:s,s:b,s:b,s:f}", "workload", w, "strategy", st, "workers",
                                              workers, "status", "ok", "warmup", 0, "diagnostic", 0,
                                              "strategy_wall_s", walls[i]));
    json_t *cell = json_pack("{s:s,s:s,s:i,s:{s:f,s:f,s:f}}", "workload", w, "strategy", st, "workers", workers,
                             "speedup", "value", sp, "ci_low", lo, "ci_high", hi);
    return json_pack("{s:i,s:{},s:[],s:o,s:[o],s:[]}", "schema_version", 2, "metadata", "workloads", "runs", runs,
                     "cells", cell, "verdicts");
}

static int compare(json_t *base, json_t *next, char *why) {
    gs_compare_opts o = {0.10, 0.10};
    FILE *out = fopen("/dev/null", "w"), *err = fopen("/dev/null", "w");
    int rc = gs_compare(base, next, &o, 0, out, err, why, 256);
    fclose(out);
    fclose(err);
    json_decref(base);
    json_decref(next);
    return rc;
}

static const double steady[] = {1.00, 1.01, 0.99, 1.00, 1.02, 0.98};
static const double slower[] = {1.50, 1.51, 1.49, 1.50, 1.52, 1.48};

static void same_figures_pass(void **state) {
    (void)state;
    char why[256] = "";
    assert_int_equal(compare(report("cpu", "threads", 2, steady, 6, 1.9, 1.8, 2.0),
                             report("cpu", "threads", 2, steady, 6, 1.9, 1.8, 2.0), why),
                     0);
}

static void a_significant_slowdown_fails(void **state) {
    (void)state;
    char why[256] = "";
    assert_int_equal(compare(report("cpu", "threads", 2, steady, 6, 1.9, 1.8, 2.0),
                             report("cpu", "threads", 2, slower, 6, 1.9, 1.8, 2.0), why),
                     1);
}

static void too_few_runs_are_never_significant(void **state) {
    (void)state;
    char why[256] = "";
    assert_int_equal(compare(report("cpu", "threads", 2, steady, 2, 1.9, 1.8, 2.0),
                             report("cpu", "threads", 2, slower, 2, 1.9, 1.8, 2.0), why),
                     0);
}

static void nothing_in_common_cannot_be_compared(void **state) {
    (void)state;
    char why[256] = "";
    assert_int_equal(compare(report("cpu", "threads", 2, steady, 6, 1.9, 1.8, 2.0),
                             report("sleep", "threads", 2, steady, 6, 1.9, 1.8, 2.0), why),
                     2);
    assert_true(strlen(why) > 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_figures_pass),
        cmocka_unit_test(a_significant_slowdown_fails),
        cmocka_unit_test(too_few_runs_are_never_significant),
        cmocka_unit_test(nothing_in_common_cannot_be_compared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
