#include "gs_test.h"

#include <math.h>

#include <string.h>

#include "shortfall.h"

/* The shortfall accounting (shortfall.h, docs/statistics.md "The
 * shortfall") on recorded cells. */
typedef struct fixture {
    gs_session s;
    gs_options o;
    gs_workload w;
    gs_cell c[4];
    gs_run r[4];
} fixture;

#define RUNS 4

static void setup(fixture *f, int tasks, int usable) {
    memset(f, 0, sizeof(*f));
    f->o.tasks = tasks;
    f->w.name = "wl";
    f->w.kind = "cpu";
    f->s.opt = &f->o;
    f->s.workloads = &f->w;
    f->s.nworkloads = 1;
    f->s.cells = f->c;
    f->s.capacity.limits.online = 2;
    f->s.capacity.limits.affinity = usable;
    f->s.capacity.limits.quota = -1;
    f->s.capacity.limits.usable = usable;
}

static gs_cell *add(fixture *f, const char *strategy, int workers, double wall) {
    gs_cell *c = &f->c[f->s.ncells++];
    c->strategy = ST(strategy);
    c->workers = workers;
    c->runs_ok = RUNS;
    c->wall.n = RUNS;
    c->wall.median = wall;
    c->pool_startup_s = strcmp(strategy, "serial") == 0 ? -1 : 0;
    c->states.lifetime_ns = workers * wall * RUNS * 1e9;
    c->states.samples = 1000;
    return c;
}

static void in_state(gs_cell *c, gs_state st, double per_run_s) { c->states.ns[st] = per_run_s * RUNS * 1e9; }

static void shares_add_up(const gs_shortfall *sf) {
    double sum = 0, shares = 0;
    for (int l = 0; l < GS_LOSS_COUNT; l++) {
        assert_true(sf->part_s[l] >= 0);
        sum += sf->part_s[l];
        shares += gs_shortfall_share(sf, (gs_loss)l);
    }
    assert_float_equal(sum, sf->lost_s, 1e-9);
    assert_float_equal(shares, 1.0, 1e-9);
}

/* GIL-bound threads: 0.6 worker-seconds per run waiting for the GIL over
 * two lanes is 0.3 s of the 0.395 s lost; the rest is unexplained. */
static void gil_wait_over_the_lanes(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 0.97);
    in_state(add(&f, "threads", 2, 0.88), GS_ST_GIL, 0.6);
    gs_shortfall sf;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    assert_false(sf.io);
    assert_float_equal(sf.possible, 2, 1e-12);
    assert_float_equal(sf.ideal_s, 0.485, 1e-12);
    assert_float_equal(sf.lost_s, 0.395, 1e-12);
    assert_float_equal(sf.part_s[GS_LOSS_GIL], 0.3, 1e-9);
    assert_float_equal(sf.part_s[GS_LOSS_UNEXPLAINED], 0.095, 1e-9);
    shares_add_up(&sf);
    gs_loss order[GS_LOSS_COUNT];
    gs_shortfall_ranked(&sf, order);
    assert_int_equal(order[0], GS_LOSS_GIL);
    assert_int_equal(order[1], GS_LOSS_UNEXPLAINED);
}

/* What serial's worker also spent in a state is not lost by going parallel. */
static void serial_time_in_a_state_is_deducted(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    in_state(add(&f, "serial", 1, 1.0), GS_ST_OTHER, 0.1);
    in_state(add(&f, "threads", 2, 0.6), GS_ST_OTHER, 0.3); /* 0.2 more, over 2 lanes */
    gs_shortfall sf;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    assert_float_equal(sf.part_s[GS_LOSS_OTHER], 0.1, 1e-9);
    shares_add_up(&sf);
}

/* Start-up wall time is lost whole; workers absent from the window after
 * it (shutdown) count as start-up and shutdown too. */
