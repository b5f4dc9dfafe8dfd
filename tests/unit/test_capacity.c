#include "gs_test.h"

#include <sched.h>
#include <string.h>

#include "capacity.h"

static void cgroup_quotas(void **state) {
    (void)state;
    assert_float_equal(gs_cgroup2_quota("150000 100000\n"), 1.5, 1e-12);
    assert_float_equal(gs_cgroup2_quota("50000 100000"), 0.5, 1e-12);
    assert_float_equal(gs_cgroup2_quota("max 100000\n"), -1, 0);
    assert_float_equal(gs_cgroup2_quota(""), -1, 0);
    assert_float_equal(gs_cgroup2_quota("garbage"), -1, 0);
    assert_float_equal(gs_cgroup2_quota("0 100000"), -1, 0);
    assert_float_equal(gs_cgroup2_quota(NULL), -1, 0);
    assert_float_equal(gs_cgroup1_quota(200000, 100000), 2.0, 1e-12);
    assert_float_equal(gs_cgroup1_quota(-1, 100000), -1, 0); /* v1's "no quota" */
    assert_float_equal(gs_cgroup1_quota(50000, 0), -1, 0);
}

/* The limits of this process, and again pinned to one CPU (taskset -c 0). */
static void limits_follow_the_affinity_mask(void **state) {
    (void)state;
    gs_cpu_limits l;
    gs_cpu_limits_read(&l);
    assert_true(l.online >= 1);
    assert_true(l.affinity >= 1);
    assert_true(l.usable >= 1 && l.usable <= l.online && l.usable <= l.affinity);
    if (l.quota > 0) assert_true(l.usable <= (int)l.quota + 1);
    cpu_set_t old, one;
    assert_int_equal(sched_getaffinity(0, sizeof(old), &old), 0);
    int first = -1;
    for (int i = 0; i < CPU_SETSIZE && first < 0; i++)
        if (CPU_ISSET(i, &old)) first = i;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
    gs_cpu_limits_read(&l);
    assert_int_equal(sched_setaffinity(0, sizeof(old), &old), 0);
    assert_int_equal(l.affinity, 1);
    assert_int_equal(l.usable, 1);
}

/* The log: before, after, min, max over every measurement; the value the
 * analysis uses is the most delivered, at most the usable cores. */
static void the_log(void **state) {
    (void)state;
    gs_capacity c;
    memset(&c, 0, sizeof(c));
    c.limits.usable = 2;
    c.before = c.after = -1;
    assert_float_equal(gs_capacity_value(&c), 2, 0); /* nothing measured: the usable cores */
    gs_capacity_log(&c, GS_CAP_BEFORE, 1.9);
    gs_capacity_log(&c, GS_CAP_BETWEEN, 0.8);
    gs_capacity_log(&c, GS_CAP_BETWEEN, 2.05);
    gs_capacity_log(&c, GS_CAP_AFTER, 1.2);
    assert_int_equal(c.n, 4);
    assert_float_equal(c.before, 1.9, 0);
    assert_float_equal(c.after, 1.2, 0);
    assert_float_equal(c.min, 0.8, 0);
    assert_float_equal(c.max, 2.05, 0);
    assert_float_equal(c.sum, 5.95, 1e-12);
    assert_float_equal(gs_capacity_value(&c), 2, 0); /* 2.05 capped at 2 usable */
    memset(&c, 0, sizeof(c));
    c.limits.usable = 2;
    gs_capacity_log(&c, GS_CAP_BEFORE, 0.9);
    gs_capacity_log(&c, GS_CAP_AFTER, 1.1);
    assert_float_equal(gs_capacity_value(&c), 1.1, 0);
    gs_capacity_log(&c, GS_CAP_AFTER, 1.93); /* within 5% of 2: measurement noise, all of them */
    assert_float_equal(gs_capacity_value(&c), 2, 0);
}

/* possible = min(workers, tasks, usable, capacity), at least 1. */
static void the_possible(void **state) {
    (void)state;
    gs_capacity c;
    memset(&c, 0, sizeof(c));
    c.limits.usable = 2;
    assert_float_equal(gs_capacity_possible(&c, 4, 8), 2, 0);
    assert_float_equal(gs_capacity_possible(&c, 2, 1), 1, 0);
    assert_float_equal(gs_capacity_possible(&c, 1, 8), 1, 0);
    gs_capacity_log(&c, GS_CAP_BEFORE, 1.6);
    assert_float_equal(gs_capacity_possible(&c, 4, 8), 1.6, 0);
    gs_capacity_log(&c, GS_CAP_AFTER, 0.7); /* the max stays 1.6 */
    assert_float_equal(gs_capacity_possible(&c, 4, 8), 1.6, 0);
    memset(&c, 0, sizeof(c));
    c.limits.usable = 2;
    gs_capacity_log(&c, GS_CAP_BEFORE, 0.7);
    assert_float_equal(gs_capacity_possible(&c, 4, 8), 1, 0); /* serial ran on the same cores */
}

/* The spin loop on one thread delivers about one core whatever the load
 * (its rate is per second of its own CPU time); generous bounds only. */
static void spin_measures_cores(void **state) {
    (void)state;
    double rate = gs_spin_rate(0.05);
    assert_true(rate > 0);
    double one = gs_spin_capacity(1, 0.05, rate);
    assert_true(one > 0.2 && one < 1.5);
    assert_float_equal(gs_spin_capacity(0, 0.05, rate), -1, 0);
    assert_float_equal(gs_spin_capacity(1, 0.05, 0), -1, 0);
}

static void measure_logs(void **state) {
    (void)state;
    gs_capacity c;
    gs_capacity_init(&c);
    assert_float_equal(c.before, -1, 0);
    assert_float_equal(c.after, -1, 0);
    double b = gs_capacity_measure(&c, GS_CAP_BEFORE);
    assert_true(b > 0);
    assert_true(c.rate > 0);
    double m = gs_capacity_measure(&c, GS_CAP_BETWEEN);
    double a = gs_capacity_measure(&c, GS_CAP_AFTER);
    assert_true(m > 0 && a > 0);
    assert_int_equal(c.n, 3);
    assert_float_equal(c.before, b, 0);
    assert_float_equal(c.after, a, 0);
    assert_true(c.min <= b && c.min <= m && c.min <= a);
    assert_true(c.max >= b && c.max >= m && c.max >= a);
    /* usable threads can never deliver much more than usable cores */
    assert_true(c.max < c.limits.usable * 1.5);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cgroup_quotas),
        cmocka_unit_test(limits_follow_the_affinity_mask),
        cmocka_unit_test(the_log),
        cmocka_unit_test(the_possible),
        cmocka_unit_test(spin_measures_cores),
        cmocka_unit_test(measure_logs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
