#include "gs_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "session.h"

static int workers[] = {1, 2};

static void make(gs_session *s, gs_options *o) {
    memset(o, 0, sizeof(*o));
    o->strategies = (1u << ST("serial")) | (1u << ST("threads")) | (1u << ST("processes"));
    o->workers = workers;
    o->nworkers = 2;
    o->runs = 2;
    o->warmup = 1;
    o->tasks = 4;
    memset(s, 0, sizeof(*s));
    s->opt = o;
    s->nworkloads = 2;
    s->workloads = calloc(2, sizeof(gs_workload));
    s->workloads[0].name = strdup("cpu");
    s->workloads[1].name = strdup("sleep");
    assert_int_equal(gs_session_plan(s), 0);
}

/* Cells: serial, threads x1, threads x2, processes x1, processes x2 per
 * workload; runs cycle through a workload's cells, warm-ups first. */
static void plan_interleaves_repetitions(void **state) {
    (void)state;
    gs_session s;
    gs_options o;
    make(&s, &o);
    assert_int_equal(s.ncells, 10);
    assert_int_equal(s.nruns, 30);
    assert_int_equal(s.cells[0].strategy, ST("serial"));
    assert_int_equal(s.cells[0].workers, 1);
    assert_int_equal(s.cells[2].strategy, ST("threads"));
    assert_int_equal(s.cells[2].workers, 2);
    assert_int_equal(s.cells[5].workload, 1);
    for (size_t i = 0; i < 15; i++) {
        assert_int_equal(s.runs[i].cell, i % 5);
        assert_int_equal(s.runs[i].repetition, (int)(i / 5) + 1);
        assert_int_equal(s.runs[i].warmup, i < 5);
    }
    assert_int_equal(s.runs[15].cell, 5);
    s.opt = NULL;
    gs_session_free(&s);
}

/* A session of the cpu workload planned with o. */
static void plan_cpu(gs_session *s, gs_options *o) {
    memset(s, 0, sizeof(*s));
    s->opt = o;
    s->nworkloads = 1;
    s->workloads = calloc(1, sizeof(gs_workload));
    s->workloads[0].name = strdup("cpu");
    assert_int_equal(gs_session_plan(s), 0);
}

/* A strategy that sends chunks has one cell per chunk size and worker count,
 * with --chunksize; without it one, of starmap's own size. */
static void plan_chunk_sizes(void **state) {
    (void)state;
    gs_session s;
    gs_options o;
    static int chunks[] = {1, 4, 16};
    memset(&o, 0, sizeof(o));
    o.strategies = (1u << ST("serial")) | (1u << ST("mp_pool"));
    o.workers = workers;
    o.nworkers = 2;
    o.chunksizes = chunks;
    o.nchunksizes = 3;
    o.runs = 1;
    o.tasks = 40;
    plan_cpu(&s, &o);
    assert_int_equal(s.ncells, 1 + 2 * 3);
    assert_int_equal(s.cells[0].chunksize, 0); /* serial sends no chunks */
    assert_int_equal(s.cells[1].workers, 1);
    assert_int_equal(s.cells[1].chunksize, 1);
    assert_int_equal(s.cells[3].chunksize, 16);
    assert_int_equal(s.cells[4].workers, 2);
    assert_int_equal(s.cells[4].chunksize, 1);
    char label[64];
    assert_string_equal(gs_cell_label(&s.cells[6], label, sizeof(label)), "mp_pool × 2 chunk 16");
    s.opt = NULL;
    gs_session_free(&s);
    o.nchunksizes = 0;
    plan_cpu(&s, &o);
    assert_int_equal(s.ncells, 3);
    assert_int_equal(s.cells[1].chunksize, 10); /* 40 tasks / (4 × 1) */
    assert_int_equal(s.cells[2].chunksize, 5);  /* 40 / (4 × 2) */
    s.opt = NULL;
    gs_session_free(&s);
    assert_int_equal(gs_chunksize_default(9, 2), 2);
    assert_int_equal(gs_chunksize_default(0, 2), 1);
}

static gs_run *find(gs_session *s, size_t cell, int rep) {
    for (size_t i = 0; i < s->nruns; i++)
        if (s->runs[i].cell == cell && s->runs[i].repetition == rep) return &s->runs[i];
    return NULL;
}

static void ok(gs_session *s, size_t cell, int rep, double wall, double cpu, const char *sum) {
    gs_run *r = find(s, cell, rep);
    r->status = GS_RUN_OK;
    r->strategy_wall_s = wall;
    r->cpu_user_s = cpu;
    r->pool_startup_s = s->cells[cell].strategy == ST("serial") ? -1 : 0.01 * rep;
    r->peak_rss_bytes = 1000 * rep;
    snprintf(r->checksum, sizeof(r->checksum), "%s", sum);
}

