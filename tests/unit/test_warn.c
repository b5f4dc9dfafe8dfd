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
    assert_false(has(a, "outliers", "")); /* from 3 runs a z-score means nothing */
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
    /* An experiment (MEASURES): its wall time is not its measurement, so
     * nothing is said of its spread, its length or its number of runs. */
    w.measures = json_array();
    a = gs_warnings(&s, (size_t)-1);
    assert_false(has(a, "noisy", ""));
    assert_false(has(a, "short", ""));
    assert_false(has(a, "few_runs", ""));
    assert_true(has(a, "load", "load average 3.00")); /* the machine's are said still */
    json_decref(a);
    json_decref(w.measures);
    w.measures = NULL;
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
    /* The machine: cores that delivered less than 80% of the usable ones
     * around the workload's runs, and a capacity that moved during the session. */
    s.capacity.limits.usable = w.capacity.limits.usable = 2;
    gs_capacity_log(&s.capacity, GS_CAP_BEFORE, 1.9);
    gs_capacity_log(&s.capacity, GS_CAP_AFTER, 1.2);
    gs_capacity_log(&w.capacity, GS_CAP_BEFORE, 1.3);
    gs_capacity_log(&w.capacity, GS_CAP_AFTER, 1.2);
    /* Cold code in the threads cell. */
    c[1].cold_ratio = 1.45;
    a = gs_warnings(&s, (size_t)-1);
    assert_true(has(a, "capacity_moved", "between 1.20 and 1.90 during the session (2 measurements, a move of 37%)"));
    assert_true(has(a, "capacity_low", "the cores delivered at most 1.30 of 2 usable while it ran"));
    assert_true(has(a, "capacity_low", "a CPU quota or a host sharing its vCPUs"));
    assert_true(has(a, "cold_code", "threads × 2: each worker's first tasks took 1.45× as long as its last ones"));
    assert_int_equal(json_array_size(a), 3);
    json_decref(a);
    /* Within 80% and 15%, and warm: nothing. */
    memset(&s.capacity, 0, sizeof(s.capacity));
    memset(&w.capacity, 0, sizeof(w.capacity));
    s.capacity.limits.usable = w.capacity.limits.usable = 2;
    gs_capacity_log(&s.capacity, GS_CAP_BEFORE, 1.9);
    gs_capacity_log(&s.capacity, GS_CAP_AFTER, 1.7);
    gs_capacity_log(&w.capacity, GS_CAP_BEFORE, 1.7);
    c[1].cold_ratio = 1.1;
    a = gs_warnings(&s, (size_t)-1);
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
    json_decref(s.metadata);
}

/* The warning of a field: the first of that cause. */
static json_t *of_cause(json_t *a, const char *cause) {
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x) {
        if (strcmp(json_string_value(json_object_get(x, "cause")), cause) == 0) return x;
    }
    fail_msg("no warning of cause %s", cause);
    return NULL;
}

/* Every warning has a cause; those that group carry the same finding and fix
 * and their own detail. Outliers only from 6 runs on. */
