#include "gs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

/* Every verdict rule (verdict.h, docs/statistics.md "Verdicts") on recorded
 * cells: a session of one workload on a machine with `usable` cores. */
typedef struct fixture {
    gs_session s;
    gs_options o;
    gs_workload w;
    gs_cell c[8];
} fixture;

#define RUNS 5

static void setup(fixture *f, int tasks, int usable) {
    memset(f, 0, sizeof(*f));
    f->o.tasks = tasks;
    f->w.name = "wl";
    f->w.kind = "cpu";
    f->s.opt = &f->o;
    f->s.workloads = &f->w;
    f->s.nworkloads = 1;
    f->s.cells = f->c;
    f->s.hello = json_pack("{s:i}", "cores", 2);
    f->s.capacity.limits.online = 2;
    f->s.capacity.limits.affinity = usable;
    f->s.capacity.limits.quota = -1;
    f->s.capacity.limits.usable = usable;
    f->s.capacity.before = f->s.capacity.after = -1;
}

/* A cell measured RUNS times whose workers were alive for the whole window. */
static gs_cell *add(fixture *f, const char *strategy, int workers, double wall, double speedup, double lo, double hi) {
    gs_cell *c = &f->c[f->s.ncells++];
    c->strategy = ST(strategy);
    c->workers = workers;
    c->runs_ok = RUNS;
    c->wall.n = RUNS;
    c->wall.median = wall;
    c->speedup = speedup;
    c->speedup_lo = lo;
    c->speedup_hi = hi;
    c->pool_startup_s = strcmp(strategy, "serial") == 0 ? -1 : 0;
    c->cores_used = 1.0;
    c->task_slowest = -1;
    c->states.lifetime_ns = workers * wall * RUNS * 1e9;
    c->states.samples = 1000;
    return c;
}

/* Worker-thread seconds per run in state st. */
static void in_state(gs_cell *c, gs_state st, double per_run_s) { c->states.ns[st] = per_run_s * RUNS * 1e9; }

static void decide(fixture *f, gs_verdict *v) {
    assert_int_equal(gs_verdict_decide(&f->s, 0, v), 0);
    fprintf(stderr, "reason: %s\n", v->reason);
}

static void cleanup(fixture *f, gs_verdict *v) {
    gs_verdict_free(v);
    json_decref(f->s.hello);
}

static double figure(const gs_verdict *v, const char *key) {
    json_t *x = json_object_get(v->figures, key);
    assert_non_null(x);
    return json_number_value(x);
}

/* Pure-Python CPU work on 2 cores: processes near the possible need no
 * excuse; threads are GIL-bound, said with the share of their lost time. */
static void gil_bound_cpu_work(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 0.97, 1.0, 0.98, 1.02);
    gs_cell *t = add(&f, "threads", 2, 0.88, 1.10, 1.05, 1.15);
    in_state(t, GS_ST_GIL, 0.6); /* 0.3 s of lane time of the 0.395 s lost */
    gs_cell *p = add(&f, "processes", 2, 0.50, 1.93, 1.85, 2.00);
    p->start_method = "fork";
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 2);
    assert_int_equal(v.ntie, 0);
    assert_string_equal(v.reason, "of 2× possible; GIL-bound: threads × 2 reached 1.10×, 76% of its lost time waiting for the GIL");
    assert_float_equal(figure(&v, "possible_speedup"), 2.0, 1e-12);
    assert_float_equal(figure(&v, "gil_share_of_lost"), 0.3 / 0.395, 1e-9);
    json_t *j = gs_verdict_json(&f.s, &v, NULL);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "best"), "strategy")), "processes");
    assert_int_equal(json_array_size(json_object_get(j, "tie")), 0);
    json_decref(j);
    cleanup(&f, &v);
}

/* When threads are the answer, their own shortfall names the GIL (no
 * second, competing GIL clause). */