static void aggregation_speedups_failures_and_disagreement(void **state) {
    (void)state;
    gs_session s;
    gs_options o;
    make(&s, &o);
    const char *A = "aaaa", *B = "bbbb";
    ok(&s, 0, 1, 5.0, 5.0, A); /* warm-up: left out */
    ok(&s, 0, 2, 1.0, 1.0, A);
    ok(&s, 0, 3, 1.2, 1.2, A);
    ok(&s, 1, 2, 0.5, 1.0, A);
    ok(&s, 1, 3, 0.6, 1.2, A);
    gs_run *f = find(&s, 2, 1);
    f->status = GS_RUN_FAILED;
    f->error = strdup("task 1 raised ValueError: boom");
    find(&s, 3, 1)->status = GS_RUN_UNAVAILABLE;
    find(&s, 3, 1)->error = strdup("needs Python 3.9");
    ok(&s, 4, 2, 0.7, 1.4, A);
    ok(&s, 4, 3, 0.7, 1.4, B);
    gs_session_aggregate(&s);

    gs_cell *serial = &s.cells[0], *t1 = &s.cells[1], *t2 = &s.cells[2], *p1 = &s.cells[3], *p2 = &s.cells[4];
    assert_int_equal(serial->runs_ok, 2);
    assert_float_equal(serial->wall.median, 1.1, 1e-12);
    assert_float_equal(serial->speedup, 1.0, 1e-12);
    assert_int_equal(serial->peak_rss_bytes, 3000); /* warm-ups count for memory */
    assert_float_equal(t1->wall.median, 0.55, 1e-12);
    assert_float_equal(t1->speedup, 2.0, 1e-12);
    assert_float_equal(t1->cores_used, 2.0, 1e-12);
    assert_float_equal(t1->pool_startup_s, 0.025, 1e-12);
    assert_int_equal(t2->runs_failed, 1);
    assert_string_equal(t2->error, "task 1 raised ValueError: boom");
    assert_int_equal(t2->wall.n, 0);
    assert_true(p1->unavailable);
    assert_string_equal(p1->unavailable_reason, "needs Python 3.9");
    assert_null(p1->error);
    assert_true(p2->disagree);
    assert_non_null(strstr(p2->error, "disagree"));
    assert_int_equal(gs_session_exit_status(&s), 1);

    /* Without the failure and the disagreement, unavailability is no failure. */
    f->status = GS_RUN_PENDING;
    snprintf(find(&s, 4, 3)->checksum, 65, "%s", A);
    gs_session_aggregate(&s);
    assert_false(p2->disagree);
    assert_int_equal(gs_session_exit_status(&s), 0);
    s.opt = NULL;
    gs_session_free(&s);
}

/* Task records of one worker (pid = tid = w): durations in ms, back to back. */
static void tasks_of(json_t *a, int w, const double *ms, size_t n) {
    json_int_t t = 1000000000;
    for (size_t i = 0; i < n; i++) {
        json_int_t d = (json_int_t)(ms[i] * 1e6);
        json_array_append_new(a, json_pack("{s:i,s:I,s:I,s:i,s:i}", "index", (int)i, "start_ns", t, "end_ns", t + d,
                                           "pid", w, "tid", w));
        t += d;
    }
}

/* Cold code: a worker's first half of tasks over its last quarter, the
 * median over workers and runs; task mean and median from the records. */
static void cold_code_and_task_figures(void **state) {
    (void)state;
    gs_session s;
    gs_options o;
    make(&s, &o);
    static const double cold[] = {40, 38, 36, 35, 30, 26, 25, 25}, warm[] = {25, 25, 26, 25};
    ok(&s, 0, 2, 1.0, 1.0, "a");
    ok(&s, 0, 3, 1.0, 1.0, "a");
    gs_run *r = find(&s, 0, 2);
    r->tasks = json_array();
    tasks_of(r->tasks, 7, cold, 8); /* first half median 37, last quarter 25 */
    r = find(&s, 0, 3);
    r->tasks = json_array();
    tasks_of(r->tasks, 8, warm, 4); /* first half 25, last quarter 25 */
    tasks_of(r->tasks, 9, warm, 3); /* fewer than 4 tasks: left out */
    assert_float_equal(gs_cold_ratio(&s, 0), (37.0 / 25 + 1.0) / 2, 1e-9);
    gs_session_aggregate(&s);
    assert_float_equal(s.cells[0].cold_ratio, (37.0 / 25 + 1.0) / 2, 1e-9);
    assert_float_equal(s.cells[0].task_max_s, 0.040, 1e-9);
    assert_int_equal(s.cells[0].task_slowest, 0);
    assert_float_equal(s.cells[0].task_mean_s, (255.0 + 101 + 76) / 15 / 1000, 1e-9);
    assert_float_equal(gs_cold_ratio(&s, 1), 0, 0); /* no records */
    s.opt = NULL;
    gs_session_free(&s);
}

