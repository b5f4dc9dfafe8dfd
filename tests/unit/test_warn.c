#include "gs_test.h"

#include <string.h>

#include "warn.h"

/* True when some warning of the given kind mentions needle. */
static int has(json_t *a, const char *kind, const char *needle) {
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x) {
        if (strcmp(json_string_value(json_object_get(x, "kind")), kind) == 0 &&
            strstr(json_string_value(json_object_get(x, "message")), needle) != NULL)
            return 1;
    }
    return 0;
}

static void every_cause_is_named_with_its_fix(void **state) {
    (void)state;
    gs_options o;
    memset(&o, 0, sizeof(o));
    gs_workload w;
    memset(&w, 0, sizeof(w));
    w.name = "cpu";
    gs_cell c[2];
    memset(c, 0, sizeof(c));
    c[0].strategy = ST("serial");
    c[0].workers = 1;
    c[0].wall.n = 3;
    c[0].wall.median = 0.0004; /* too short */
    c[0].wall.mean = 0.0004;
    c[1].strategy = ST("threads");
    c[1].workers = 2;
    c[1].wall.n = 3;
    c[1].wall.median = 1.0;
    c[1].wall.mean = 1.0;
    c[1].wall.stddev = 0.1; /* CV 10% */
    c[1].outliers = 1;
    gs_session s;
    memset(&s, 0, sizeof(s));
    s.opt = &o;
    s.workloads = &w;
    s.nworkloads = 1;
    s.cells = c;
    s.ncells = 2;
    s.metadata = json_pack("{s:i,s:[f,f,f],s:s}", "cores", 2, "load_average", 3.0, 2.0, 1.0, "cpu_governor", "powersave");
    json_t *a = gs_warnings(&s, (size_t)-1);
    assert_true(has(a, "load", "load average 3.00 at start on 2 cores"));
    assert_true(has(a, "governor", "\"powersave\""));
    assert_true(has(a, "governor", "performance"));
    assert_true(has(a, "noisy", "threads × 2: runs vary by 10.0%"));
    assert_true(has(a, "outliers", "1 outlier run"));
    assert_true(has(a, "short", "serial × 1: runs of 400 µs are too short"));
    assert_true(has(a, "short", "raise --size or --tasks"));
    json_decref(a);
    /* When --size auto found that the size does not drive the workload, only --tasks helps. */
    w.size_ignored = 1;
    a = gs_warnings(&s, (size_t)-1);
    assert_true(has(a, "short", "raise --tasks (the size does not change this workload)"));
    w.size_ignored = 0;
    assert_true(has(a, "few_runs", "covers only 75.0%"));
    assert_true(has(a, "few_runs", "--runs 6"));
    json_decref(a);
    /* A quiet machine with enough steady runs says nothing. */
    json_decref(s.metadata);
    s.metadata = json_pack("{s:i,s:[f,f,f],s:s}", "cores", 2, "load_average", 0.1, 0.1, 0.1, "cpu_governor", "performance");
    for (int i = 0; i < 2; i++) {
        c[i].wall.n = 6;
        c[i].wall.median = c[i].wall.mean = 1.0;
        c[i].wall.stddev = 0.01;
        c[i].outliers = 0;
    }
    a = gs_warnings(&s, (size_t)-1);
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
    json_decref(s.metadata);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_cause_is_named_with_its_fix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