static void start_up_and_absent_workers(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 1.0);
    gs_cell *p = add(&f, "processes", 2, 0.7);
    p->pool_startup_s = 0.1;
    /* alive 1.0 of the 1.4 worker-seconds: 0.4 absent, 0.2 of it during
     * start-up (already counted), 0.2 after it: 0.1 s over 2 lanes */
    p->states.lifetime_ns = 1.0 * RUNS * 1e9;
    gs_shortfall sf;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    assert_float_equal(sf.lost_s, 0.2, 1e-12);
    assert_float_equal(sf.part_s[GS_LOSS_STARTUP], 0.2, 1e-9);
    assert_float_equal(sf.part_s[GS_LOSS_UNEXPLAINED], 0, 1e-9);
    shares_add_up(&sf);
}

/* With task records, start-up and shutdown are the time before each
 * worker's first task and after its last, whatever the sampler saw. */
static void lead_and_tail_from_task_records(void **state) {
    (void)state;
    fixture f;
    setup(&f, 3, 2);
    add(&f, "serial", 1, 1.6);
    gs_cell *p = add(&f, "processes", 2, 1.0);
    p->pool_startup_s = 0.1;
    in_state(p, GS_ST_IDLE, 0.6); /* the sampler saw the lead and tail as idle */
    f.s.runs = f.r;
    f.s.nruns = 1;
    gs_run_init(&f.r[0]);
    f.r[0].cell = 1, f.r[0].status = GS_RUN_OK;
    f.r[0].window_start_ns = 1000000000, f.r[0].window_end_ns = 2000000000;
    /* worker 7: [0.1, 0.5] and [0.5, 0.9]: 0.1 before, 0.1 after;
     * worker 8: [0.12, 0.6]: 0.12 before, 0.4 after */
    f.r[0].tasks = json_pack("[{s:i,s:i,s:I,s:I},{s:i,s:i,s:I,s:I},{s:i,s:i,s:I,s:I}]",
                             "pid", 7, "tid", 7, "start_ns", (json_int_t)1100000000, "end_ns", (json_int_t)1500000000,
                             "pid", 7, "tid", 7, "start_ns", (json_int_t)1500000000, "end_ns", (json_int_t)1900000000,
                             "pid", 8, "tid", 8, "start_ns", (json_int_t)1120000000, "end_ns", (json_int_t)1600000000);
    gs_shortfall sf;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    /* 0.72 worker-seconds outside tasks, 0.2 of it during the 0.1 s start-up:
     * 0.1 + 0.52 / 2 lanes = 0.36 s; the idle samples are that same time,
     * leaving 0.6 - 0.72 < 0 idle between tasks */
    assert_float_equal(sf.explained_s, 0.36, 1e-9);
    assert_float_equal(gs_shortfall_share(&sf, GS_LOSS_STARTUP), 1.0, 1e-9);
    assert_float_equal(sf.part_s[GS_LOSS_IDLE], 0, 0);
    shares_add_up(&sf);
    gs_run_free(&f.r[0]);
}

/* More workers than cores: the waiting they must do anyway is not lost. */
static void workers_beyond_the_lanes_wait_anyway(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 1.0);
    /* 4 workers on 2 cores for 0.55 s: 1.1 worker-seconds of core wait is
     * expected, 0.1 more is lost: 0.05 s over 2 lanes */
    in_state(add(&f, "processes", 4, 0.55), GS_ST_WAIT_CORE, 1.2);
    gs_shortfall sf;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    assert_float_equal(sf.possible, 2, 1e-12);
    assert_float_equal(sf.part_s[GS_LOSS_CORE], 0.05, 1e-9);
    assert_float_equal(sf.part_s[GS_LOSS_UNEXPLAINED], 0.0, 1e-9);
    shares_add_up(&sf);
}

/* Causes estimated beyond the lost time are scaled down alike; the raw sum
 * is kept. */
static void over_explained_is_scaled(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 1.0);
    gs_cell *t = add(&f, "threads", 2, 0.6);
    in_state(t, GS_ST_GIL, 0.3);  /* 0.15 s */
    in_state(t, GS_ST_LOCK, 0.1); /* 0.05 s: 0.2 s for 0.1 s lost */
    gs_shortfall sf;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    assert_float_equal(sf.explained_s, 0.2, 1e-9);
    assert_float_equal(sf.part_s[GS_LOSS_GIL], 0.075, 1e-9);
    assert_float_equal(sf.part_s[GS_LOSS_LOCK], 0.025, 1e-9);
    assert_float_equal(sf.part_s[GS_LOSS_UNEXPLAINED], 0, 1e-12);
    shares_add_up(&sf);
}

