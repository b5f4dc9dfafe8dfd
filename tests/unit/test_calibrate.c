/* --size auto (measure/calibrate.c) on the real harness and the interpreter
 * CMake found ($GS_PYTHON): the sleep workload, whose serial run lasts at
 * least size x tasks ms, is sized for a target; the empty one, whose run time
 * does not follow the size, is reported as size_ignored; a workload that
 * raises, and an interpreter that cannot start, give an error, not a crash.
 * Physical relations and broad bands only, never a tight absolute time. */
#include "gs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "calibrate.h"
#include "harness.h"

static char tmp[] = "/tmp/gs-test-calibrate-XXXXXX";
static char workloads[4096];
static char **env;

/* The interpreter's own executable: $GS_PYTHON may be a launcher (a pyenv
 * shim) that costs a process per start; the tries need not pay it. */
static char python[4096];

static void find_python(void) {
    const char *given = getenv("GS_PYTHON") ? getenv("GS_PYTHON") : "python3";
    snprintf(python, sizeof(python), "%s", given);
    char cmd[4200];
    snprintf(cmd, sizeof(cmd), "'%s' -c 'import sys; print(sys.executable)' 2>/dev/null", given);
    FILE *p = popen(cmd, "r");
    if (p == NULL) return;
    char line[4096];
    if (fgets(line, sizeof(line), p) != NULL && line[0] == '/') {
        line[strcspn(line, "\n")] = '\0';
        snprintf(python, sizeof(python), "%s", line);
    }
    pclose(p);
}