static void gil_named_as_the_answers_cause(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 0.97, 1.0, 0.98, 1.02);
    in_state(add(&f, "threads", 2, 0.88, 1.10, 1.05, 1.15), GS_ST_GIL, 0.6);
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 1);
    assert_string_equal(v.reason, "of 2× possible, lost to waiting for the GIL 76% (24% unexplained)");
    assert_null(strstr(v.reason, "GIL-bound"));
    cleanup(&f, &v);
}

/* taskset -c 0: one usable core. Nothing beats serial, the verdict says
 * why in the words "1 usable core", and no "too small" clause. */
static void one_usable_core(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 1);
    add(&f, "serial", 1, 1.0, 1.0, 0.98, 1.02);
    in_state(add(&f, "threads", 2, 1.02, 0.98, 0.95, 1.01), GS_ST_WAIT_CORE, 0.9);
    in_state(add(&f, "processes", 2, 1.03, 0.97, 0.95, 0.99), GS_ST_WAIT_CORE, 1.0);
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 0);
    assert_string_equal(v.reason, "nothing beats serial: the best parallel cell, threads × 2, reached 0.98× [0.95, 1.01] "
                                  "of 1× possible (1 usable core)");
    assert_int_equal((int)figure(&v, "usable_cores"), 1);
    cleanup(&f, &v);
}

/* Two usable cores that delivered one between them: the machine is named. */
static void the_machine_delivered_less(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    gs_capacity_log(&f.s.capacity, GS_CAP_BEFORE, 1.0);
    add(&f, "serial", 1, 1.0, 1.0, 0.98, 1.02);
    add(&f, "processes", 2, 1.03, 0.97, 0.95, 0.99);
    gs_verdict v;
    decide(&f, &v);
    assert_non_null(strstr(v.reason, "of 1× possible (the cores delivered 1.0 of 2)"));
    assert_float_equal(figure(&v, "capacity"), 1.0, 1e-12);
    cleanup(&f, &v);
}

/* The causes, largest first, only those material (15% or more). */
static void causes_largest_first(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 1.0, 1.0, 0.99, 1.01);
    gs_cell *p = add(&f, "processes", 2, 0.625, 1.6, 1.55, 1.65);
    p->pool_startup_s = 0.03;   /* 0.03 s of the 0.125 s lost: 24% */
    in_state(p, GS_ST_WAIT_CORE, 0.17); /* 0.085 s of lane time: 68% */
    in_state(p, GS_ST_LOCK, 0.02);      /* 8%: not material */
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 1);
    assert_string_equal(v.reason, "of 2× possible, lost to waiting for a core 68%, pool start-up and shutdown 24%");
    assert_float_equal(figure(&v, "lost_s"), 0.125, 1e-9);
    cleanup(&f, &v);
}

/* Sleeping threads: the possible speedup ignores the cores. */
static void io_bound_threads(void **state) {
    (void)state;
    fixture f;
    setup(&f, 16, 2);
    f.w.kind = "io";
    add(&f, "serial", 1, 0.80, 1.0, 0.99, 1.01);
    gs_cell *t = add(&f, "threads", 16, 0.052, 15.4, 15.2, 15.6);
    in_state(t, GS_ST_SLEEP, 0.8);
    t->cores_used = 0.07;
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 1);
    assert_string_equal(v.reason, "of 16× possible");
    cleanup(&f, &v);
}

/* Tasks of a few milliseconds: too few samples for the states to tell;
 * the workload's KIND and its low CPU say I/O. */
static void io_bound_without_states(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    f.w.kind = "io";
    add(&f, "serial", 1, 0.16, 1.0, 0.99, 1.01);
    gs_cell *t = add(&f, "threads", 8, 0.0217, 7.38, 7.2, 7.5);
    t->states.samples = 3;
    t->cores_used = 0.1;
    gs_verdict v;
    decide(&f, &v);
    assert_non_null(strstr(v.reason, "of 8× possible"));
    gs_verdict_free(&v);
    f.w.kind = "cpu"; /* the same figures from a CPU workload: limited by the cores */
    decide(&f, &v);
    assert_non_null(strstr(v.reason, "of 2× possible"));
    cleanup(&f, &v);
}