/* Extra kernel time (from the runs' system CPU) is split off the extra
 * on-CPU time; the rest of it is dispatch. */
static void kernel_and_dispatch(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 1.0);
    gs_cell *t = add(&f, "threads", 2, 0.8);
    in_state(t, GS_ST_ON_CPU, 1.6); /* serial's worker: 0 recorded on CPU here */
    f.s.runs = f.r;
    f.s.nruns = 2;
    f.r[0].cell = 0, f.r[0].status = GS_RUN_OK, f.r[0].cpu_sys_s = 0.05;
    f.r[1].cell = 1, f.r[1].status = GS_RUN_OK, f.r[1].cpu_sys_s = 0.45;
    gs_shortfall sf;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    /* 0.4 s more kernel time, over 2 lanes: 0.2; dispatch (1.6 - 0.4) / 2 = 0.6; scaled to 0.3 lost */
    assert_float_equal(sf.explained_s, 0.8, 1e-9);
    assert_float_equal(sf.part_s[GS_LOSS_KERNEL], 0.3 * 0.2 / 0.8, 1e-9);
    assert_float_equal(sf.part_s[GS_LOSS_DISPATCH], 0.3 * 0.6 / 0.8, 1e-9);
    shares_add_up(&sf);
}

/* Workers that mostly slept: the cores do not bound the possible. */
static void io_possible_ignores_the_cores(void **state) {
    (void)state;
    fixture f;
    setup(&f, 16, 2);
    add(&f, "serial", 1, 0.8);
    gs_cell *t = add(&f, "threads", 16, 0.1);
    in_state(t, GS_ST_SLEEP, 1.5);
    gs_shortfall sf;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    assert_true(sf.io);
    assert_float_equal(sf.possible, 16, 1e-12);
    t->workers = 32; /* more workers than tasks: the tasks bound it */
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    assert_float_equal(sf.possible, 16, 1e-12);
}

/* Per-task overhead: the lost time not spent waiting for a core, the GIL
 * or a lock, in lane time per task. */
static void per_task_overhead(void **state) {
    (void)state;
    fixture f;
    setup(&f, 1000, 2);
    add(&f, "serial", 1, 0.0007);
    gs_cell *t = add(&f, "threads", 2, 0.0087);
    t->pool_startup_s = 0.0003;
    gs_shortfall sf;
    /* without task records: only the measured start-up, 0.3 ms over 1000 tasks and 2 lanes */
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    assert_float_equal(sf.serial_task_s, 0.7e-6, 1e-15);
    assert_float_equal(sf.per_task_overhead_s, 0.0003 * 2 / 1000, 1e-12);
    /* with them: a lane's 17.4 µs per task less the task's own 0.5 µs */
    t->task_mean_s = 0.5e-6;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    assert_float_equal(sf.per_task_overhead_s, 0.0087 * 2 / 1000 - 0.5e-6, 1e-12);
    /* GIL-bound tasks timed at twice serial's: no overhead outside them */
    f.c[0].wall.median = 0.8;
    t->wall.median = 0.81;
    t->task_mean_s = 0.2;
    f.o.tasks = 8;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    assert_float_equal(sf.per_task_overhead_s, 0.0025, 1e-12);
}

/* At or beyond the possible nothing is lost; no shortfall for serial, a
 * single worker, or without serial to compare. */
static void nothing_lost_or_nothing_to_explain(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 1.0);
    add(&f, "processes", 2, 0.49);
    add(&f, "threads", 1, 0.9);
    gs_shortfall sf;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    assert_true(sf.lost_s <= 0);
    for (int l = 0; l < GS_LOSS_COUNT; l++) assert_float_equal(gs_shortfall_share(&sf, (gs_loss)l), 0, 0);
    json_t *j = gs_shortfall_json(&sf, NULL);
    assert_int_equal(json_array_size(json_object_get(j, "parts")), 0);
    assert_float_equal(json_real_value(json_object_get(j, "lost_s")), 0, 0);
    json_decref(j);
    assert_int_equal(gs_shortfall_of(&f.s, 0, &sf), -1);
    assert_int_equal(gs_shortfall_of(&f.s, 2, &sf), -1);
    f.c[0].wall.n = 0; /* serial not measured */
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), -1);
}