static void causes_group_with_their_details(void **state) {
    (void)state;
    gs_options o;
    memset(&o, 0, sizeof(o));
    gs_workload w[2];
    memset(w, 0, sizeof(w));
    w[0].name = "cpu";
    w[1].name = "empty";
    w[1].size_ignored = 1;
    gs_cell c[3];
    memset(c, 0, sizeof(c));
    for (int i = 0; i < 3; i++) {
        c[i].strategy = ST("threads");
        c[i].workers = 2;
        c[i].wall.n = 6;
        c[i].wall.median = c[i].wall.mean = 1.0;
        c[i].wall.stddev = 0.09 + 0.01 * i; /* noisy: 9%, 10%, 11% */
        c[i].outliers = (size_t)i;
    }
    c[2].workload = 1;
    c[2].wall.median = 0.0004;
    gs_session s;
    memset(&s, 0, sizeof(s));
    s.opt = &o;
    s.workloads = w;
    s.nworkloads = 2;
    s.cells = c;
    s.ncells = 3;
    s.metadata = json_pack("{s:i,s:[f,f,f],s:s}", "cores", 2, "load_average", 3.0, 2.0, 1.0, "cpu_governor", "performance");
    json_t *a = gs_warnings(&s, (size_t)-1);
    json_t *load = of_cause(a, "load");
    assert_null(json_object_get(load, "finding")); /* a line of its own */
    size_t i, noisy = 0;
    json_t *x;
    json_array_foreach(a, i, x) {
        assert_true(json_is_string(json_object_get(x, "cause")));
        if (strcmp(json_string_value(json_object_get(x, "cause")), "noisy") != 0) continue;
        noisy++;
        assert_string_equal(json_string_value(json_object_get(x, "finding")), "runs vary by more than 5% (coefficient of variation)");
        assert_string_equal(json_string_value(json_object_get(x, "fix")), "close other programs, or raise --runs");
    }
    assert_int_equal(noisy, 3);
    assert_string_equal(json_string_value(json_object_get(of_cause(a, "noisy"), "detail")), "9.0%");
    x = of_cause(a, "outliers"); /* the cell with 1 of 6 runs */
    assert_string_equal(json_string_value(json_object_get(x, "detail")), "1 of 6 runs");
    assert_string_equal(json_string_value(json_object_get(x, "workload")), "cpu");
    x = of_cause(a, "short_size_free");
    assert_string_equal(json_string_value(json_object_get(x, "detail")), "400 µs");
    assert_string_equal(json_string_value(json_object_get(x, "fix")), "raise --tasks (the size does not change these workloads)");
    json_decref(a);
    c[1].wall.n = c[2].wall.n = 5;
    a = gs_warnings(&s, (size_t)-1);
    x = of_cause(a, "few_runs");
    assert_string_equal(json_string_value(json_object_get(x, "detail")), "5 runs: 93.8%");
    assert_string_equal(json_string_value(json_object_get(x, "fix")), "use --runs 6 or more");
    assert_true(json_is_null(json_object_get(x, "strategy")));
    json_decref(a);
    json_decref(s.metadata);
}

/* A free-threaded interpreter started without its GIL whose runs turned it
 * on: a warning names the cell and how many runs; none when no run did, and
 * none on an interpreter with its GIL. */
static void gil_taken_on_a_free_threaded_build(void **state) {
    (void)state;
    gs_options o;
    memset(&o, 0, sizeof(o));
    gs_workload w;
    memset(&w, 0, sizeof(w));
    w.name = "cpu";
    gs_cell c;
    memset(&c, 0, sizeof(c));
    c.strategy = ST("threads");
    c.workers = 2;
    gs_run r[3];
    for (int i = 0; i < 3; i++) {
        gs_run_init(&r[i]);
        r[i].status = GS_RUN_OK;
        r[i].gil_enabled = i == 0 ? 0 : 1;
    }
    gs_session s;
    memset(&s, 0, sizeof(s));
    s.opt = &o;
    s.workloads = &w;
    s.nworkloads = 1;
    s.cells = &c;
    s.ncells = 1;
    s.runs = r;
    s.nruns = 3;
    s.metadata = json_pack("{s:i}", "cores", 2);
    s.hello = json_pack("{s:{s:b,s:b}}", "python", "gil_enabled", 0, "free_threaded", 1);
    json_t *a = gs_warnings(&s, (size_t)-1);
    assert_true(has(a, "gil_taken", "threads × 2: the GIL was enabled in 2 of 3 runs"));
    assert_true(has(a, "gil_taken", "counted as lock waits"));
    json_decref(a);
    r[1].gil_enabled = r[2].gil_enabled = 0;
    a = gs_warnings(&s, (size_t)-1);
    assert_false(has(a, "gil_taken", ""));
    json_decref(a);
    r[1].gil_enabled = 1;
    json_decref(s.hello);
    s.hello = json_pack("{s:{s:b,s:b}}", "python", "gil_enabled", 1, "free_threaded", 0);
    a = gs_warnings(&s, (size_t)-1);
    assert_false(has(a, "gil_taken", ""));
    json_decref(a);
    json_decref(s.hello);
    json_decref(s.metadata);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_cause_is_named_with_its_fix),
        cmocka_unit_test(gil_taken_on_a_free_threaded_build),
        cmocka_unit_test(causes_group_with_their_details),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