/* A workload file in the temporary directory; its path into path. */
static void workload_file(const char *name, const char *text, char *path, size_t cap) {
    snprintf(path, cap, "%s/%s", tmp, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

/* Calibrates spec on a loop of its own; returns gs_calibrate's value. */
static int calibrate(const char *interp, const char *spec, int tasks, double target_s, int (*stop)(void),
                     gs_calibration *out) {
    gs_calibration_req req = {interp, workloads, spec, env, tasks, 60.0, target_s, stop};
    uv_loop_t loop;
    assert_int_equal(uv_loop_init(&loop), 0);
    int rc = gs_calibrate(&loop, &req, out);
    /* Every handle the tries used is closed. */
    assert_int_equal(uv_loop_close(&loop), 0);
    return rc;
}

static long try_size(const gs_calibration *c, size_t i) {
    return (long)json_integer_value(json_object_get(json_array_get(c->tries, i), "size"));
}

static double try_wall(const gs_calibration *c, size_t i) {
    return json_real_value(json_object_get(json_array_get(c->tries, i), "wall_s"));
}

/* The tries go 1, 2, 5, 10, 20, 50, ... */
static void assert_sizes_1_2_5(const gs_calibration *c) {
    long want = 1;
    for (size_t i = 0; i < json_array_size(c->tries); i++) {
        if (try_size(c, i) != want) fail_msg("try %zu has size %ld, not %ld", i, try_size(c, i), want);
        long decade = 1;
        while (decade * 10 <= want) decade *= 10;
        want = want == decade ? 2 * decade : want == 2 * decade ? 5 * decade : 10 * decade;
    }
}

static int setup(void **state) {
    (void)state;
    if (mkdtemp(tmp) == NULL) return -1;
    if (gs_harness_find(workloads, sizeof(workloads)) != 0) return -1;
    find_python();
    env = gs_harness_env(1);
    return env == NULL ? -1 : 0;
}

static int teardown(void **state) {
    (void)state;
    gs_harness_env_free(env);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    return system(cmd);
}

static int stop_now(void) { return 1; }

static void a_stop_before_the_first_try_runs_nothing(void **state) {
    (void)state;
    gs_calibration c;
    /* The interpreter does not exist: nothing may even try to start it. */
    assert_int_equal(calibrate("/nonexistent/python3", "sleep", 2, 0.2, stop_now, &c), -1);
    assert_non_null(c.tries);
    assert_int_equal(json_array_size(c.tries), 0);
    assert_int_equal(c.size, 0);
    assert_false(c.size_ignored);
    assert_non_null(c.error);
    assert_non_null(strstr(c.error, "never reached"));
    gs_calibration_free(&c);
    assert_null(c.tries);
    assert_null(c.error);
}

/* size scaled linearly from wall to target, as the contract says. */
static double scaled(long size, double target, double wall) { return (double)size * target / wall; }

static int near(long size, double want) { return (double)size >= want - 1 && (double)size <= want + 1; }

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void sleep_is_sized_for_the_target(void **state) {
    (void)state;
    /* 4 ms a try at size 1: the ladder stops at 5 (20 ms, a fifth of 0.1 s). */
    const int tasks = 4;
    const double target = 0.1;
    gs_calibration c;
    uint64_t t0 = uv_hrtime();
    int rc = calibrate(python, "sleep", tasks, target, NULL, &c);
    double took = (double)(uv_hrtime() - t0) / 1e9;
    if (rc != 0) fail_msg("calibration failed: %s", c.error ? c.error : "(no error)");
    assert_null(c.error);
    assert_false(c.size_ignored);
    size_t n = json_array_size(c.tries);
    assert_true(n >= 1);
    for (size_t i = 0; i < n; i++) {
        /* A serial run sleeps size ms per task: it cannot be shorter. */
        double floor_s = (double)try_size(&c, i) * tasks / 1000.0;
        if (try_wall(&c, i) < 0.95 * floor_s)
            fail_msg("size %ld ran in %g s, less than its %g s of sleep", try_size(&c, i), try_wall(&c, i), floor_s);
    }
    /* The ladder 1, 2, 5, ... climbs until a try lasts a fifth of the target. */
    size_t ladder = 0;
    while (ladder < n && try_wall(&c, ladder) < target / 5) ladder++;
    assert_true(ladder < n);
    ladder++;
    gs_calibration climb = c;
    climb.tries = json_array();
    for (size_t i = 0; i < ladder; i++) json_array_append(climb.tries, json_array_get(c.tries, i));
    assert_sizes_1_2_5(&climb);
    json_decref(climb.tries);
    /* Its last size scaled linearly to the target is the answer, or the size
     * the refining tries (at most three, all at that scaled size) run and
     * rescale from their median. */
    double first_guess = scaled(try_size(&c, ladder - 1), target, try_wall(&c, ladder - 1));
    size_t refining = n - ladder;
    assert_true(refining <= 3);
    if (refining == 0) {
        assert_true(near(c.size, first_guess));
    } else {
        long at = try_size(&c, ladder);
        assert_true(near(at, first_guess));
        double walls[3];
        for (size_t i = 0; i < refining; i++) {
            assert_int_equal(try_size(&c, ladder + i), at);
            walls[i] = try_wall(&c, ladder + i);
        }
        qsort(walls, refining, sizeof(walls[0]), cmp_double);
        double median = refining % 2 ? walls[refining / 2] : (walls[refining / 2 - 1] + walls[refining / 2]) / 2;
        if (c.size != at && !near(c.size, scaled(at, target, median)))
            fail_msg("size %ld is neither the tried %ld nor it rescaled from the median %g s", c.size, at, median);
    }
    assert_true(c.size >= 1);
    /* So a serial run at that size sleeps about the target: hardly more (its
     * overheads only shrink the size), and not far less. */
    double predicted = (double)c.size * tasks / 1000.0;
    if (predicted > target * 1.15 || predicted < target / 10)
        fail_msg("size %ld predicts a %g s run for a %g s target", c.size, predicted, target);
    /* A handful of interpreters ran, each for well under a second. */
    assert_true(took < 30);
    gs_calibration_free(&c);
}

static void empty_ignores_the_size(void **state) {
    (void)state;
    gs_calibration c;
    /* A fifth of 1 s is far beyond the empty workload's run at any size. */
    int rc = calibrate(python, "empty", 1, 1.0, NULL, &c);
    if (rc != 0) fail_msg("calibration failed: %s", c.error ? c.error : "(no error)");
    assert_null(c.error);
    assert_true(c.size_ignored);
    assert_sizes_1_2_5(&c);
    size_t n = json_array_size(c.tries);
    /* It stopped once a thousand times the work did not double the time. */
    assert_true(try_size(&c, n - 1) >= 1000);
    assert_true(try_wall(&c, n - 1) < 2 * try_wall(&c, 0));
    for (size_t i = 0; i < n; i++) assert_true(try_wall(&c, i) < 0.2);
    gs_calibration_free(&c);
}

static void a_raising_workload_gives_an_error(void **state) {
    (void)state;
    char path[4096];
    gs_calibration c;
    /* A task raises. */
    workload_file("raises.py", "def run(arg):\n    raise ValueError('bad size %d' % arg)\n", path, sizeof(path));
    assert_int_equal(calibrate(python, path, 2, 0.2, NULL, &c), -1);
    assert_non_null(c.error);
    if (strstr(c.error, "calibration (--size auto) at size 1: ") != c.error) fail_msg("error: %s", c.error);
    assert_non_null(strstr(c.error, "ValueError"));
    assert_non_null(strstr(c.error, "bad size 1"));
    assert_int_equal(json_array_size(c.tries), 0);
    assert_false(c.size_ignored);
    gs_calibration_free(&c);
    /* Loading it raises. */
    workload_file("import_raises.py", "raise ImportError('no module named numpy_nope')\n", path, sizeof(path));
    assert_int_equal(calibrate(python, path, 2, 0.2, NULL, &c), -1);
    assert_non_null(c.error);
    if (strstr(c.error, "calibration (--size auto) at size 1: ") != c.error) fail_msg("error: %s", c.error);
    assert_non_null(strstr(c.error, "numpy_nope"));
    assert_int_equal(json_array_size(c.tries), 0);
    gs_calibration_free(&c);
}

static void an_interpreter_that_cannot_start_gives_an_error(void **state) {
    (void)state;
    gs_calibration c;
    assert_int_equal(calibrate("/nonexistent/python3", "sleep", 2, 0.2, NULL, &c), -1);
    assert_non_null(c.error);
    if (strstr(c.error, "calibration (--size auto) at size 1: cannot start the interpreter") != c.error)
        fail_msg("error: %s", c.error);
    assert_int_equal(json_array_size(c.tries), 0);
    gs_calibration_free(&c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_stop_before_the_first_try_runs_nothing),
        cmocka_unit_test(sleep_is_sized_for_the_target),
        cmocka_unit_test(empty_ignores_the_size),
        cmocka_unit_test(a_raising_workload_gives_an_error),
        cmocka_unit_test(an_interpreter_that_cannot_start_gives_an_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