/* The answer is the fewest workers whose interval overlaps the best's;
 * the tie lists the other overlapping cells. */
static void fewest_workers_and_ties(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 0.92, 1.0, 0.99, 1.01);
    add(&f, "threads", 4, 0.465, 1.98, 1.93, 2.02);
    add(&f, "threads", 2, 0.466, 1.97, 1.92, 2.00);
    add(&f, "to_thread", 2, 0.470, 1.96, 1.90, 1.99);
    add(&f, "processes", 2, 0.490, 1.88, 1.80, 1.91);
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 2);
    assert_int_equal(v.ntie, 2); /* threads × 4 and to_thread; processes (1.91 < 1.93) does not overlap */
    assert_int_equal(v.tie[0], 1);
    assert_int_equal(v.tie[1], 3);
    gs_verdict_free(&v);
    /* A cell whose interval reaches 1 overlaps the best's but does not beat
     * serial: never in the tie, never the answer. */
    add(&f, "threads", 3, 0.8, 1.4, 0.9, 1.95);
    decide(&f, &v);
    assert_int_equal(v.best, 2);
    assert_int_equal(v.ntie, 2);
    cleanup(&f, &v);
}

/* "Parallel" is two or more workers: a pool of one is never the answer,
 * however fast it looks. */
static void one_worker_is_not_parallel(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 1.0, 1.0, 0.99, 1.01);
    add(&f, "threads", 1, 0.9, 1.11, 1.05, 1.15);
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 0);
    assert_string_equal(v.reason, "no parallel cell (two or more workers) was measured");
    cleanup(&f, &v);
}

/* A win needs the interval above 1 (1.05 without an interval). */
static void a_win_needs_its_interval_above_one(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 1.0, 1.0, 0.99, 1.01);
    gs_cell *t = add(&f, "threads", 2, 0.96, 1.04, 0.99, 1.08);
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 0);
    assert_string_equal(v.reason, "nothing beats serial: the best parallel cell, threads × 2, reached 1.04× [0.99, 1.08] "
                                  "of 2× possible, the lost time unexplained");
    gs_verdict_free(&v);
    t->speedup_lo = t->speedup_hi = 0; /* no interval: 1.04 is not enough */
    decide(&f, &v);
    assert_int_equal(v.best, 0);
    gs_verdict_free(&v);
    t->speedup = 1.06;
    decide(&f, &v);
    assert_int_equal(v.best, 1);
    cleanup(&f, &v);
}

/* Microsecond tasks: the per-task overhead dwarfs a task, said with both
 * figures; a speedup below 0.01 is written "<0.01×". */
static void tasks_too_small(void **state) {
    (void)state;
    fixture f;
    setup(&f, 1000, 2);
    add(&f, "serial", 1, 0.0007, 1.0, 0.9, 1.1);
    gs_cell *t = add(&f, "threads", 2, 0.0087, 0.08, 0.07, 0.09);
    t->pool_startup_s = 0.0003;
    t->task_mean_s = 0.5e-6; /* a lane's 17.4 µs per task less the task's own 0.5 µs */
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 0);
    assert_non_null(strstr(v.reason, "nothing beats serial: the best parallel cell, threads × 2, reached 0.08× [0.07, 0.09]"));
    assert_non_null(strstr(v.reason, "tasks too small: each costs 16.9 µs of overhead under threads × 2 against 0.7 µs of work"));
    assert_float_equal(figure(&v, "per_task_overhead_s"), 0.0087 * 2 / 1000 - 0.5e-6, 1e-12);
    gs_verdict_free(&v);
    t->wall.median = 0.14;
    t->speedup = 0.005, t->speedup_lo = 0.004, t->speedup_hi = 0.006;
    decide(&f, &v);
    assert_non_null(strstr(v.reason, "reached <0.01×"));
    assert_null(strstr(v.reason, "0.00×"));
    cleanup(&f, &v);
}

