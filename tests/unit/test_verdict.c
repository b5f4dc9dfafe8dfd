#include "gs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

/* A session of one workload whose cells carry recorded figures. */
typedef struct fixture {
    gs_session s;
    gs_options o;
    gs_workload w;
    gs_cell c[8];
} fixture;

static void setup(fixture *f, int tasks) {
    memset(f, 0, sizeof(*f));
    f->o.tasks = tasks;
    f->w.name = "wl";
    f->s.opt = &f->o;
    f->s.workloads = &f->w;
    f->s.nworkloads = 1;
    f->s.cells = f->c;
    f->s.hello = json_pack("{s:i}", "cores", 2);
}

static gs_cell *add(fixture *f, gs_strategy st, int workers, double wall, double speedup, double lo, double hi) {
    gs_cell *c = &f->c[f->s.ncells++];
    c->strategy = st;
    c->workers = workers;
    c->wall.n = 5;
    c->wall.median = wall;
    c->speedup = speedup;
    c->speedup_lo = lo;
    c->speedup_hi = hi;
    c->pool_startup_s = st == ST("serial") ? -1 : 0.001;
    c->cores_used = 1.0;
    c->states.lifetime_ns = 1e9;
    return c;
}

static void decide(fixture *f, gs_verdict *v) {
    assert_int_equal(gs_verdict_decide(&f->s, 0, v), 0);
    fprintf(stderr, "reason: %s\n", v->reason);
}

static void cleanup(fixture *f, gs_verdict *v) {
    gs_verdict_free(v);
    json_decref(f->s.hello);
}

/* The pure-Python CPU case measured here: processes saturate 2 cores,
 * threads are GIL-bound. */
static void gil_bound_cpu_work(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8);
    add(&f, ST("serial"), 1, 0.97, 1.0, 0.98, 1.02);
    gs_cell *t = add(&f, ST("threads"), 2, 0.88, 1.10, 1.05, 1.15);
    t->states.ns[GS_ST_GIL] = 0.47e9;
    gs_cell *p = add(&f, ST("processes"), 2, 0.50, 1.93, 1.85, 2.00);
    p->cores_used = 1.97;
    p->start_method = "fork";
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 2);
    assert_int_equal(v.ntie, 0);
    assert_non_null(strstr(v.reason, "cores saturated: 1.93× on 2 cores"));
    assert_non_null(strstr(v.reason, "GIL-bound: threads × 2 1.10× while 47% of worker time waited for the GIL"));
    assert_float_equal(json_real_value(json_object_get(v.figures, "gil_wait_share")), 0.47, 1e-12);
    json_t *j = gs_verdict_json(&f.s, &v);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "best"), "strategy")), "processes");
    assert_int_equal(json_array_size(json_object_get(j, "tie")), 0);
    json_decref(j);
    cleanup(&f, &v);
}

static void io_bound_threads(void **state) {
    (void)state;
    fixture f;
    setup(&f, 16);
    add(&f, ST("serial"), 1, 0.80, 1.0, 0.99, 1.01);
    gs_cell *t = add(&f, ST("threads"), 16, 0.052, 15.4, 15.2, 15.6);
    t->states.ns[GS_ST_SLEEP] = 0.99e9;
    t->cores_used = 0.07;
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 1);
    assert_non_null(strstr(v.reason, "I/O-bound: threads × 16 reached 15.4× of 16× possible"));
    cleanup(&f, &v);
}

/* Short sleeps: most of a worker's window is idle between tasks; inside its
 * task it sleeps. Still I/O-bound. Without thread states, the workload's
 * KIND and its low CPU say the same. */
static void io_bound_despite_idle_time_or_no_states(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8);
    f.w.kind = "io";
    add(&f, ST("serial"), 1, 0.16, 1.0, 0.99, 1.01);
    gs_cell *t = add(&f, ST("threads"), 8, 0.0217, 7.38, 7.2, 7.5);
    t->states.ns[GS_ST_IDLE] = 0.7e9;
    t->states.ns[GS_ST_SLEEP] = 0.25e9;
    t->cores_used = 0.1;
    gs_verdict v;
    decide(&f, &v);
    assert_non_null(strstr(v.reason, "I/O-bound: threads × 8 reached 7.4× of 8× possible"));
    gs_verdict_free(&v);
    memset(&t->states, 0, sizeof(t->states));
    decide(&f, &v);
    assert_non_null(strstr(v.reason, "I/O-bound"));
    cleanup(&f, &v);
}

static void overlapping_intervals_tie(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8);
    add(&f, ST("serial"), 1, 0.92, 1.0, 0.99, 1.01);
    add(&f, ST("threads"), 2, 0.466, 1.97, 1.92, 2.00)->cores_used = 1.98;
    add(&f, ST("to_thread"), 2, 0.470, 1.96, 1.90, 1.99)->cores_used = 1.97;
    add(&f, ST("processes"), 2, 0.490, 1.88, 1.80, 1.91)->cores_used = 1.97;
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 1);
    assert_int_equal(v.ntie, 1); /* to_thread overlaps; processes (1.91 < 1.92) does not */
    assert_int_equal(v.tie[0], 2);
    cleanup(&f, &v);
}

static void nothing_beats_serial_and_small_tasks(void **state) {
    (void)state;
    fixture f;
    setup(&f, 1000);
    add(&f, ST("serial"), 1, 0.0007, 1.0, 0.9, 1.1);
    gs_cell *t = add(&f, ST("threads"), 2, 0.0087, 0.08, 0.07, 0.09);
    t->pool_startup_s = 0.0003;
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 0);
    assert_non_null(strstr(v.reason, "nothing beats serial: the best parallel strategy, threads × 2, reached 0.08×"));
    assert_non_null(strstr(v.reason, "tasks too small to parallelise: one takes 0.7 µs serially, one costs 8.4 µs"));
    cleanup(&f, &v);
}

static void start_up_dominated_pool(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8);
    add(&f, ST("serial"), 1, 0.30, 1.0, 0.99, 1.01);
    gs_cell *p = add(&f, ST("processes"), 2, 0.25, 1.2, 1.1, 1.3);
    p->pool_startup_s = 0.18;
    p->start_method = "spawn";
    p->cores_used = 1.3;
    gs_verdict v;
    decide(&f, &v);
    assert_non_null(strstr(v.reason, "start-up dominated: the processes/spawn × 2 pool took 180.0 ms of 250.0 ms"));
    assert_non_null(strstr(v.reason, "reached 1.20× of 2× possible"));
    cleanup(&f, &v);
}

static void failed_or_disagreeing_cells_never_win(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8);
    add(&f, ST("serial"), 1, 1.0, 1.0, 0.99, 1.01);
    add(&f, ST("processes"), 2, 0.5, 2.0, 1.9, 2.1)->disagree = 1;
    add(&f, ST("threads"), 2, 0.5, 2.0, 1.9, 2.1)->runs_failed = 1;
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 0);
    assert_non_null(strstr(v.reason, "only serial was measured"));
    cleanup(&f, &v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gil_bound_cpu_work),
        cmocka_unit_test(io_bound_threads),
        cmocka_unit_test(io_bound_despite_idle_time_or_no_states),
        cmocka_unit_test(overlapping_intervals_tie),
        cmocka_unit_test(nothing_beats_serial_and_small_tasks),
        cmocka_unit_test(start_up_dominated_pool),
        cmocka_unit_test(failed_or_disagreeing_cells_never_win),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