/* An experiment (MEASURES): its runs' results are measurements, so they are
 * not checked to agree; the cell shows the values of its run of median
 * wall (the lower middle one of an even count), warm-ups left out. */
static void experiments_show_their_median_run(void **state) {
    (void)state;
    gs_session s;
    gs_options o;
    make(&s, &o);
    s.workloads[0].measures = json_pack("[{s:s,s:s,s:s}]", "key", "rate", "label", "rate", "unit", "/s");
    static const double walls[] = {9.0, 1.3, 1.1};
    for (int rep = 1; rep <= 3; rep++) {
        char sum[8];
        snprintf(sum, sizeof(sum), "s%d", rep); /* every run a different checksum */
        ok(&s, 0, rep, walls[rep - 1], 1.0, sum);
        find(&s, 0, rep)->values = json_pack("[[i]]", rep);
    }
    gs_session_aggregate(&s);
    assert_false(s.cells[0].disagree);
    assert_null(s.cells[0].error);
    /* Runs 2 (1.3 s) and 3 (1.1 s) are measured: the lower middle is run 3. */
    assert_ptr_equal(s.cells[0].measured, find(&s, 0, 3));
    assert_null(s.cells[5].measured); /* sleep declares no measures */
    /* A plain workload's differing checksums are a disagreement still. */
    json_decref(s.workloads[0].measures);
    s.workloads[0].measures = NULL;
    gs_session_aggregate(&s);
    assert_true(s.cells[0].disagree);
    assert_null(s.cells[0].measured);
    s.opt = NULL;
    gs_session_free(&s);
}

/* Without --workload a run takes every built-in but those that run under
 * some strategies only (an experiment: it answers no comparison); named,
 * it is taken. */
static void experiments_run_when_named(void **state) {
    (void)state;
    json_t *info = json_loads("{\"workloads\": ["
                              "{\"spec\": \"convoy\", \"name\": \"convoy\", \"builtin\": true, \"strategies\": [\"serial\"],"
                              " \"measures\": [{\"key\": \"r\", \"label\": \"r\", \"unit\": \"\"}]},"
                              "{\"spec\": \"cpu\", \"name\": \"cpu\", \"builtin\": true, \"strategies\": null}]}",
                              0, NULL);
    assert_non_null(info);
    gs_options o;
    memset(&o, 0, sizeof(o));
    gs_session s;
    memset(&s, 0, sizeof(s));
    s.opt = &o;
    assert_int_equal(gs_session_load_workloads(&s, info), 0);
    assert_int_equal(s.nworkloads, 1);
    assert_string_equal(s.workloads[0].name, "cpu");
    assert_null(s.workloads[0].measures);
    gs_session_free(&s);
    const char *named[] = {"convoy", "cpu"};
    o.workloads = named;
    o.nworkloads = 2;
    s.opt = &o;
    assert_int_equal(gs_session_load_workloads(&s, info), 0);
    assert_int_equal(s.nworkloads, 2);
    assert_string_equal(s.workloads[0].spec, "convoy");
    assert_non_null(s.workloads[0].measures);
    gs_session_free(&s);
    json_decref(info);
}

/* A figure that is not a finite number is written as null and said, not
 * dropped (JSON has no NaN): the report counts it and warns. */
static void nonfinite_figures_are_said(void **state) {
    (void)state;
    gs_session s;
    gs_options o;
    make(&s, &o);
    ok(&s, 0, 2, 1.0, 1.0, "a");
    ok(&s, 0, 3, 1.2, 1.0, "a");
    gs_session_aggregate(&s);
    s.cells[0].task_slowest = 0;
    s.cells[0].task_median_s = NAN;
    s.cells[0].task_max_s = INFINITY;
    json_t *r = gs_json_report(&s);
    json_t *tasks = json_object_get(json_array_get(json_object_get(r, "cells"), 0), "tasks");
    assert_true(json_is_null(json_object_get(tasks, "median_s")));
    assert_true(json_is_null(json_object_get(tasks, "max_s")));
    assert_true(json_is_real(json_object_get(tasks, "mean_s")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "metadata"), "nonfinite_values")), 2);
    int said = 0;
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(r, "warnings"), i, w) said |= strstr(json_string_value(json_object_get(w, "message")),
                                                                          "2 figures of this report were not finite") != NULL;
    assert_true(said);
    json_decref(r);
    s.opt = NULL;
    gs_session_free(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nonfinite_figures_are_said),
        cmocka_unit_test(experiments_show_their_median_run),
        cmocka_unit_test(experiments_run_when_named),
        cmocka_unit_test(plan_chunk_sizes),
        cmocka_unit_test(plan_interleaves_repetitions),
        cmocka_unit_test(aggregation_speedups_failures_and_disagreement),
        cmocka_unit_test(cold_code_and_task_figures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