/* The machine's capacity lowers the possible; so does one usable core. */
static void capacity_bounds_the_possible(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    gs_capacity_log(&f.s.capacity, GS_CAP_BEFORE, 1.4);
    add(&f, "serial", 1, 1.0);
    add(&f, "processes", 2, 0.8);
    gs_shortfall sf;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    assert_float_equal(sf.possible, 1.4, 1e-12);
    f.s.capacity.n = 0;
    f.s.capacity.limits.usable = 1;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    assert_float_equal(sf.possible, 1, 1e-12);
    assert_true(sf.lost_s < 0); /* 0.8 s beats the 1.0 s one core allows */
}

/* The JSON: parts largest first with their keys, shares adding up. */
static void json_parts_in_order(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 0.97);
    in_state(add(&f, "threads", 2, 0.88), GS_ST_GIL, 0.6);
    gs_shortfall sf;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    json_t *j = gs_shortfall_json(&sf, NULL);
    json_t *parts = json_object_get(j, "parts");
    assert_string_equal(json_string_value(json_object_get(json_array_get(parts, 0), "cause")), "gil");
    assert_string_equal(json_string_value(json_object_get(json_array_get(parts, 1), "cause")), "unexplained");
    double share = 0;
    size_t i;
    json_t *p;
    json_array_foreach(parts, i, p) share += json_real_value(json_object_get(p, "share"));
    assert_float_equal(share, 1.0, 1e-9);
    assert_float_equal(json_real_value(json_object_get(j, "possible")), 2, 1e-12);
    json_decref(j);
}

/* A figure that is not finite is null in the JSON and counted; the object
 * and every other key stay (json_pack "f" would have dropped the whole). */
static void json_nonfinite_is_null_and_counted(void **state) {
    (void)state;
    fixture f;
    setup(&f, 8, 2);
    add(&f, "serial", 1, 0.97);
    in_state(add(&f, "threads", 2, 0.88), GS_ST_GIL, 0.6);
    gs_shortfall sf;
    assert_int_equal(gs_shortfall_of(&f.s, 1, &sf), 0);
    sf.possible = NAN;
    sf.serial_task_s = INFINITY;
    int n = 0;
    json_t *j = gs_shortfall_json(&sf, &n);
    assert_non_null(j);
    assert_true(json_is_null(json_object_get(j, "possible")));
    assert_true(json_is_null(json_object_get(j, "serial_task_s")));
    assert_true(json_is_real(json_object_get(j, "wall_s")));
    assert_int_equal(json_array_size(json_object_get(j, "parts")), GS_LOSS_COUNT);
    assert_int_equal(n, 2);
    json_decref(j);
}

static void keys_and_labels(void **state) {
    (void)state;
    for (int l = 0; l < GS_LOSS_COUNT; l++) {
        assert_int_equal(gs_loss_from_key(gs_loss_key((gs_loss)l)), l);
        assert_true(strlen(gs_loss_label((gs_loss)l)) > 0);
    }
    assert_int_equal(gs_loss_from_key("nonsense"), -1);
    assert_int_equal(gs_loss_from_key(NULL), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gil_wait_over_the_lanes),
        cmocka_unit_test(serial_time_in_a_state_is_deducted),
        cmocka_unit_test(start_up_and_absent_workers),
        cmocka_unit_test(lead_and_tail_from_task_records),
        cmocka_unit_test(workers_beyond_the_lanes_wait_anyway),
        cmocka_unit_test(over_explained_is_scaled),
        cmocka_unit_test(kernel_and_dispatch),
        cmocka_unit_test(io_possible_ignores_the_cores),
        cmocka_unit_test(per_task_overhead),
        cmocka_unit_test(nothing_lost_or_nothing_to_explain),
        cmocka_unit_test(capacity_bounds_the_possible),
        cmocka_unit_test(json_parts_in_order),
        cmocka_unit_test(json_nonfinite_is_null_and_counted),
        cmocka_unit_test(keys_and_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