/* 120 ms tasks losing to the cores are not "too small", whatever the
 * slowdown. */
static void slow_but_not_small(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 0.97, 1.0, 0.98, 1.02);
    gs_cell *t = add(&f, "threads", 2, 1.10, 0.88, 0.85, 0.91);
    in_state(t, GS_ST_GIL, 1.0);
    in_state(t, GS_ST_WAIT_CORE, 0.3);
    gs_verdict v;
    decide(&f, &v);
    assert_null(strstr(v.reason, "too small"));
    assert_non_null(strstr(v.reason, "lost to waiting for the GIL"));
    cleanup(&f, &v);
}

/* One task taking half the wall or more is named. */
static void one_task_dominates(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 1.0, 1.0, 0.99, 1.01);
    gs_cell *p = add(&f, "processes", 2, 0.8, 1.25, 1.2, 1.3);
    p->task_max_s = 0.5;
    p->task_median_s = 0.12;
    p->task_slowest = 3;
    in_state(p, GS_ST_IDLE, 0.5);
    gs_verdict v;
    decide(&f, &v);
    assert_non_null(strstr(v.reason, "one task dominates: task 3 takes 500.0 ms of the 800.0 ms wall"));
    assert_float_equal(figure(&v, "task_max_s"), 0.5, 1e-12);
    gs_verdict_free(&v);
    p->task_max_s = 0.3; /* below half the wall: not said */
    decide(&f, &v);
    assert_null(strstr(v.reason, "dominates"));
    gs_verdict_free(&v);
    p->task_max_s = p->task_median_s = 0.5; /* every task as long: no imbalance */
    decide(&f, &v);
    assert_null(strstr(v.reason, "dominates"));
    cleanup(&f, &v);
}

static void failed_or_disagreeing_cells_never_win(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 1.0, 1.0, 0.99, 1.01);
    add(&f, "processes", 2, 0.5, 2.0, 1.9, 2.1)->disagree = 1;
    add(&f, "threads", 2, 0.5, 2.0, 1.9, 2.1)->runs_failed = 1;
    gs_verdict v;
    decide(&f, &v);
    assert_int_equal(v.best, 0);
    assert_string_equal(v.reason, "only serial was measured");
    cleanup(&f, &v);
}

static void nothing_measured(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    gs_verdict v;
    assert_int_equal(gs_verdict_decide(&f.s, 0, &v), -1);
    assert_int_equal(v.best, -1);
    assert_string_equal(v.reason, "no strategy was measured");
    cleanup(&f, &v);
}

/* An experiment (MEASURES) answers with its figures: no verdict, however
 * its cells ran. */
static void experiments_have_no_verdict(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 2.0, 1.0, 0, 0);
    f.w.measures = json_array();
    gs_verdict v;
    assert_int_equal(gs_verdict_decide(&f.s, 0, &v), -1);
    assert_int_equal(v.best, -1);
    json_decref(f.w.measures);
    cleanup(&f, &v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(experiments_have_no_verdict),
        cmocka_unit_test(gil_bound_cpu_work),
        cmocka_unit_test(gil_named_as_the_answers_cause),
        cmocka_unit_test(one_usable_core),
        cmocka_unit_test(the_machine_delivered_less),
        cmocka_unit_test(causes_largest_first),
        cmocka_unit_test(io_bound_threads),
        cmocka_unit_test(io_bound_without_states),
        cmocka_unit_test(fewest_workers_and_ties),
        cmocka_unit_test(one_worker_is_not_parallel),
        cmocka_unit_test(a_win_needs_its_interval_above_one),
        cmocka_unit_test(tasks_too_small),
        cmocka_unit_test(slow_but_not_small),
        cmocka_unit_test(one_task_dominates),
        cmocka_unit_test(failed_or_disagreeing_cells_never_win),
        cmocka_unit_test(nothing_measured),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
